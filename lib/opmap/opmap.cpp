// Finding the framework sites of a file and binding their arguments to canonical parameters.
#include "ivyc/opmap/opmap.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace ivyc::opmap {

using parse::kNone;
using parse::NodeKind;
using parse::Tree;
using trace::Kind;

#define FIELD(kind, name) parse::field_index(NodeKind::kind, name)

namespace {

auto node_text(const Tree& tree, const SourceBuffer& source, NodeId id) -> std::string_view {
  const auto& n = tree.node(id);
  return source.text().substr(n.begin, n.end - n.begin);
}

auto is_int_literal(const Tree& tree, NodeId id) -> bool {
  if (tree.kind(id) == NodeKind::UnaryOp && tree.kind(tree.slot(id, FIELD(UnaryOp, "op"))) == NodeKind::USub) {
    id = tree.slot(id, FIELD(UnaryOp, "operand"));
  }
  return tree.kind(id) == NodeKind::Constant &&
         tree.constant(tree.slot(id, FIELD(Constant, "value"))).kind == parse::ConstantKind::Int;
}

auto is_number_text(std::string_view t) -> bool {
  if (t.starts_with("-")) t.remove_prefix(1);
  if (t.empty()) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '_'; });
}

const std::set<std::string_view> kGradModes = {"torch.no_grad", "torch.enable_grad", "torch.inference_mode", "torch.set_grad_enabled"};

class Mapper {
 public:
  Mapper(const Tree& tree, const SourceBuffer& source, const sema::SemanticModel& model,
         const trace::Trace& trace, const ops::Tables& tables, std::string_view frontend)
      : tree_(tree), source_(source), model_(model), trace_(trace), tables_(tables), fe_(tables.frontend(frontend)),
        prefix_(frontend) {}

  auto run() -> OpMap {
    consumed_.assign(tree_.size(), false);
    std::vector<NodeId> order;
    for (NodeId id = 0; id < tree_.size(); ++id) {
      NodeKind k = tree_.kind(id);
      if (k == NodeKind::Call || k == NodeKind::Attribute || k == NodeKind::Name) order.push_back(id);
    }
    // Calls first (they consume their func), then the rest; the result is sorted afterwards.
    for (NodeId id : order) {
      if (tree_.kind(id) == NodeKind::Call) visit_call(id);
    }
    for (NodeId id : order) {
      if (tree_.kind(id) != NodeKind::Call && !consumed_[id]) visit_reference(id);
    }
    std::sort(out_.sites.begin(), out_.sites.end(), [&](const Site& a, const Site& b) {
      const auto& na = tree_.node(a.node);
      const auto& nb = tree_.node(b.node);
      if (na.end != nb.end) return na.end < nb.end;
      return na.begin > nb.begin;  // inner (shorter) first
    });
    for (uint32_t i = 0; i < out_.sites.size(); ++i) out_.site_of[out_.sites[i].node] = i;
    return std::move(out_);
  }

 private:
  auto is_framework_path(const std::string& q) const -> bool {
    return q == prefix_ || (q.size() > prefix_.size() && q.starts_with(prefix_) && q[prefix_.size()] == '.');
  }

  void consume_chain(NodeId id) {
    while (id != kNone && (tree_.kind(id) == NodeKind::Attribute || tree_.kind(id) == NodeKind::Name)) {
      consumed_[id] = true;
      if (tree_.kind(id) == NodeKind::Name) break;
      id = tree_.slot(id, FIELD(Attribute, "value"));
    }
  }

  void visit_call(NodeId id) {
    NodeId func = tree_.slot(id, FIELD(Call, "func"));
    NodeKind fk = tree_.kind(func);
    if (fk != NodeKind::Name && fk != NodeKind::Attribute) return;
    auto q = model_.qualified_name(tree_, func);
    if (q && is_framework_path(*q) && fe_) {
      consume_chain(func);
      Site site;
      site.node = id;
      site.api = *q;
      if (kGradModes.count(*q)) {
        site.kind = SiteKind::Function;
        site.op = "__grad_mode";
        out_.sites.push_back(std::move(site));
        return;
      }
      auto it = fe_->functions.find(*q);
      if (it == fe_->functions.end()) {
        site.kind = SiteKind::Reference;
        site.reason = "no mapping for " + *q;
        out_.sites.push_back(std::move(site));
        return;
      }
      site.kind = SiteKind::Function;
      bind_entries(site, it->second, id, kNone);
      out_.sites.push_back(std::move(site));
      return;
    }
    if (q || fk != NodeKind::Attribute || !fe_) return;
    // A tensor method.
    NodeId recv = tree_.slot(func, FIELD(Attribute, "value"));
    std::string_view name = tree_.string(tree_.slot(func, FIELD(Attribute, "attr")));
    Kind rk = trace_.value(recv).kind;
    if (rk != Kind::Tensor && rk != Kind::Unknown) return;
    bool inplace = false;
    const std::vector<ops::FrontendEntry>* list = fe_->find_method(name, inplace);
    if (list == nullptr) return;
    if (rk == Kind::Unknown && trace::Trace::builtin_method_name(name)) return;
    Site site;
    site.node = id;
    site.kind = SiteKind::Method;
    site.api = "Tensor." + std::string(name);
    site.receiver = recv;
    site.inplace = inplace;
    site.assumed_tensor = rk == Kind::Unknown;
    consumed_[func] = true;
    bind_entries(site, *list, id, recv);
    out_.sites.push_back(std::move(site));
  }

  void visit_reference(NodeId id) {
    NodeKind k = tree_.kind(id);
    NodeId parent = trace_.parent(id);
    const auto q = model_.qualified_name(tree_, id);  // set for import paths (`torch.float32`)
    if (k == NodeKind::Attribute) {
      NodeId value = tree_.slot(id, FIELD(Attribute, "value"));
      std::string_view attr = tree_.string(tree_.slot(id, FIELD(Attribute, "attr")));
      trace::Value bv = trace_.value(value);
      bool store = tree_.kind(tree_.slot(id, FIELD(Attribute, "ctx"))) != NodeKind::Load;
      if (bv.kind == Kind::Named && !store) {
        auto fields = trace_.fields(bv);
        auto f = std::find(fields.begin(), fields.end(), attr);
        if (f != fields.end()) {
          Site site;
          site.node = id;
          site.kind = SiteKind::Attribute;
          site.api = "result." + std::string(attr);
          site.receiver = value;
          site.field = static_cast<int>(f - fields.begin());
          out_.sites.push_back(std::move(site));
          return;
        }
      }
      bool assumed = bv.kind == Kind::Unknown && !trace::Trace::builtin_attribute_name(attr);
      if ((bv.kind == Kind::Tensor || assumed) && fe_ && !store && !q) {
        auto it = fe_->attributes.find(attr);
        if (it != fe_->attributes.end()) {
          Site site;
          site.node = id;
          site.kind = SiteKind::Attribute;
          site.api = "Tensor." + std::string(attr);
          site.receiver = value;
          site.assumed_tensor = assumed;
          site.entry = &it->second;
          site.op = it->second.op;
          if (!it->second.unsupported.empty()) {
            site.reason = it->second.unsupported;
          } else if (const ops::CanonicalOp* op = tables_.op(site.op)) {
            site.args.resize(op->params.size());
            if (!op->params.empty()) {
              site.args[0].kind = ArgKind::Node;
              site.args[0].node = value;
            }
            apply_set(site, it->second, *op);
          } else {
            site.reason = "unknown op " + site.op;
          }
          out_.sites.push_back(std::move(site));
          return;
        }
      }
    }
    if (k != NodeKind::Attribute && k != NodeKind::Name) return;
    if (!q || !is_framework_path(*q) || !fe_) return;
    // The outermost node of an attribute chain only (the chain's attributes have paths too).
    if (parent != kNone && tree_.kind(parent) == NodeKind::Attribute && tree_.slot(parent, FIELD(Attribute, "value")) == id) {
      return;
    }
    if (k == NodeKind::Name && tree_.kind(tree_.slot(id, FIELD(Name, "ctx"))) != NodeKind::Load) return;
    Site site;
    site.node = id;
    site.api = *q;
    if (kGradModes.count(*q)) {  // `@torch.no_grad` without a call
      site.kind = SiteKind::Function;
      site.op = "__grad_mode";
      consume_chain(id);
      out_.sites.push_back(std::move(site));
      return;
    }
    auto fn = fe_->functions.find(*q);
    if (fn != fe_->functions.end()) {  // a function used as a value
      site.kind = SiteKind::Function;
      site.reference = true;
      site.entry = &fn->second[0];
      site.op = site.entry->op;
      if (!site.entry->unsupported.empty()) site.reason = site.entry->unsupported;
      consume_chain(id);
      out_.sites.push_back(std::move(site));
      return;
    }
    auto c = fe_->constants.find(*q);
    if (c != fe_->constants.end()) {
      site.kind = SiteKind::Constant;
      site.op = c->second;
    } else {
      site.kind = SiteKind::Reference;
      site.reason = "no mapping for " + *q;
    }
    consume_chain(id);
    out_.sites.push_back(std::move(site));
  }

  void apply_set(Site& site, const ops::FrontendEntry& e, const ops::CanonicalOp& op) {
    for (const auto& [name, text] : e.set) {
      int i = op.param_index(name);
      if (i >= 0) {
        site.args[i].kind = ArgKind::Text;
        site.args[i].text = text;
      }
    }
  }

  // Tries each overload; the first that binds (and whose `when` holds) fills the site.
  void bind_entries(Site& site, const std::vector<ops::FrontendEntry>& list, NodeId call, NodeId receiver) {
    std::string first_reason;
    for (const auto& e : list) {
      Site trial = site;
      trial.entry = &e;
      trial.op = e.op;
      std::string why;
      if (!e.unsupported.empty()) {
        // Applies when the call fits its signature (or it has none).
        if (!e.sigs.empty() && !fits(e, call, receiver)) continue;
        trial.reason = e.unsupported;
        site = std::move(trial);
        return;
      }
      if (bind(trial, e, call, receiver, why)) {
        site = std::move(trial);
        return;
      }
      if (first_reason.empty()) first_reason = why;
    }
    site.entry = &list[0];
    site.op = list[0].op;
    site.reason = first_reason.empty() ? "the call's arguments fit no signature of " + site.api : first_reason;
  }

  // Whether the call's arguments bind to one of the entry's signatures.
  auto fits(const ops::FrontendEntry& e, NodeId call, NodeId receiver) -> bool {
    auto args = tree_.list(tree_.slot(call, FIELD(Call, "args")));
    auto keywords = tree_.list(tree_.slot(call, FIELD(Call, "keywords")));
    for (const auto& sig : e.sigs) {
      std::map<std::string, std::vector<NodeId>> bound;
      std::string err;
      if (bind_sig(sig, args, keywords, receiver, bound, err)) return true;
    }
    return false;
  }

  auto bind(Site& site, const ops::FrontendEntry& e, NodeId call, NodeId receiver, std::string& why) -> bool {
    const ops::CanonicalOp* op = tables_.op(e.op);
    if (op == nullptr) {
      why = "unknown op " + e.op;
      return false;
    }
    auto args = tree_.list(tree_.slot(call, FIELD(Call, "args")));
    auto keywords = tree_.list(tree_.slot(call, FIELD(Call, "keywords")));
    for (NodeId k : keywords) {
      if (tree_.slot(k, FIELD(keyword, "arg")) == kNone) {
        why = "a **kwargs argument cannot be bound to " + site.api + "'s parameters statically";
        return false;
      }
    }
    for (const auto& sig : e.sigs) {
      std::map<std::string, std::vector<NodeId>> bound;
      std::string err;
      if (bind_sig(sig, args, keywords, receiver, bound, err)) {
        return map_args(site, e, *op, sig, bound, why);
      }
      if (why.empty()) why = site.api + ": " + err;
    }
    if (e.sigs.empty()) {
      why = site.api + " has no signature in the table";
    }
    return false;
  }

  auto bind_sig(const ops::Signature& sig, std::span<const uint32_t> args, std::span<const uint32_t> keywords,
                NodeId receiver, std::map<std::string, std::vector<NodeId>>& bound, std::string& err) -> bool {
    size_t p = 0;
    const auto& params = sig.params;
    if (receiver != kNone) {
      if (params.empty()) {
        err = "no self parameter";
        return false;
      }
      bound[params[0].name] = {receiver};
      p = 1;
    }
    const ops::SigParam* var = nullptr;
    for (const auto& q : params) {
      if (q.kind == ops::ParamKind::VarPositional) var = &q;
    }
    for (NodeId a : args) {
      if (tree_.kind(a) == NodeKind::Starred) {
        // `*xs` fills the signature's own *varargs, once the fixed positional parameters are bound.
        bool fixed_left = false;
        for (size_t q = p; q < params.size(); ++q) {
          fixed_left = fixed_left || params[q].kind == ops::ParamKind::PositionalOnly ||
                       params[q].kind == ops::ParamKind::PositionalOrKeyword;
          if (params[q].kind == ops::ParamKind::VarPositional) break;
        }
        if (var == nullptr || fixed_left) {
          err = "a *args argument cannot be bound statically";
          return false;
        }
        p = params.size();
        bound[var->name].push_back(a);
        continue;
      }
      while (p < params.size() && params[p].kind != ops::ParamKind::PositionalOnly &&
             params[p].kind != ops::ParamKind::PositionalOrKeyword) {
        if (params[p].kind == ops::ParamKind::VarPositional || params[p].kind == ops::ParamKind::KeywordOnly ||
            params[p].kind == ops::ParamKind::VarKeyword) {
          p = params.size();
          break;
        }
        ++p;
      }
      if (p < params.size()) {
        bound[params[p].name] = {a};
        ++p;
      } else if (var) {
        bound[var->name].push_back(a);
      } else {
        err = "too many positional arguments";
        return false;
      }
    }
    for (NodeId k : keywords) {
      if (tree_.slot(k, FIELD(keyword, "arg")) == kNone) {
        err = "a **kwargs argument cannot be bound statically";
        return false;
      }
      std::string_view name = tree_.string(tree_.slot(k, FIELD(keyword, "arg")));
      const ops::SigParam* target = nullptr;
      for (const auto& q : params) {
        if (q.name == name && (q.kind == ops::ParamKind::PositionalOrKeyword || q.kind == ops::ParamKind::KeywordOnly)) target = &q;
      }
      if (target == nullptr) {
        // A **kwargs parameter takes it (only a dropped one can: canonical ops have none).
        for (const auto& q : params) {
          if (q.kind == ops::ParamKind::VarKeyword) target = &q;
        }
        if (target != nullptr) {
          bound[target->name].push_back(tree_.slot(k, FIELD(keyword, "value")));
          continue;
        }
        err = "unexpected keyword argument '" + std::string(name) + "'";
        return false;
      }
      if (bound.count(target->name)) {
        err = "argument '" + std::string(name) + "' given twice";
        return false;
      }
      bound[target->name] = {tree_.slot(k, FIELD(keyword, "value"))};
    }
    for (const auto& q : params) {
      if (!q.default_text && q.kind != ops::ParamKind::VarPositional && q.kind != ops::ParamKind::VarKeyword &&
          !bound.count(q.name)) {
        err = "missing argument '" + q.name + "'";
        return false;
      }
    }
    return true;
  }

  auto map_args(Site& site, const ops::FrontendEntry& e, const ops::CanonicalOp& op, const ops::Signature& sig,
                const std::map<std::string, std::vector<NodeId>>& bound, std::string& why) -> bool {
    site.args.assign(op.params.size(), CanonArg{});
    for (const auto& q : sig.params) {
      auto b = bound.find(q.name);
      bool given = b != bound.end() && !(q.kind == ops::ParamKind::VarPositional && b->second.empty());
      if (std::find(e.drop.begin(), e.drop.end(), q.name) != e.drop.end()) continue;
      auto r = e.refuse.find(q.name);
      if (r != e.refuse.end()) {
        if (given) {
          site.reason = r->second;
          return true;
        }
        continue;
      }
      auto m = e.args.find(q.name);
      if (m == e.args.end()) continue;
      int ci = op.param_index(m->second.to);
      if (ci < 0) continue;
      CanonArg& ca = site.args[ci];
      if (!given) {
        // The source's default, where it differs from the canonical one.
        const auto& cdef = op.params[ci].default_text;
        // A source default of None means "not given": the canonical parameter stays absent.
        if (q.default_text && *q.default_text != "None" && (!cdef || *cdef != *q.default_text) &&
            q.kind != ops::ParamKind::VarPositional) {
          std::string text = *q.default_text;
          if (m->second.has_map) {
            auto mm = std::find_if(m->second.map.begin(), m->second.map.end(), [&](const auto& kv) { return kv.first == text; });
            if (mm != m->second.map.end()) text = mm->second;
          }
          if (!cdef || *cdef != text) {
            ca.kind = ArgKind::Text;
            ca.text = text;
          }
        }
        continue;
      }
      if (q.kind == ops::ParamKind::VarPositional) {
        const auto& nodes = b->second;
        if (nodes.size() == 1) {
          NodeId only = nodes[0];
          Kind k = trace_.value(only).kind;
          if (is_int_literal(tree_, only) || k == Kind::Int || tree_.kind(only) == NodeKind::Starred) {
            ca.kind = ArgKind::Pack;
            ca.pack = nodes;
          } else {
            ca.kind = ArgKind::Node;
            ca.node = only;
          }
        } else {
          ca.kind = ArgKind::Pack;
          ca.pack = nodes;
        }
        continue;
      }
      NodeId node = b->second[0];
      if (m->second.has_map) {
        std::string text(node_text(tree_, source_, node));
        auto mm = std::find_if(m->second.map.begin(), m->second.map.end(), [&](const auto& kv) { return kv.first == text; });
        if (mm == m->second.map.end()) {
          std::string allowed;
          for (const auto& kv : m->second.map) allowed += (allowed.empty() ? "" : ", ") + kv.first;
          why = site.api + ": argument " + q.name + "=" + text + " is not one of the values that can be converted (" + allowed + ")";
          return false;
        }
        ca.kind = ArgKind::Text;
        ca.text = mm->second;
        continue;
      }
      ca.kind = ArgKind::Node;
      ca.node = node;
    }
    apply_set(site, e, op);
    if (site.kind == SiteKind::Function && !e.inplace.empty()) {
      // An in-place function (`torch.nn.init.zeros_(w)`): the result goes back to that argument.
      auto b = bound.find(e.inplace);
      if (b != bound.end() && !b->second.empty()) {
        site.inplace = true;
        site.receiver = b->second[0];
      }
    }
    if (!e.when.empty() && !condition_holds(tree_, source_, trace_, op, site.args, e.when)) {
      why = site.api + ": no overload applies";
      return false;
    }
    return true;
  }

  const Tree& tree_;
  const SourceBuffer& source_;
  const sema::SemanticModel& model_;
  const trace::Trace& trace_;
  const ops::Tables& tables_;
  const ops::Frontend* fe_;
  std::string prefix_;
  std::vector<bool> consumed_;
  OpMap out_;
};

}  // namespace

auto condition_holds(const Tree& tree, const SourceBuffer& source, const trace::Trace& trace, const ops::CanonicalOp& op,
                     const std::vector<CanonArg>& args, const ops::When& when) -> bool {
  for (const auto& [name, cond] : when) {
    int i = op.param_index(name);
    if (i < 0 || static_cast<size_t>(i) >= args.size()) return false;
    const CanonArg& a = args[i];
    std::string text = a.kind == ArgKind::Node ? std::string(node_text(tree, source, a.node)) : a.text;
    bool ok = false;
    if (cond == "absent") {
      ok = a.kind == ArgKind::Absent;
    } else if (cond == "present") {
      ok = a.kind != ArgKind::Absent;
    } else if (cond == "none") {
      ok = (a.kind == ArgKind::Absent && op.params[i].default_text == "None") ||
           ((a.kind == ArgKind::Node || a.kind == ArgKind::Text) && text == "None");
    } else if (cond == "int") {
      ok = (a.kind == ArgKind::Node && is_int_literal(tree, a.node)) ||
           (a.kind == ArgKind::Text && is_number_text(text) && text.find('.') == std::string::npos);
    } else if (cond == "intval") {
      // An int literal, or a value traced as an int (a dataclass field annotated int, ...).
      ok = (a.kind == ArgKind::Node && (is_int_literal(tree, a.node) || trace.value(a.node).kind == Kind::Int)) ||
           (a.kind == ArgKind::Text && is_number_text(text) && text.find('.') == std::string::npos);
    } else if (cond == "sequence") {
      ok = a.kind == ArgKind::Pack ||
           (a.kind == ArgKind::Node && (tree.kind(a.node) == NodeKind::Tuple || tree.kind(a.node) == NodeKind::List ||
                                        tree.kind(a.node) == NodeKind::ListComp));
    } else if (cond == "tensor") {
      ok = a.kind == ArgKind::Node && trace.value(a.node).kind == Kind::Tensor;
    } else if (cond == "scalar") {
      Kind k = a.kind == ArgKind::Node ? trace.value(a.node).kind : Kind::Unknown;
      ok = k == Kind::Int || k == Kind::Float || (a.kind == ArgKind::Text && is_number_text(text));
    } else if (cond.starts_with("len=")) {
      // A tuple or list display (or packed varargs) of exactly N elements.
      size_t n = static_cast<size_t>(std::atoi(cond.c_str() + 4));
      if (a.kind == ArgKind::Pack) {
        ok = a.pack.size() == n;
      } else if (a.kind == ArgKind::Node && (tree.kind(a.node) == NodeKind::Tuple || tree.kind(a.node) == NodeKind::List)) {
        int f = tree.kind(a.node) == NodeKind::Tuple ? FIELD(Tuple, "elts") : FIELD(List, "elts");
        ok = tree.list(tree.slot(a.node, f)).size() == n;
      }
    } else if (cond == "dtype") {
      // A dtype: a dtype constant or a value traced as one.
      ok = (a.kind == ArgKind::Node && trace.value(a.node).kind == Kind::DType) ||
           (a.kind == ArgKind::Text && text.starts_with("torch."));
    } else if (cond == "device") {
      // A device: a string literal, a torch.device(...) or a value traced as a device.
      Kind k = a.kind == ArgKind::Node ? trace.value(a.node).kind : Kind::Unknown;
      ok = k == Kind::Device || k == Kind::Str;
    } else if (cond.starts_with("=")) {
      ok = a.kind != ArgKind::Absent ? text == cond.substr(1)
                                     : (op.params[i].default_text && *op.params[i].default_text == cond.substr(1));
    }
    if (!ok) return false;
  }
  return true;
}

auto map_ops(const Tree& tree, const SourceBuffer& source, const sema::SemanticModel& model, const trace::Trace& trace,
             const ops::Tables& tables, std::string_view frontend) -> OpMap {
  return Mapper(tree, source, model, trace, tables, frontend).run();
}

}  // namespace ivyc::opmap
