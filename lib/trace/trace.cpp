// The tracer: expression kinds to a fixpoint over the whole file (include/ivyc/trace/trace.h).
#include "ivyc/trace/trace.h"

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

namespace ivyc::trace {

using parse::FieldType;
using parse::kNone;
using parse::NodeCategory;
using parse::NodeKind;
using parse::Tree;

#define FIELD(kind, name) parse::field_index(NodeKind::kind, name)

auto join(Value a, Value b) -> Value {
  if (a.kind == Kind::Unknown) return b;
  if (b.kind == Kind::Unknown) return a;
  if (a == b) return a;
  if (a.kind == b.kind && a.kind != Kind::Named && a.kind != Kind::Instance) return a;
  if ((a.kind == Kind::Int && b.kind == Kind::Float) || (a.kind == Kind::Float && b.kind == Kind::Int)) {
    return {Kind::Float, 0};
  }
  if ((a.kind == Kind::Int && b.kind == Kind::Bool) || (a.kind == Kind::Bool && b.kind == Kind::Int)) {
    return {Kind::Int, 0};
  }
  // A tensor or None (an optional tensor) stays a tensor where it is used as one.
  if ((a.kind == Kind::Tensor && b.kind == Kind::None) || (a.kind == Kind::None && b.kind == Kind::Tensor)) {
    return {Kind::Tensor, 0};
  }
  return {Kind::Mixed, 0};
}

auto to_string(Kind kind) -> std::string_view {
  switch (kind) {
    case Kind::Unknown: return "unknown";
    case Kind::Tensor: return "tensor";
    case Kind::Tensors: return "tensors";
    case Kind::Named: return "named";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::Bool: return "bool";
    case Kind::Str: return "str";
    case Kind::None: return "none";
    case Kind::Shape: return "shape";
    case Kind::DType: return "dtype";
    case Kind::Device: return "device";
    case Kind::Module: return "module";
    case Kind::Layer: return "layer";
    case Kind::Instance: return "instance";
    case Kind::Other: return "other";
    case Kind::Mixed: return "mixed";
  }
  return "?";
}

auto Trace::builtin_attribute_name(std::string_view name) -> bool {
  // Attributes that many other objects have too: not taken for a tensor's on an unknown receiver.
  static const std::set<std::string_view> names = {"real", "imag", "data", "grad", "device", "T", "H"};
  return names.count(name) > 0;
}

auto Trace::builtin_method_name(std::string_view name) -> bool {
  static const std::set<std::string_view> names = {
      "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse",
      "sort", "get", "items", "keys", "values", "update", "setdefault", "popitem", "split", "join",
      "replace", "strip", "format", "startswith", "endswith", "lower", "upper", "find", "add",
      "discard", "union", "intersection", "difference", "encode", "decode", "splitlines", "partition",
      "real", "imag", "conjugate", "bit_length", "is_integer", "hex", "fromkeys", "zfill", "title"};
  return names.count(name) > 0;
}

namespace {

const std::set<std::string_view> kDtypeConstants = {
    "float16", "bfloat16", "float32", "float64", "complex64", "complex128", "int8", "int16",
    "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool"};

}  // namespace

class Tracer {
 public:
  Tracer(const Tree& tree, const sema::SemanticModel& model, const ops::Tables& tables, std::string_view frontend)
      : tree_(tree), model_(model), tables_(tables), fe_(tables.frontend(frontend)), prefix_(frontend) {}

  auto run() -> Trace {
    out_.values_.assign(tree_.size(), Value{});
    out_.parents_.assign(tree_.size(), kNone);
    out_.symbols_.assign(model_.symbol_count(), Value{});
    memo_.assign(tree_.size(), NodeMemo{});
    build_parents();
    index_functions();
    index_module_classes();
    std::vector<NodeId> exprs;
    for (NodeId id = 0; id < tree_.size(); ++id) {
      if (is_expr(id)) exprs.push_back(id);
    }
    stamp_.assign(tree_.size(), 0);
    for (int round = 0; round < 12; ++round) {
      changed_ = false;
      done_ = static_cast<uint32_t>(2 * round + 2);  // stamps: done_ - 1 while valued, done_ after
      param_calls_.clear();
      usage_.clear();
      // Expressions: every node, so that every call and use is seen this round.
      for (NodeId id : exprs) eval(id);
      update_symbols();
      if (!changed_) break;
    }
    return std::move(out_);
  }

 private:
  auto is_expr(NodeId id) const -> bool {
    return parse::node_kind_info(tree_.kind(id)).category == NodeCategory::Expr;
  }
  auto slot(NodeId id, int f) const -> uint32_t { return tree_.slot(id, f); }

  void build_parents() {
    for (NodeId id = 0; id < tree_.size(); ++id) {
      auto cat = parse::node_kind_info(tree_.kind(id)).category;
      if (cat == NodeCategory::ExprContext || cat == NodeCategory::Operator ||
          cat == NodeCategory::BoolOperator || cat == NodeCategory::UnaryOperator ||
          cat == NodeCategory::CompareOperator) {
        continue;
      }
      const auto& fields = parse::node_kind_info(tree_.kind(id)).fields;
      for (size_t i = 0; i < fields.size(); ++i) {
        uint32_t v = slot(id, static_cast<int>(i));
        if (v == kNone) continue;
        switch (fields[i].type) {
          case FieldType::Node:
          case FieldType::OptNode:
            set_parent(v, id);
            break;
          case FieldType::List:
          case FieldType::List312:
            for (uint32_t c : tree_.list(v)) {
              if (c != kNone) set_parent(c, id);
            }
            break;
          default:
            break;
        }
      }
    }
  }
  void set_parent(NodeId child, NodeId parent) {
    auto cat = parse::node_kind_info(tree_.kind(child)).category;
    if (cat == NodeCategory::ExprContext || cat == NodeCategory::Operator ||
        cat == NodeCategory::BoolOperator || cat == NodeCategory::UnaryOperator ||
        cat == NodeCategory::CompareOperator) {
      return;
    }
    out_.parents_[child] = parent;
  }

  // Functions of this file: def node by the symbol its name binds; returns by def.
  void index_functions() {
    for (NodeId id = 0; id < tree_.size(); ++id) {
      NodeKind k = tree_.kind(id);
      if (k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef || k == NodeKind::Lambda) {
        // Parameter defaults, by parameter.
        NodeId a = slot(id, k == NodeKind::Lambda ? FIELD(Lambda, "args") : FIELD(FunctionDef, "args"));
        std::vector<NodeId> positional;
        for (NodeId p : tree_.list(slot(a, FIELD(arguments, "posonlyargs")))) positional.push_back(p);
        for (NodeId p : tree_.list(slot(a, FIELD(arguments, "args")))) positional.push_back(p);
        auto defaults = tree_.list(slot(a, FIELD(arguments, "defaults")));
        for (size_t i = 0; i < defaults.size() && i < positional.size(); ++i) {
          default_of_[positional[positional.size() - defaults.size() + i]] = defaults[i];
        }
        auto kwonly = tree_.list(slot(a, FIELD(arguments, "kwonlyargs")));
        auto kw_defaults = tree_.list(slot(a, FIELD(arguments, "kw_defaults")));
        for (size_t i = 0; i < kwonly.size() && i < kw_defaults.size(); ++i) {
          if (kw_defaults[i] != kNone) default_of_[kwonly[i]] = kw_defaults[i];
        }
      }
      if (k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef) {
        sema::SymbolId s = model_.symbol_at(id);
        if (s != kNone) {
          sema::SymbolId t = model_.symbol(s).target == kNone ? s : model_.symbol(s).target;
          // Only a symbol bound by this one def names it.
          if (model_.bindings_of(t).size() == 1) def_of_symbol_[t] = id;
        }
      } else if (k == NodeKind::Return && slot(id, FIELD(Return, "value")) != kNone) {
        sema::ScopeId sc = model_.scope_at(id);
        if (sc != kNone) returns_of_scope_[sc].push_back(slot(id, FIELD(Return, "value")));
      }
    }
  }

  // Module classes, to a fixpoint over bases of this file; `self` of their regular methods is a
  // layer of the class.
  void index_module_classes() {
    auto classes = model_.classes();
    out_.module_classes_.assign(classes.size(), false);
    for (bool changed = true; changed;) {
      changed = false;
      for (sema::ClassId c = 0; c < classes.size(); ++c) {
        if (out_.module_classes_[c]) continue;
        for (const auto& b : model_.bases(c)) {
          bool module = (b.local != kNone && out_.module_classes_[b.local]) ||
                        (b.path != kNone && is_torch_module_path(model_.text(b.path)));
          if (module) {
            out_.module_classes_[c] = true;
            changed = true;
            break;
          }
        }
      }
    }
    // Other classes of this file: their instances, and the kinds their class bodies annotate
    // (`n_embd: int` in a dataclass).
    for (sema::ClassId c = 0; c < classes.size(); ++c) {
      if (out_.module_classes_[c]) continue;
      plain_class_of_symbol_[classes[c].symbol] = c;
      for (NodeId stmt : tree_.list(slot(classes[c].node, FIELD(ClassDef, "body")))) {
        if (tree_.kind(stmt) != NodeKind::AnnAssign) continue;
        NodeId target = slot(stmt, FIELD(AnnAssign, "target"));
        if (tree_.kind(target) != NodeKind::Name) continue;
        field_kinds_[c][tree_.string(slot(target, FIELD(Name, "id")))] = slot(stmt, FIELD(AnnAssign, "annotation"));
      }
    }
    for (sema::ClassId c = 0; c < classes.size(); ++c) {
      if (!out_.module_classes_[c]) continue;
      Value self = layer_value({"", c});
      for (const auto& m : model_.methods(c)) {
        if (m.self != kNone) self_layer_[m.self] = self;
        if (model_.text(m.name) == "forward") forward_of_class_[c] = m.scope;
      }
      class_of_symbol_[classes[c].symbol] = c;
    }
  }
  // torch.nn.Module, and the torch.nn classes one subclasses as modules.
  auto is_torch_module_path(std::string_view p) const -> bool {
    return p == "torch.nn.Module" || p == "torch.nn.modules.module.Module" || p == "torch.nn.Sequential" ||
           p == "torch.nn.ModuleList" || p == "torch.nn.ModuleDict";
  }
  auto layer_value(Trace::LayerInfo info) -> Value {
    for (size_t i = 0; i < out_.layers_.size(); ++i) {
      if (out_.layers_[i] == info) return {Kind::Layer, static_cast<uint32_t>(i)};
    }
    out_.layers_.push_back(std::move(info));
    return {Kind::Layer, static_cast<uint32_t>(out_.layers_.size() - 1)};
  }
  // What calling a layer gives: its class's forward's returns, else a tensor.
  auto layer_call(Value layer) -> Value {
    const auto* info = out_.layer(layer);
    if (info && info->cls != kNone) {
      auto f = forward_of_class_.find(info->cls);
      if (f != forward_of_class_.end()) {
        auto it = returns_of_scope_.find(f->second);
        if (it != returns_of_scope_.end()) {
          Value ret;
          for (NodeId r : it->second) ret = join(ret, out_.values_[r]);
          if (ret.kind != Kind::Unknown) return ret;
        }
      }
    }
    return {Kind::Tensor, 0};
  }

  auto set_value(NodeId id, Value v) -> Value {
    out_.values_[id] = v;
    return v;
  }

  auto named(const std::vector<std::string>& fields) -> Value {
    for (size_t i = 0; i < out_.fields_.size(); ++i) {
      if (out_.fields_[i] == fields) return {Kind::Named, static_cast<uint32_t>(i)};
    }
    out_.fields_.push_back(fields);
    return {Kind::Named, static_cast<uint32_t>(out_.fields_.size() - 1)};
  }

  auto from_return(ops::ReturnKind r, const std::vector<std::string>& fields) -> Value {
    switch (r) {
      case ops::ReturnKind::Tensor: return {Kind::Tensor, 0};
      case ops::ReturnKind::Tensors: return {Kind::Tensors, 0};
      case ops::ReturnKind::Named: return named(fields);
      case ops::ReturnKind::Int: return {Kind::Int, 0};
      case ops::ReturnKind::Float: return {Kind::Float, 0};
      case ops::ReturnKind::Bool: return {Kind::Bool, 0};
      case ops::ReturnKind::Shape: return {Kind::Shape, 0};
      case ops::ReturnKind::DType: return {Kind::DType, 0};
      case ops::ReturnKind::Device: return {Kind::Device, 0};
      case ops::ReturnKind::None: return {Kind::None, 0};
      case ops::ReturnKind::Other: return {Kind::Other, 0};
      case ops::ReturnKind::Layer: return {Kind::Other, 0};  // layer_value() knows which
    }
    return {};
  }

  // The result kind of an entry list: the overload whose positional count fits, else the first.
  // The overload whose signature the call's positional count and keyword names fit (the first
  // entry otherwise); opmap binds exactly, this only needs the result kind.
  auto entries_result(const std::vector<ops::FrontendEntry>& list, size_t positional, bool method,
                      std::span<const uint32_t> keywords = {}) -> Value {
    const ops::FrontendEntry* pick = &list[0];
    for (const auto& e : list) {
      bool fits = false;
      for (const auto& sig : e.sigs) {
        size_t max_pos = 0;
        bool var = false;
        std::vector<std::string_view> required;
        for (const auto& p : sig.params) {
          if (p.kind == ops::ParamKind::VarPositional) var = true;
          if (p.kind == ops::ParamKind::PositionalOnly || p.kind == ops::ParamKind::PositionalOrKeyword) ++max_pos;
          if (!p.default_text && p.kind != ops::ParamKind::VarPositional && p.kind != ops::ParamKind::VarKeyword) {
            required.push_back(p.name);
          }
        }
        size_t n = positional + (method ? 1 : 0);
        if (!var && n > max_pos) continue;
        bool ok = true;
        std::vector<std::string_view> named;
        for (NodeId k : keywords) {
          uint32_t a = slot(k, FIELD(keyword, "arg"));
          if (a == kNone) continue;
          std::string_view kw = tree_.string(a);
          named.push_back(kw);
          bool found = false;
          for (const auto& p : sig.params) found = found || p.name == kw;
          ok = ok && found;
        }
        // Required parameters beyond the positional ones must be named.
        size_t pos_index = 0;
        for (const auto& p : sig.params) {
          if (p.kind != ops::ParamKind::PositionalOnly && p.kind != ops::ParamKind::PositionalOrKeyword) continue;
          bool given = pos_index < n || std::find(named.begin(), named.end(), p.name) != named.end();
          if (!p.default_text && !given) ok = false;
          ++pos_index;
        }
        if (ok) {
          fits = true;
          break;
        }
      }
      if (fits) {
        pick = &e;
        break;
      }
    }
    std::vector<std::string> fields;
    return from_return(tables_.result_kind(*pick, &fields), fields);
  }

  // Qualified names do not change between rounds: computed once per node.
  auto qualified(NodeId expr) -> const std::optional<std::string>& {
    if (qualified_cache_.empty()) qualified_cache_.resize(tree_.size());
    auto& slot = qualified_cache_[expr];
    if (!slot) slot = model_.qualified_name(tree_, expr);
    return *slot;
  }

  // A path of the source framework (`torch`, `torch.nn.functional.relu`).
  auto is_framework_path(const std::string& q) const -> bool {
    return q == prefix_ || (q.size() > prefix_.size() && q.starts_with(prefix_) && q[prefix_.size()] == '.');
  }

  // Records that a parameter symbol is used as a tensor.
  void use_as_tensor(NodeId expr) {
    if (tree_.kind(expr) != NodeKind::Name) return;
    auto r = model_.resolve(expr);
    if (r.symbol == kNone) return;
    if ((model_.symbol(r.symbol).flags & sema::kSymParameter) == 0) return;
    usage_[r.symbol] = join(usage_[r.symbol], {Kind::Tensor, 0});
  }

  auto eval(NodeId id) -> Value {
    if (id == kNone) return {};
    if (stamp_[id] >= done_ - 1) return out_.values_[id];  // valued this round, or a cycle: last round's value
    stamp_[id] = done_ - 1;
    Value v = compute(id);
    stamp_[id] = done_;
    return set_value(id, v);
  }

  // A name or attribute that denotes an import path: a constant of the frontend (`torch.float32`)
  // or a module; the same every round.
  auto module_path_value(NodeId id) -> Value {
    NodeMemo& m = memo_[id];
    if (!m.path_known) {
      m.path_known = true;
      m.path_value = {Kind::Module, 0};
      const auto& q = qualified(id);
      if (q && fe_) {
        auto c = fe_->constants.find(*q);
        if (c != fe_->constants.end()) m.path_value = constant_kind(c->second);
      }
    }
    return m.path_value;
  }

  auto compute(NodeId id) -> Value {
    switch (tree_.kind(id)) {
      case NodeKind::Constant: {
        const auto& c = tree_.constant(slot(id, FIELD(Constant, "value")));
        switch (c.kind) {
          case parse::ConstantKind::Int: return {Kind::Int, 0};
          case parse::ConstantKind::Float: return {Kind::Float, 0};
          case parse::ConstantKind::True:
          case parse::ConstantKind::False: return {Kind::Bool, 0};
          case parse::ConstantKind::Str: return {Kind::Str, 0};
          case parse::ConstantKind::None: return {Kind::None, 0};
          default: return {Kind::Other, 0};
        }
      }
      case NodeKind::JoinedStr:
        return {Kind::Str, 0};
      case NodeKind::Name: {
        auto r = model_.resolve(id);
        if (r.symbol == kNone) return {};
        if (model_.symbol(r.symbol).path != kNone) return module_path_value(id);
        return out_.symbols_[r.symbol];
      }
      case NodeKind::Attribute: {
        NodeId value = slot(id, FIELD(Attribute, "value"));
        Value base = eval(value);
        std::string_view attr = tree_.string(slot(id, FIELD(Attribute, "attr")));
        if (base.kind == Kind::Module) return module_path_value(id);
        if ((base.kind == Kind::Tensor || base.kind == Kind::Unknown) && fe_) {
          NodeMemo& m = memo_[id];
          if (!m.attribute_known) {
            m.attribute_known = true;
            auto it = fe_->attributes.find(attr);
            if (it != fe_->attributes.end()) {
              std::vector<std::string> fields;
              m.attribute = from_return(tables_.result_kind(it->second, &fields), fields);
              m.builtin_name = Trace::builtin_attribute_name(attr);
            }
          }
          if (m.attribute.kind != Kind::Unknown && (base.kind == Kind::Tensor || !m.builtin_name)) return m.attribute;
        }
        if (base.kind == Kind::Instance) {
          auto f = field_kinds_.find(base.aux);
          if (f != field_kinds_.end()) {
            auto a = f->second.find(attr);
            if (a != f->second.end()) {
              Value k = annotation_kind(a->second);
              if (k.kind == Kind::Int || k.kind == Kind::Float || k.kind == Kind::Bool || k.kind == Kind::Str) return k;
            }
          }
          return {};
        }
        if (base.kind == Kind::Layer) {
          const auto* info = out_.layer(base);
          if (info && info->cls != kNone && info->cls < class_attrs_.size()) {
            auto it = class_attrs_[info->cls].find(attr);
            if (it != class_attrs_[info->cls].end()) return it->second;
          }
          if (attr == "weight" || attr == "bias" || attr == "running_mean" || attr == "running_var") return {Kind::Tensor, 0};
          if (attr == "training") return {Kind::Bool, 0};
          return {};
        }
        if (base.kind == Kind::Named) {
          auto f = out_.fields_[base.aux];
          if (std::find(f.begin(), f.end(), attr) != f.end()) return {Kind::Tensor, 0};
        }
        // self.<attr>: the join of what the class's methods assign to it.
        if (tree_.kind(value) == NodeKind::Name && !class_attrs_.empty()) {
          auto r = model_.resolve(value);
          auto c = class_of_self_.find(r.symbol);
          if (c != class_of_self_.end()) {
            const auto& attrs = class_attrs_[c->second];
            auto it = attrs.find(attr);
            if (it != attrs.end()) return it->second;
          }
        }
        return {};
      }
      case NodeKind::Call:
        return call(id);
      case NodeKind::Subscript: {
        Value base = eval(slot(id, FIELD(Subscript, "value")));
        NodeId sl = slot(id, FIELD(Subscript, "slice"));
        eval(sl);
        bool is_slice = tree_.kind(sl) == NodeKind::Slice;
        switch (base.kind) {
          case Kind::Tensor: return {Kind::Tensor, 0};
          case Kind::Shape: return is_slice ? Value{Kind::Shape, 0} : Value{Kind::Int, 0};
          case Kind::Tensors: return is_slice ? Value{Kind::Tensors, 0} : Value{Kind::Tensor, 0};
          case Kind::Named: return is_slice ? Value{Kind::Tensors, 0} : Value{Kind::Tensor, 0};
          case Kind::Layer: return layer_value({"", kNone});
          default: return {};
        }
      }
      case NodeKind::BinOp: {
        NodeId l = slot(id, FIELD(BinOp, "left")), r = slot(id, FIELD(BinOp, "right"));
        Value a = eval(l), b = eval(r);
        NodeKind op = tree_.kind(slot(id, FIELD(BinOp, "op")));
        if (op == NodeKind::MatMult) {
          use_as_tensor(l);
          use_as_tensor(r);
          return {Kind::Tensor, 0};
        }
        if (a.kind == Kind::Tensor || b.kind == Kind::Tensor) return {Kind::Tensor, 0};
        if (a.kind == Kind::Shape && b.kind == Kind::Shape && op == NodeKind::Add) return {Kind::Shape, 0};
        if ((a.kind == Kind::Int || a.kind == Kind::Bool) && (b.kind == Kind::Int || b.kind == Kind::Bool)) {
          return op == NodeKind::Div ? Value{Kind::Float, 0} : Value{Kind::Int, 0};
        }
        if ((a.kind == Kind::Int || a.kind == Kind::Float) && (b.kind == Kind::Int || b.kind == Kind::Float)) {
          return {Kind::Float, 0};
        }
        if (a.kind == Kind::Str && op == NodeKind::Mod) return {Kind::Str, 0};
        return {};
      }
      case NodeKind::UnaryOp: {
        Value a = eval(slot(id, FIELD(UnaryOp, "operand")));
        if (tree_.kind(slot(id, FIELD(UnaryOp, "op"))) == NodeKind::Not) {
          return a.kind == Kind::Tensor ? Value{} : Value{Kind::Bool, 0};
        }
        return a;
      }
      case NodeKind::Compare: {
        Value a = eval(slot(id, FIELD(Compare, "left")));
        bool tensor = a.kind == Kind::Tensor;
        for (NodeId c : tree_.list(slot(id, FIELD(Compare, "comparators")))) tensor = eval(c).kind == Kind::Tensor || tensor;
        return tensor ? Value{Kind::Tensor, 0} : Value{Kind::Bool, 0};
      }
      case NodeKind::BoolOp: {
        Value v;
        for (NodeId c : tree_.list(slot(id, FIELD(BoolOp, "values")))) v = join(v, eval(c));
        return v;
      }
      case NodeKind::IfExp:
        eval(slot(id, FIELD(IfExp, "test")));
        return join(eval(slot(id, FIELD(IfExp, "body"))), eval(slot(id, FIELD(IfExp, "orelse"))));
      case NodeKind::NamedExpr:
        return eval(slot(id, FIELD(NamedExpr, "value")));
      case NodeKind::Tuple:
      case NodeKind::List: {
        auto elts = tree_.list(slot(id, tree_.kind(id) == NodeKind::Tuple ? FIELD(Tuple, "elts") : FIELD(List, "elts")));
        bool all_tensor = !elts.empty(), all_layer = !elts.empty();
        for (NodeId e : elts) {
          Value v = eval(e);
          all_tensor = all_tensor && v.kind == Kind::Tensor;
          all_layer = all_layer && v.kind == Kind::Layer;
        }
        if (all_tensor) return {Kind::Tensors, 0};
        if (all_layer) return layer_value({"", kNone});  // a list of layers: its elements are layers
        return {Kind::Other, 0};
      }
      case NodeKind::ListComp:
      case NodeKind::GeneratorExp: {
        Value e = eval(slot(id, tree_.kind(id) == NodeKind::ListComp ? FIELD(ListComp, "elt") : FIELD(GeneratorExp, "elt")));
        if (e.kind == Kind::Layer) return layer_value({"", kNone});
        return e.kind == Kind::Tensor && tree_.kind(id) == NodeKind::ListComp ? Value{Kind::Tensors, 0} : Value{Kind::Other, 0};
      }
      case NodeKind::Dict:
      case NodeKind::Set:
      case NodeKind::SetComp:
      case NodeKind::DictComp:
      case NodeKind::Lambda:
        return {Kind::Other, 0};
      default:
        return {};
    }
  }

  auto constant_kind(const std::string& canonical) -> Value {
    if (kDtypeConstants.count(canonical)) return {Kind::DType, 0};
    if (canonical == "Tensor") return {Kind::Other, 0};
    return {Kind::Float, 0};
  }

  auto call(NodeId id) -> Value {
    NodeId func = slot(id, FIELD(Call, "func"));
    auto args = tree_.list(slot(id, FIELD(Call, "args")));
    auto keywords = tree_.list(slot(id, FIELD(Call, "keywords")));
    for (NodeId a : args) eval(a);
    for (NodeId k : keywords) eval(slot(k, FIELD(keyword, "value")));
    NodeKind fk = tree_.kind(func);
    NodeMemo& m = memo_[id];
    // A torch function (or another module's: unknown). The result depends on the call alone.
    if (m.state == Memo::Unknown) {
      m.state = Memo::NotFunction;
      if (fk == NodeKind::Name || fk == NodeKind::Attribute) {
        const auto& q = qualified(func);
        if (q && is_framework_path(*q) && fe_) {
          m.state = Memo::Function;
          auto it = fe_->functions.find(*q);
          if (it != fe_->functions.end() && tables_.result_kind(it->second[0]) == ops::ReturnKind::Layer) {
            m.value = layer_value({it->second[0].op, kNone});  // a layer's arguments are not tensors
          } else {
            m.uses_first_arg = !args.empty();
            if (it != fe_->functions.end()) m.value = entries_result(it->second, args.size(), false, keywords);
          }
        } else if (q) {
          m.state = Memo::Function;
        }
      }
    }
    if (m.state == Memo::Function) {
      if (m.uses_first_arg) use_as_tensor(args[0]);
      return m.value;
    }
    // Calling a layer (`self.fc(x)`, `layer(x)`, `Block(4)(x)`).
    if (Value callee = eval(func); callee.kind == Kind::Layer) {
      return layer_call(callee);
    }
    if (fk == NodeKind::Attribute) {
      NodeId recv = slot(func, FIELD(Attribute, "value"));
      Value r = eval(recv);
      std::string_view name = tree_.string(slot(func, FIELD(Attribute, "attr")));
      if (fe_ && (r.kind == Kind::Tensor || r.kind == Kind::Unknown)) {
        // A tensor method: its result depends on the call alone.
        if (m.state == Memo::NotFunction) {
          bool inplace = false;
          const std::vector<ops::FrontendEntry>* list = fe_->find_method(name, inplace);
          m.state = list ? Memo::Method : Memo::NoMethod;
          if (list) {
            m.value = entries_result(*list, args.size(), true, keywords);
            m.builtin_name = Trace::builtin_method_name(name);
          }
        }
        if (m.state == Memo::Method && (r.kind == Kind::Tensor || !m.builtin_name)) {
          use_as_tensor(recv);
          return m.value;
        }
      }
      if (r.kind == Kind::Shape && name == "numel") return {Kind::Int, 0};
      return {};
    }
    if (fk == NodeKind::Name) {
      auto res = model_.resolve(func);
      std::string_view n = tree_.string(slot(func, FIELD(Name, "id")));
      if (res.kind == sema::NameKind::Builtin) {
        if (n == "len" || n == "int" || n == "round") return {Kind::Int, 0};
        if (n == "float") return {Kind::Float, 0};
        if (n == "bool" || n == "isinstance" || n == "hasattr" || n == "callable") return {Kind::Bool, 0};
        if (n == "str" || n == "repr") return {Kind::Str, 0};
        if (n == "tuple" && !args.empty() && out_.values_[args[0]].kind == Kind::Shape) return {Kind::Shape, 0};
        if ((n == "max" || n == "min" || n == "abs" || n == "sum") && !args.empty()) {
          Value v;
          for (NodeId a : args) v = join(v, out_.values_[a]);
          if (v.kind == Kind::Int || v.kind == Kind::Float || v.kind == Kind::Tensor) return v;
        }
        return {Kind::Other, 0};
      }
      // A module class of this file: a layer.
      if (res.symbol != kNone) {
        auto c = class_of_symbol_.find(res.symbol);
        if (c != class_of_symbol_.end()) {
          // Its __init__'s parameters (after self) take the arguments' kinds.
          if (NodeId init = init_of_class(c->second); init != kNone) local_call(init, args, keywords, 1);
          return layer_value({"", c->second});
        }
        auto pc = plain_class_of_symbol_.find(res.symbol);
        if (pc != plain_class_of_symbol_.end()) return {Kind::Instance, static_cast<uint32_t>(pc->second)};
      }
      // A function of this file: its parameters take the arguments' kinds.
      if (res.symbol != kNone) {
        auto it = def_of_symbol_.find(res.symbol);
        if (it != def_of_symbol_.end()) return local_call(it->second, args, keywords);
      }
    }
    return {};
  }

  // The __init__ of a module class (its own, or a local base's).
  auto init_of_class(sema::ClassId c) const -> NodeId {
    for (int depth = 0; c != kNone && depth < 32; ++depth) {
      for (const auto& m : model_.methods(c)) {
        if (model_.text(m.name) == "__init__" && m.kind == sema::MethodKind::Regular) return m.def;
      }
      sema::ClassId next = kNone;
      for (const auto& b : model_.bases(c)) {
        if (b.local != kNone) next = b.local;
      }
      c = next;
    }
    return kNone;
  }

  auto local_call(NodeId def, std::span<const uint32_t> args, std::span<const uint32_t> keywords, size_t skip = 0) -> Value {
    NodeId arguments = slot(def, FIELD(FunctionDef, "args"));
    std::vector<NodeId> params;
    for (NodeId p : tree_.list(slot(arguments, FIELD(arguments, "posonlyargs")))) params.push_back(p);
    for (NodeId p : tree_.list(slot(arguments, FIELD(arguments, "args")))) params.push_back(p);
    params.erase(params.begin(), params.begin() + std::min(skip, params.size()));
    for (size_t i = 0; i < args.size() && i < params.size(); ++i) {
      if (tree_.kind(args[i]) == NodeKind::Starred) break;
      note_param(params[i], out_.values_[args[i]]);
    }
    std::vector<NodeId> all = params;
    for (NodeId p : tree_.list(slot(arguments, FIELD(arguments, "kwonlyargs")))) all.push_back(p);
    for (NodeId k : keywords) {
      uint32_t name = slot(k, FIELD(keyword, "arg"));
      if (name == kNone) continue;
      for (NodeId p : all) {
        if (tree_.string(slot(p, FIELD(arg, "arg"))) == tree_.string(name)) {
          note_param(p, out_.values_[slot(k, FIELD(keyword, "value"))]);
        }
      }
    }
    Value ret;
    sema::ScopeId body = model_.scope_of(def);
    auto it = returns_of_scope_.find(body);
    if (it != returns_of_scope_.end()) {
      for (NodeId r : it->second) ret = join(ret, out_.values_[r]);
    }
    return ret;
  }

  void note_param(NodeId arg_node, Value v) {
    sema::SymbolId s = model_.symbol_at(arg_node);
    if (s == kNone) return;
    param_calls_[s] = join(param_calls_[s], v);
  }

  auto annotation_kind(NodeId ann) -> Value {
    if (ann == kNone) return {};
    const auto& q = qualified(ann);
    if (q) {
      if (*q == "torch.Tensor" || *q == "torch.FloatTensor" || *q == "torch.LongTensor" ||
          *q == "torch.nn.Parameter") {
        return {Kind::Tensor, 0};
      }
      if (*q == "torch.Size") return {Kind::Shape, 0};
      if (is_torch_module_path(*q)) return layer_value({"", kNone});
      if (*q == "torch.dtype") return {Kind::DType, 0};
      if (*q == "torch.device") return {Kind::Device, 0};
    }
    if (tree_.kind(ann) == NodeKind::Name) {
      auto r = model_.resolve(ann);
      auto c = r.symbol == kNone ? class_of_symbol_.end() : class_of_symbol_.find(r.symbol);
      if (c != class_of_symbol_.end()) return layer_value({"", c->second});
      auto pc = r.symbol == kNone ? plain_class_of_symbol_.end() : plain_class_of_symbol_.find(r.symbol);
      if (pc != plain_class_of_symbol_.end()) return {Kind::Instance, static_cast<uint32_t>(pc->second)};
    }
    if (tree_.kind(ann) == NodeKind::Name && model_.resolve(ann).kind == sema::NameKind::Builtin) {
      std::string_view n = tree_.string(slot(ann, FIELD(Name, "id")));
      if (n == "int") return {Kind::Int, 0};
      if (n == "float") return {Kind::Float, 0};
      if (n == "bool") return {Kind::Bool, 0};
      if (n == "str") return {Kind::Str, 0};
    }
    // Optional[Tensor], Tensor | None: the tensor.
    if (tree_.kind(ann) == NodeKind::Subscript) return annotation_kind(slot(ann, FIELD(Subscript, "slice")));
    if (tree_.kind(ann) == NodeKind::BinOp) {
      Value a = annotation_kind(slot(ann, FIELD(BinOp, "left")));
      return a.kind != Kind::Unknown ? a : annotation_kind(slot(ann, FIELD(BinOp, "right")));
    }
    return {};
  }

  // The kind the statement binding `site` gives it, for bindings without a known value.
  auto element_of(Value v) -> Value {
    switch (v.kind) {
      case Kind::Tensor:
      case Kind::Tensors:
      case Kind::Named: return {Kind::Tensor, 0};
      case Kind::Shape: return {Kind::Int, 0};
      case Kind::Layer: return layer_value({"", kNone});
      default: return {};
    }
  }

  auto unpacked_from(NodeId site) -> Value {
    // Walk up through Tuple/List targets to the statement or comprehension.
    NodeId n = site;
    NodeId p = out_.parents_[n];
    while (p != kNone && (tree_.kind(p) == NodeKind::Tuple || tree_.kind(p) == NodeKind::List ||
                          tree_.kind(p) == NodeKind::Starred)) {
      n = p;
      p = out_.parents_[p];
    }
    if (p == kNone) return {};
    switch (tree_.kind(p)) {
      case NodeKind::Assign:
        return n == site ? out_.values_[slot(p, FIELD(Assign, "value"))] : element_of(out_.values_[slot(p, FIELD(Assign, "value"))]);
      case NodeKind::For:
      case NodeKind::AsyncFor: {
        Value it = out_.values_[slot(p, FIELD(For, "iter"))];
        Value e = element_of(it);
        if (n != site) e = element_of(e);
        NodeId iter = slot(p, FIELD(For, "iter"));
        if (tree_.kind(iter) == NodeKind::Call) {
          NodeId f = slot(iter, FIELD(Call, "func"));
          if (tree_.kind(f) == NodeKind::Name && tree_.string(slot(f, FIELD(Name, "id"))) == "range") return {Kind::Int, 0};
        }
        return e;
      }
      case NodeKind::comprehension: {
        Value e = element_of(out_.values_[slot(p, FIELD(comprehension, "iter"))]);
        if (n != site) e = element_of(e);
        return e;
      }
      default:
        return {};
    }
  }

  // What a symbol is: the join of what its bindings give, as the nodes are valued now.
  auto symbol_value(sema::SymbolId s) -> Value {
    Value v;
    for (const auto& b : model_.bindings_of(s)) {
      switch (b.kind) {
        case sema::BindingKind::Assign:
        case sema::BindingKind::AnnAssign:
        case sema::BindingKind::NamedExpr:
          if (b.value != kNone) {
            v = join(v, out_.values_[b.value]);
          } else {
            v = join(v, unpacked_from(b.site));
          }
          if (b.kind == sema::BindingKind::AnnAssign) {
            NodeId stmt = out_.parents_[b.site];
            if (stmt != kNone && tree_.kind(stmt) == NodeKind::AnnAssign) {
              v = join(v, annotation_kind(slot(stmt, FIELD(AnnAssign, "annotation"))));
            }
          }
          break;
        case sema::BindingKind::AugAssign: {
          NodeId stmt = out_.parents_[b.site];
          if (stmt != kNone && tree_.kind(stmt) == NodeKind::AugAssign) v = join(v, out_.values_[slot(stmt, FIELD(AugAssign, "value"))]);
          break;
        }
        case sema::BindingKind::For:
        case sema::BindingKind::Comprehension:
          v = join(v, unpacked_from(b.site));
          break;
        case sema::BindingKind::Parameter: {
          if (auto sl = self_layer_.find(s); sl != self_layer_.end()) {
            v = join(v, sl->second);
            break;
          }
          Value p = annotation_kind(slot(b.site, FIELD(arg, "annotation")));
          if (p.kind == Kind::Unknown) {
            auto it = param_calls_.find(s);
            if (it != param_calls_.end()) p = it->second;
          }
          if (p.kind == Kind::Unknown) {
            auto it = usage_.find(s);
            if (it != usage_.end()) p = it->second;
          }
          // A default that is a number, a string or a bool says what the parameter is.
          if (p.kind == Kind::Unknown) {
            auto d = default_of_.find(b.site);
            if (d != default_of_.end()) {
              Value dv = out_.values_[d->second];
              if (dv.kind == Kind::Int || dv.kind == Kind::Float || dv.kind == Kind::Bool || dv.kind == Kind::Str) p = dv;
            }
          }
          v = join(v, p);
          break;
        }
        case sema::BindingKind::Import:
        case sema::BindingKind::ImportFrom:
          v = join(v, {Kind::Module, 0});
          break;
        case sema::BindingKind::FunctionDef:
        case sema::BindingKind::ClassDef:
          v = join(v, {Kind::Other, 0});
          break;
        default:
          break;
      }
    }
    return v;
  }

  void update_symbols() {
    std::vector<Value> next(model_.symbol_count());
    for (sema::SymbolId s = 0; s < model_.symbol_count(); ++s) next[s] = symbol_value(s);
    // Self attributes: `self.<attr> = value` in the class's methods, per class; each method's
    // `self` symbol names its class.
    std::vector<std::unordered_map<std::string_view, Value>> attrs(model_.classes().size());
    for (sema::ClassId c = 0; c < model_.classes().size(); ++c) {
      if (class_attrs_.empty()) {
        for (const auto& m : model_.methods(c)) {
          if (m.self != kNone) class_of_self_[m.self] = c;
        }
      }
      for (const auto& a : model_.attributes(c)) {
        Value v;
        for (NodeId site : model_.attribute_sites(a)) {
          NodeId stmt = out_.parents_[site];
          if (stmt != kNone && tree_.kind(stmt) == NodeKind::Assign) {
            v = join(v, out_.values_[slot(stmt, FIELD(Assign, "value"))]);
          } else if (stmt != kNone && tree_.kind(stmt) == NodeKind::AnnAssign) {
            v = join(v, annotation_kind(slot(stmt, FIELD(AnnAssign, "annotation"))));
            NodeId val = slot(stmt, FIELD(AnnAssign, "value"));
            if (val != kNone) v = join(v, out_.values_[val]);
          } else {
            v = join(v, Value{Kind::Mixed, 0});
          }
        }
        attrs[c][model_.text(a.name)] = v;
      }
    }
    if (next != out_.symbols_ || attrs != class_attrs_) changed_ = true;
    out_.symbols_ = std::move(next);
    class_attrs_ = std::move(attrs);
  }

  const Tree& tree_;
  const sema::SemanticModel& model_;
  const ops::Tables& tables_;
  const ops::Frontend* fe_;
  std::string prefix_;
  Trace out_;
  std::vector<uint32_t> stamp_;  // per node: done_ once valued this round, done_ - 1 while being valued
  uint32_t done_ = 0;
  bool changed_ = false;
  std::unordered_map<sema::SymbolId, NodeId> def_of_symbol_;
  std::unordered_map<sema::ScopeId, std::vector<NodeId>> returns_of_scope_;
  std::unordered_map<sema::SymbolId, Value> param_calls_;
  std::unordered_map<sema::SymbolId, Value> usage_;
  std::vector<std::unordered_map<std::string_view, Value>> class_attrs_;  // by class: attribute -> kind
  std::unordered_map<sema::SymbolId, sema::ClassId> class_of_self_;
  std::unordered_map<sema::SymbolId, Value> self_layer_;             // `self` of a module class's methods
  std::unordered_map<sema::ClassId, sema::ScopeId> forward_of_class_;
  std::unordered_map<sema::SymbolId, sema::ClassId> class_of_symbol_;  // module classes by name
  std::unordered_map<NodeId, NodeId> default_of_;                     // parameter -> its default
  std::unordered_map<sema::SymbolId, sema::ClassId> plain_class_of_symbol_;  // the file's other classes
  std::unordered_map<uint32_t, std::unordered_map<std::string_view, NodeId>> field_kinds_;  // class -> field -> annotation
  std::vector<std::optional<std::optional<std::string>>> qualified_cache_;
  // What does not change between rounds, per node: a call's result from the frontend's tables
  // (torch functions and tensor methods), an attribute's as a tensor attribute.
  enum class Memo : uint8_t { Unknown, Function, NotFunction, Method, NoMethod };
  struct NodeMemo {
    Memo state = Memo::Unknown;
    bool uses_first_arg = false;  // a torch function's first argument is used as a tensor
    bool builtin_name = false;    // a method or attribute name that builtin objects have too
    bool attribute_known = false;
    Value value;                  // Function / Method: the result
    Value attribute;              // attribute_known: the tensor attribute's result, or Unknown
    bool path_known = false;
    Value path_value;             // path_known: what a name or attribute denoting an import path is
  };
  std::vector<NodeMemo> memo_;
};

auto trace(const Tree& tree, const sema::SemanticModel& model, const ops::Tables& tables, std::string_view frontend) -> Trace {
  return Tracer(tree, model, tables, frontend).run();
}

}  // namespace ivyc::trace
