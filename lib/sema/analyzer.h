// The semantic analyzer's private side. One Analyzer per analysis fills a SemanticModel in passes:
//   walk.cpp      1. the tree walk (an explicit stack, no recursion): scopes, symbols and their
//                    flags, bindings, the scope of every node, the symbol of every name
//   resolve.cpp   2. what each symbol means (symtable's rules: global, nonlocal, free, class
//                    scopes skipped), 3. bindings grouped by the symbol that holds them,
//                 4. import paths, aliases through assignments included
//   classes.cpp   5. classes: bases, methods, self attributes
// semantic_model.cpp has the model's queries, render.cpp the text rendering.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ivyc/parse/tree.h"
#include "ivyc/sema/semantic_model.h"

namespace ivyc::sema {

using parse::NodeKind;
using parse::Tree;

// Open-addressing map from a 64-bit key to a 32-bit value; keys are never removed.
class FlatMap {
 public:
  explicit FlatMap(size_t expected = 64);
  // The value for `key`, inserting `value` when absent; `inserted` says which.
  auto find_or_insert(uint64_t key, uint32_t value, bool& inserted) -> uint32_t;
  auto find(uint64_t key) const -> uint32_t;  // kNone when absent

 private:
  void grow();
  struct Entry {
    uint64_t key;
    uint32_t value;
    bool used;
  };
  std::vector<Entry> entries_;
  size_t size_ = 0;
};

// Is `name` a builtin of Python 3.11, or a name every module has (__name__, __file__, ...)?
auto is_builtin_name(std::string_view name) -> bool;

class Analyzer {
 public:
  Analyzer(const Tree& tree, SemanticModel& model);
  void run();

 private:
  // --- pass 1: walk.cpp ---
  enum class Op : uint8_t { Visit, Target };
  struct Task {
    NodeId node;
    NodeId value;  // Target: the value assigned to this target, where known
    ScopeId scope;
    Op op;
    BindingKind kind;  // Target: how the target binds
  };
  struct RawBinding {
    SymbolId symbol;  // the symbol in the binding's own scope (or a := target's scope)
    Binding binding;
  };
  struct RawMethod {
    ClassId cls;
    NodeId def;
    ScopeId scope;
  };

  void walk();
  void visit(NodeId node, ScopeId scope);
  void visit_target(NodeId node, NodeId value, ScopeId scope, BindingKind kind);
  void visit_children(NodeId node, ScopeId scope);
  void visit_function(NodeId node, ScopeId scope);
  void visit_lambda(NodeId node, ScopeId scope);
  void visit_class(NodeId node, ScopeId scope);
  void visit_comprehension(NodeId node, ScopeId scope);
  void visit_named_expr(NodeId node, ScopeId scope);
  void visit_import(NodeId node, ScopeId scope);
  void visit_import_from(NodeId node, ScopeId scope);
  void visit_name(NodeId node, ScopeId scope);
  void visit_type_alias(NodeId node, ScopeId scope);
  // Opens a TypeParams scope and binds the parameters in it, when `list` is not empty.
  auto open_type_params(NodeId owner, parse::ListId list, ScopeId scope, NameId name) -> ScopeId;
  void bind_parameters(NodeId arguments, ScopeId scope);

  void push(NodeId node, ScopeId scope) {
    if (node != kNone && visited_kind_[static_cast<int>(tree_.kind(node))]) {
      stack_.push_back(Task{node, kNone, scope, Op::Visit, BindingKind::Assign});
    }
  }
  void push_target(NodeId node, NodeId value, ScopeId scope, BindingKind kind) {
    if (node != kNone) stack_.push_back(Task{node, value, scope, Op::Target, kind});
  }
  // Pushes a list's items so that they are visited in order.
  void push_list(parse::ListId list, ScopeId scope);

  auto new_scope(ScopeKind kind, ScopeId parent, NodeId node, NameId name) -> ScopeId;
  auto symbol(ScopeId scope, NameId name) -> SymbolId;  // get or create
  auto find(ScopeId scope, NameId name) const -> SymbolId {
    return symbol_map_.find(key(scope, name));
  }
  // Records a binding of `name` in `scope` (the symbol's scope) made by a statement in
  // `from_scope`; returns the symbol.
  auto bind(ScopeId scope, NameId name, uint16_t flags, Binding binding) -> SymbolId;
  static auto key(ScopeId scope, NameId name) -> uint64_t {
    return (static_cast<uint64_t>(scope) << 32) | name;
  }

  auto intern(std::string_view text) -> NameId;
  // The name a symbol gets for `name` written in `scope`: private names mangled in classes.
  auto symbol_name(NameId name, ScopeId scope) -> NameId;
  auto ident(parse::StringId id, ScopeId scope) -> NameId {
    return symbol_name(tree_name(id), scope);
  }
  auto tree_name(parse::StringId id) -> NameId;  // a tree identifier, interned in the model
  auto slot(NodeId node, int field) const -> uint32_t { return tree_.slot(node, field); }
  auto is_function_like(ScopeId id) const -> bool;

  // --- passes 2 to 4: resolve.cpp ---
  void declare_module_globals();
  void group_symbols();
  void resolve_symbols();
  void resolve_symbol(SymbolId id);
  void group_bindings();
  void compute_paths();
  auto chain_root(NodeId expr) const -> NodeId;
  // The path of a binding's value once the symbols it depends on are done; kNone if none.
  auto binding_path(const Binding& b) -> NameId;
  // The path of an attribute chain whose root symbol's path is known; kNone if none.
  auto chain_path(NodeId expr) -> NameId;

  // --- pass 5: classes.cpp ---
  void build_classes();

  const Tree& tree_;
  SemanticModel& m_;
  bool visited_kind_[parse::kNodeKindCount];
  std::vector<Task> stack_;
  FlatMap symbol_map_;
  std::unordered_map<std::string, NameId> string_ids_;
  std::vector<NameId> tree_names_;  // tree StringId -> NameId, kNone until seen
  std::vector<RawBinding> raw_bindings_;
  std::vector<ClassId> scope_class_;  // ScopeId -> the class whose body it is, or kNone
  std::vector<NameId> scope_private_;  // ScopeId -> the innermost enclosing class's name, or kNone
  FlatMap mangled_;  // (class name, name) -> mangled name
  std::vector<RawMethod> raw_methods_;
  std::vector<NodeId> attribute_stores_;  // Attribute nodes with Store context over a Name
  std::vector<std::vector<NodeId>> class_bases_;  // per class, its base expressions
  std::vector<uint8_t> path_state_;  // per symbol: 0 not computed, 1 in progress, 2 done
  NodeId store_ = kNone;  // the tree's shared Store node
  NameId name_module_, name_lambda_, name_listcomp_, name_setcomp_, name_dictcomp_, name_genexpr_;
};

}  // namespace ivyc::sema
