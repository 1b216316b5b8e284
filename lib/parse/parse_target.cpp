// Targets: an expression parsed where a target may stand becomes one (Store or Del contexts on
// Name, Attribute, Subscript, Starred, List and Tuple), or the error names what cannot be
// assigned to, as CPython's invalid_* rules do.
#include <string>

#include "parser_internal.h"

namespace ivyc::parse::internal {

// What CPython calls an expression in its messages (_PyPegen_get_expr_name).
auto Parser::expr_name(NodeId id) const -> std::string_view {
  switch (kind(id)) {
    case NodeKind::Attribute: return "attribute";
    case NodeKind::Subscript: return "subscript";
    case NodeKind::Starred: return "starred";
    case NodeKind::Name: return "name";
    case NodeKind::List: return "list";
    case NodeKind::Tuple: return "tuple";
    case NodeKind::Lambda: return "lambda";
    case NodeKind::Call: return "function call";
    case NodeKind::BoolOp:
    case NodeKind::BinOp:
    case NodeKind::UnaryOp: return "expression";
    case NodeKind::GeneratorExp: return "generator expression";
    case NodeKind::Yield:
    case NodeKind::YieldFrom: return "yield expression";
    case NodeKind::Await: return "await expression";
    case NodeKind::ListComp: return "list comprehension";
    case NodeKind::SetComp: return "set comprehension";
    case NodeKind::DictComp: return "dict comprehension";
    case NodeKind::Dict: return "dict literal";
    case NodeKind::Set: return "set display";
    case NodeKind::JoinedStr:
    case NodeKind::FormattedValue: return "f-string expression";
    case NodeKind::Constant:
      switch (tree_.constant(tree_.slot(id, 0)).kind) {
        case ConstantKind::None: return "None";
        case ConstantKind::True: return "True";
        case ConstantKind::False: return "False";
        case ConstantKind::Ellipsis: return "ellipsis";
        default: return "literal";
      }
    case NodeKind::Compare: return "comparison";
    case NodeKind::IfExp: return "conditional expression";
    case NodeKind::NamedExpr: return "named expression";
    default: return "expression";
  }
}

// The first sub-expression that cannot be a target of this kind, or kNone.
auto Parser::invalid_target(NodeId id, TargetKind tk) const -> NodeId {
  switch (kind(id)) {
    case NodeKind::Name:
    case NodeKind::Attribute:
    case NodeKind::Subscript:
      return kNone;
    case NodeKind::Starred:
      if (tk == TargetKind::Del || tk == TargetKind::AugAssign) return id;
      return invalid_target(tree_.slot(id, 0), tk);
    case NodeKind::Tuple:
    case NodeKind::List:
      if (tk == TargetKind::AugAssign) return id;
      for (NodeId e : tree_.list(tree_.slot(id, 0))) {
        NodeId bad = invalid_target(e, tk);
        if (bad != kNone) return bad;
      }
      return kNone;
    case NodeKind::Compare:
      // `for x in y in z`: CPython blames the left side of a leading `in`.
      if (tk == TargetKind::For) {
        auto ops = tree_.list(tree_.slot(id, 1));
        if (!ops.empty() && kind(ops[0]) == NodeKind::In) {
          return invalid_target(tree_.slot(id, 0), tk);
        }
      }
      return id;
    default:
      return id;
  }
}

namespace {

void apply_context(Tree& tree, NodeId id, NodeId ctx) {
  switch (tree.kind(id)) {
    case NodeKind::Name:
      tree.set_slot(id, 1, ctx);
      return;
    case NodeKind::Attribute:
    case NodeKind::Subscript:
      tree.set_slot(id, 2, ctx);
      return;
    case NodeKind::Starred:
      tree.set_slot(id, 1, ctx);
      apply_context(tree, tree.slot(id, 0), ctx);
      return;
    case NodeKind::Tuple:
    case NodeKind::List:
      tree.set_slot(id, 1, ctx);
      for (NodeId e : tree.list(tree.slot(id, 0))) apply_context(tree, e, ctx);
      return;
    default:
      return;
  }
}

}  // namespace

void Parser::set_target(NodeId id, TargetKind tk) {
  if (failed_) return;
  NodeId bad = invalid_target(id, tk);
  if (bad == kNone) {
    apply_context(tree_, id, singleton(tk == TargetKind::Del ? NodeKind::Del : NodeKind::Store));
    return;
  }
  std::string name(expr_name(bad));
  std::string message;
  switch (tk) {
    case TargetKind::Del:
      message = "cannot delete " + name;
      break;
    case TargetKind::AugAssign:
      message = "'" + name + "' is an illegal expression for augmented assignment";
      break;
    case TargetKind::Walrus:
      message = "cannot use assignment expressions with " + name;
      break;
    case TargetKind::Assign:
      if (kind(bad) == NodeKind::Constant && (name == "True" || name == "False" || name == "None")) {
        message = "cannot assign to " + name;
      } else if (bad == id) {
        message = "cannot assign to " + name + " here. Maybe you meant '==' instead of '='?";
      } else {
        message = "cannot assign to " + name;
      }
      break;
    default:
      message = "cannot assign to " + name;
      break;
  }
  error_at_node(bad, std::move(message), DiagnosticKind::parse_invalid_target);
}

}  // namespace ivyc::parse::internal
