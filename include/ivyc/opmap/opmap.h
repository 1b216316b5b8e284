// Op mapping: each framework call site of the file (a torch function call, a tensor method call, a
// tensor attribute, a torch constant, any other torch reference) -> its canonical op with the
// arguments bound to the op's parameters, or the reason it cannot be. Pure data over the tree:
// rewrite turns it into text.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "ivyc/ops/tables.h"
#include "ivyc/parse/tree.h"
#include "ivyc/sema/semantic_model.h"
#include "ivyc/trace/trace.h"

namespace ivyc::opmap {

using parse::NodeId;

enum class SiteKind : uint8_t {
  Function,   // torch.sum(x, 1)
  Method,     // x.sum(1), and the in-place x.add_(y)
  Attribute,  // x.shape, x.T; and a named result's field (torch.max(x, 1).values)
  Constant,   // torch.float32, torch.pi
  Reference,  // any other torch name: reported unsupported
};

enum class ArgKind : uint8_t { Absent, Node, Text, Pack };

struct CanonArg {
  ArgKind kind = ArgKind::Absent;
  NodeId node = parse::kNone;  // Node
  std::string text;            // Text: Python source (a default or a mapped literal)
  std::vector<NodeId> pack;    // Pack: varargs packed into a tuple
};

struct Site {
  NodeId node = parse::kNone;  // the Call, Attribute or Name
  SiteKind kind = SiteKind::Reference;
  std::string api;             // "torch.sum", "Tensor.view", "Tensor.shape", "torch.float32"
  const ops::FrontendEntry* entry = nullptr;
  std::string op;              // the canonical op (Constant: the canonical constant)
  NodeId receiver = parse::kNone;  // methods and attributes
  std::vector<CanonArg> args;  // by canonical parameter
  int field = -1;              // Attribute of a named result: the field's index
  bool inplace = false;
  bool reference = false;  // Function: the function itself, not called (`act = torch.relu`)
  bool assumed_tensor = false;  // a method on a receiver of unknown kind, taken for a tensor
  std::string reason;           // non-empty: this site cannot be converted
};

struct OpMap {
  std::vector<Site> sites;  // in source order of their nodes' ends (inner sites first)
  std::unordered_map<NodeId, uint32_t> site_of;
};

auto map_ops(const parse::Tree& tree, const SourceBuffer& source, const sema::SemanticModel& model,
             const trace::Trace& trace, const ops::Tables& tables, std::string_view frontend) -> OpMap;

// Whether a condition (docs/op_tables.md, `when`) holds for bound canonical arguments.
auto condition_holds(const parse::Tree& tree, const SourceBuffer& source, const trace::Trace& trace, const ops::CanonicalOp& op,
                     const std::vector<CanonArg>& args, const ops::When& when) -> bool;

}  // namespace ivyc::opmap
