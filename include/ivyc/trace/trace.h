// Symbolic tracing: the kind of value of each expression (a tensor, a shape, an int, a dtype, ...)
// by abstract interpretation over the whole file, to a fixpoint: symbols take the join of the
// kinds of their bindings, parameters the kinds of their annotations, defaults and the calls of
// the same file, and of how they are used (passed to a torch op, used as a tensor method's
// receiver or a `@` operand). Nothing is executed. See docs/architecture.md, "trace".
#pragma once

#include <span>
#include <string>
#include <vector>

#include "ivyc/ops/tables.h"
#include "ivyc/parse/tree.h"
#include "ivyc/sema/semantic_model.h"

namespace ivyc::trace {

using parse::NodeId;

enum class Kind : uint8_t {
  Unknown,  // nothing known (the bottom of the lattice)
  Tensor,
  Tensors,  // a tuple or list of tensors
  Named,    // a tuple of tensors with field names (torch.max(x, dim)); `aux` indexes fields()
  Int,
  Float,
  Bool,
  Str,
  None,
  Shape,
  DType,
  Device,
  Module,  // a name bound by an import
  Layer,     // a torch.nn module instance; `aux` indexes layers(): its op or class
  Instance,  // an instance of a class of this file that is not a module (a config); `aux`: the class
  Other,   // known, and none of the above (a function, a class, a range, ...)
  Mixed,   // bound to values of different kinds (the top of the lattice)
};

struct Value {
  Kind kind = Kind::Unknown;
  uint32_t aux = 0;
  friend auto operator==(Value a, Value b) -> bool = default;
};

auto join(Value a, Value b) -> Value;
auto to_string(Kind kind) -> std::string_view;

class Trace {
 public:
  auto value(NodeId node) const -> Value { return node < values_.size() ? values_[node] : Value{}; }
  auto parent(NodeId node) const -> NodeId { return node < parents_.size() ? parents_[node] : parse::kNone; }
  auto symbol_value(sema::SymbolId id) const -> Value { return id < symbols_.size() ? symbols_[id] : Value{}; }
  auto fields(Value v) const -> std::span<const std::string> {
    if (v.kind != Kind::Named || v.aux >= fields_.size()) return {};
    return fields_[v.aux];
  }
  // What a Layer value is: a canonical layer op (`Linear`), a module class of this file, or
  // neither (an element of a ModuleList, ...).
  struct LayerInfo {
    std::string op;                      // non-empty: built by this canonical layer op
    sema::ClassId cls = parse::kNone;  // else a module class of this file, or kNone
    friend auto operator==(const LayerInfo&, const LayerInfo&) -> bool = default;
  };
  auto layer(Value v) const -> const LayerInfo* {
    return v.kind == Kind::Layer && v.aux < layers_.size() ? &layers_[v.aux] : nullptr;
  }
  // Module classes: classes whose bases reach torch.nn.Module (through classes of this file too).
  auto is_module_class(sema::ClassId c) const -> bool { return c < module_classes_.size() && module_classes_[c]; }
  // Whether a torch method name is also a method of Python's builtin types (`split`, `index`,
  // `copy`, ...): on a receiver of unknown kind such a call is not taken for a tensor method.
  static auto builtin_method_name(std::string_view name) -> bool;
  // Likewise for attributes (`real`, `data`, `T`, ...).
  static auto builtin_attribute_name(std::string_view name) -> bool;

 private:
  friend class Tracer;
  std::vector<Value> values_;
  std::vector<NodeId> parents_;
  std::vector<Value> symbols_;
  std::vector<std::vector<std::string>> fields_;
  std::vector<LayerInfo> layers_;
  std::vector<bool> module_classes_;
};

// `frontend` names the source framework's table ("torch").
auto trace(const parse::Tree& tree, const sema::SemanticModel& model, const ops::Tables& tables,
           std::string_view frontend) -> Trace;

}  // namespace ivyc::trace
