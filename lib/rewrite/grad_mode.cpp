// Rules for torch's grad modes. `with torch.no_grad():` has no counterpart in functional
// frameworks: the block's statements stay (dedented, the `with` line removed), and for JAX and
// TensorFlow the tensors it assigns are wrapped in stop_gradient so that a jax.grad or a
// GradientTape sees what torch's autograd saw. `@torch.no_grad()` on a def: the decorator is
// removed and the returned values are wrapped. enable_grad blocks are dedented only.
#include "rewriter.h"

namespace ivyc::rewrite {

namespace {

auto line_end(std::string_view t, uint32_t pos) -> uint32_t {
  while (pos < t.size() && t[pos] != '\n' && t[pos] != '\r') ++pos;
  if (pos < t.size() && t[pos] == '\r') ++pos;
  if (pos < t.size() && t[pos] == '\n') ++pos;
  return pos;
}

}  // namespace

void Rewriter::rule_grad_mode(const opmap::Site& site) {
  bool stops = site.api != "torch.enable_grad";
  NodeId node = site.node;
  if (site.api == "torch.set_grad_enabled") {
    mark_unsupported(node, site.api, "torch.set_grad_enabled has no counterpart; use no_grad blocks");
    return;
  }
  NodeId parent = trace_.parent(node);
  std::string_view src = source_.text();
  // Collects the Assign values (or Return values) of tensor kind under `root`, outside nested defs.
  auto wrap_values = [&](NodeId root, bool returns) {
    if (!stops || target_ == "numpy") return;
    uint32_t rb = tree_.node(root).begin, re = tree_.node(root).end;
    for (NodeId id = 0; id < tree_.size(); ++id) {
      NodeKind k = tree_.kind(id);
      NodeId value = kNone;
      if (!returns && k == NodeKind::Assign) value = tree_.slot(id, FIELD(Assign, "value"));
      if (returns && k == NodeKind::Return) value = tree_.slot(id, FIELD(Return, "value"));
      if (value == kNone || trace_.value(value).kind != trace::Kind::Tensor) continue;
      if (tree_.node(id).begin < rb || tree_.node(id).end > re) continue;
      // Not inside a def nested in the block.
      NodeId p = trace_.parent(id);
      bool nested = false;
      while (p != kNone && p != root) {
        NodeKind pk = tree_.kind(p);
        if (pk == NodeKind::FunctionDef || pk == NodeKind::AsyncFunctionDef || pk == NodeKind::Lambda ||
            pk == NodeKind::ClassDef) {
          nested = true;
          break;
        }
        p = trace_.parent(p);
      }
      if (!nested) wraps_.push_back({value, "stop_gradient"});
    }
  };
  auto multiline_string_in = [&](NodeId root) {
    uint32_t rb = tree_.node(root).begin, re = tree_.node(root).end;
    for (NodeId id = 0; id < tree_.size(); ++id) {
      NodeKind k = tree_.kind(id);
      if (k != NodeKind::Constant && k != NodeKind::JoinedStr) continue;
      const auto& n = tree_.node(id);
      if (n.begin < rb || n.end > re) continue;
      std::string_view t = src.substr(n.begin, n.end - n.begin);
      if (t.find('\n') != std::string_view::npos) return true;
    }
    return false;
  };

  if (parent != kNone && tree_.kind(parent) == NodeKind::withitem) {
    NodeId with = trace_.parent(parent);
    auto items = tree_.list(tree_.slot(with, FIELD(With, "items")));
    if (items.size() != 1 || tree_.slot(parent, FIELD(withitem, "optional_vars")) != kNone ||
        tree_.kind(with) != NodeKind::With) {
      mark_unsupported(node, site.api, site.api + " together with other context managers");
      return;
    }
    if (multiline_string_in(with)) {
      mark_unsupported(node, site.api, "the " + site.api + " block holds a multi-line string, which dedenting would change");
      return;
    }
    auto body = tree_.list(tree_.slot(with, FIELD(With, "body")));
    uint32_t wb = tree_.node(with).begin;
    uint32_t b0 = tree_.node(body[0]).begin;
    std::string with_indent, body_indent;
    if (!indent_of(with, with_indent)) {
      mark_unsupported(node, site.api, "the with statement does not begin its line");
      return;
    }
    if (line_start(b0) == line_start(wb)) {
      // `with torch.no_grad(): y = f(x)`
      edits_.replace(wb, b0, "");
    } else {
      indent_of(body[0], body_indent);
      // Remove the header: from the `with` to the start of the line after its colon.
      uint32_t colon_line_end = line_end(src, tree_.node(tree_.slot(parent, FIELD(withitem, "context_expr"))).end);
      edits_.replace(line_start(wb), colon_line_end, "");
      if (body_indent.size() > with_indent.size()) {
        dedents_.push_back({colon_line_end, tree_.node(with).end, body_indent, with_indent.size()});
      }
    }
    wrap_values(with, false);
    report(node, site.api, Status::Converted, "");
    return;
  }
  // A decorator: @torch.no_grad() or @torch.no_grad.
  if (NodeId def = decorated_def(node); def != kNone) {
    if (!remove_decorator(node)) {
      mark_unsupported(node, site.api, "the decorator does not stand on its own line");
      return;
    }
    wrap_values(def, true);
    report(node, site.api, Status::Converted, "");
    return;
  }
  mark_unsupported(node, site.api, site.api + " is converted only as a with statement or a decorator");
}

auto Rewriter::decorated_def(NodeId node) const -> NodeId {
  NodeId def = trace_.parent(node);
  if (def == kNone || (tree_.kind(def) != NodeKind::FunctionDef && tree_.kind(def) != NodeKind::AsyncFunctionDef &&
                       tree_.kind(def) != NodeKind::ClassDef)) {
    return kNone;
  }
  int field = tree_.kind(def) == NodeKind::ClassDef ? FIELD(ClassDef, "decorator_list") : FIELD(FunctionDef, "decorator_list");
  for (NodeId d : tree_.list(tree_.slot(def, field))) {
    if (d == node) return def;
  }
  return kNone;
}

auto Rewriter::remove_decorator(NodeId node) -> bool {
  std::string_view src = source_.text();
  uint32_t ls = line_start(tree_.node(node).begin);
  std::string_view before = src.substr(ls, tree_.node(node).begin - ls);
  size_t at = before.find('@');
  uint32_t le = line_end(src, tree_.node(node).end);
  std::string_view after = src.substr(tree_.node(node).end, le - tree_.node(node).end);
  size_t k = 0;
  while (k < after.size() && (after[k] == ' ' || after[k] == '\t')) ++k;
  bool clean_after = k == after.size() || after[k] == '#' || after[k] == '\n' || after[k] == '\r';
  if (at == std::string_view::npos || !clean_after) return false;
  edits_.replace(ls, le, "");
  return true;
}

}  // namespace ivyc::rewrite
