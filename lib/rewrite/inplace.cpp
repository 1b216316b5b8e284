// Rules for mutation: in-place tensor methods (x.add_(y)) and assignments into tensors
// (x[i] = v, x[i] += v). NumPy arrays are mutable, so there they stay mutations; JAX and
// TensorFlow tensors are immutable, so they become functional updates that rebind the name.
#include "rewriter.h"

namespace ivyc::rewrite {

void Rewriter::rule_inplace_method(const opmap::Site& site, const std::string& functional) {
  NodeId call = site.node;
  NodeId parent = trace_.parent(call);
  if (parent == kNone || tree_.kind(parent) != NodeKind::Expr) {
    mark_unsupported(call, site.api,
                     "the in-place " + site.api + " is used as a value; only a statement x." +
                         site.api.substr(site.api.find('.') + 1) + "(...) can become an assignment");
    return;
  }
  NodeId recv = site.receiver;
  NodeKind rk = tree_.kind(recv);
  if (rk != NodeKind::Name && rk != NodeKind::Attribute && rk != NodeKind::Subscript) {
    mark_unsupported(call, site.api, "the receiver of the in-place " + site.api + " is not a name, attribute or subscript");
    return;
  }
  if (map_.site_of.count(recv) && text(recv) != source_text(recv)) {
    // `x.real.clamp_(...)`: the receiver is itself converted (`jnp.real(x)`), not a target.
    mark_unsupported(call, site.api, "the in-place " + site.api + " updates " + std::string(source_text(recv)) +
                                         ", which is not a variable in " + target_);
    return;
  }
  std::string stmt;
  if (handled_.count(recv)) {
    // A layer's variable under torch's name (`nn.init.zeros_(self.fc.bias)`), as the modules rule
    // wrote it: `self.fc.bias[...]` is assigned as it is; `self.fc.kernel[...].T` through its
    // transpose; Keras has no variable to assign before the layer's first call.
    std::string r = text(recv);
    if (target_ == "tensorflow") {
      std::string why;
      if (keras_initializer(site, why)) return;
      edits_.replace(tree_.node(recv).begin, tree_.node(recv).end, std::string(source_text(recv)));  // left as it was
      mark_unsupported(call, site.api, !why.empty() ? why
                                                    : "Keras makes a layer's weights on its first call: give the layer an initializer "
                                                      "(kernel_initializer=..., bias_initializer=...) instead");
      return;
    }
    if (r.ends_with("[...].T")) {
      stmt = r.substr(0, r.size() - 2) + " = (" + functional + ").T";
    } else if (r.ends_with("]")) {
      stmt = r + " = " + functional;
    } else if (target_ == "numpy") {
      stmt = r + "[...] = " + functional;
    } else {
      mark_unsupported(call, site.api, "the in-place " + site.api + " updates " + std::string(source_text(recv)) +
                                           ", which is not a variable in " + target_);
      return;
    }
  } else if (target_ == "numpy") {
    stmt = text(recv) + "[...] = " + functional;
  } else if (rk == NodeKind::Subscript) {
    stmt = subscript_update(recv, functional, false);
    if (stmt.empty()) {
      mark_unsupported(call, site.api, "this in-place update of a subscript has no functional form here");
      return;
    }
  } else {
    stmt = text(recv) + " = " + functional;
  }
  const auto& n = tree_.node(parent);
  edits_.replace(n.begin, n.end, stmt);
  report(call, site.api, site.assumed_tensor ? Status::Assumed : Status::Converted,
         site.assumed_tensor ? "the receiver's kind is unknown; taken for a tensor" : "");
}

// `target` is a Subscript `base[idx]`; returns the statement that sets it to `value` (adds, when
// `add`), or "" when there is none.
auto Rewriter::subscript_update(NodeId target, const std::string& value, bool add) -> std::string {
  NodeId base = tree_.slot(target, FIELD(Subscript, "value"));
  NodeId idx = tree_.slot(target, FIELD(Subscript, "slice"));
  std::string b = text(base);
  std::string i = text(idx);
  NodeKind bk = tree_.kind(base);
  if (target_ == "jax") {
    std::string update = operand(base) + ".at[" + i + "]." + (add ? "add(" : "set(") + value + ")";
    if (bk == NodeKind::Name || bk == NodeKind::Attribute) return b + " = " + update;
    if (bk == NodeKind::Subscript) return subscript_update(base, update, false);
    return "";
  }
  // TensorFlow: scatter into the flat tensor at the positions the index selects.
  if (bk != NodeKind::Name && bk != NodeKind::Attribute) return "";
  NodeId stmt = statement_of(target);
  std::string indent;
  if (stmt == kNone || !indent_of(stmt, indent)) return "";
  std::string pos = fresh_name("_positions");
  return pos + " = tf.reshape(tf.range(tf.size(" + b + ")), tf.shape(" + b + "))[" + i + "]" + newline_ + indent +
         b + " = tf.reshape(tf.tensor_scatter_nd_" + (add ? "add" : "update") + "(tf.reshape(" + b +
         ", [-1]), tf.reshape(" + pos + ", [-1, 1]), tf.reshape(tf.broadcast_to(tf.cast(" + value + ", " + b +
         ".dtype), tf.shape(" + pos + ")), [-1])), tf.shape(" + b + "))";
}

void Rewriter::rule_subscript_assignments() {
  for (NodeId id = 0; id < tree_.size(); ++id) {
    NodeKind k = tree_.kind(id);
    NodeId target = kNone, value = kNone;
    bool aug = false;
    if (k == NodeKind::Assign) {
      auto targets = tree_.list(tree_.slot(id, FIELD(Assign, "targets")));
      bool any = false;
      for (NodeId t : targets) {
        any = any || (tree_.kind(t) == NodeKind::Subscript &&
                      trace_.value(tree_.slot(t, FIELD(Subscript, "value"))).kind == trace::Kind::Tensor);
      }
      if (!any) continue;
      if (targets.size() != 1) {
        mark_unsupported(id, "x[i] = v", "an assignment to several targets including a tensor subscript");
        continue;
      }
      target = targets[0];
      value = tree_.slot(id, FIELD(Assign, "value"));
    } else if (k == NodeKind::AugAssign) {
      target = tree_.slot(id, FIELD(AugAssign, "target"));
      if (tree_.kind(target) != NodeKind::Subscript ||
          trace_.value(tree_.slot(target, FIELD(Subscript, "value"))).kind != trace::Kind::Tensor) {
        continue;
      }
      value = tree_.slot(id, FIELD(AugAssign, "value"));
      aug = true;
    } else {
      continue;
    }
    std::string v = text(value);
    bool add = false;
    if (aug) {
      NodeKind op = tree_.kind(tree_.slot(id, FIELD(AugAssign, "op")));
      if (op == NodeKind::Add) {
        add = true;
      } else {
        // x[i] op= v  ->  x[i] = x[i] op v, the operator spelled as in the source.
        std::string_view src = source_.text();
        uint32_t a = tree_.node(target).end, b = tree_.node(value).begin;
        std::string between(src.substr(a, b - a));
        size_t eq = between.rfind('=');
        std::string opText = between.substr(0, eq);
        while (!opText.empty() && (opText.front() == ' ' || opText.front() == '\t')) opText.erase(0, 1);
        while (!opText.empty() && (opText.back() == ' ' || opText.back() == '\t')) opText.pop_back();
        v = text(target) + " " + opText + " " + operand(value);
      }
    }
    std::string stmt = subscript_update(target, v, add);
    std::string api = aug ? "x[i] op= v" : "x[i] = v";
    if (stmt.empty()) {
      mark_unsupported(id, api, "this assignment into a tensor has no functional form in " + target_ + " here");
      continue;
    }
    const auto& n = tree_.node(id);
    edits_.replace(n.begin, n.end, stmt);
    report(id, api, Status::Converted, "");
  }
}

}  // namespace ivyc::rewrite
