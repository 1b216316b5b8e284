// The modules rule (docs/modules.md): torch.nn.Module classes become Flax NNX modules, Keras layers
// or plain NumPy classes. Layer constructors themselves are ordinary sites (their ops return
// layers); this rule does what is about classes: bases, `forward`, `rngs`, `self.training`,
// buffers, the nn.Module API on layers and torch attribute names on layers.
#include <algorithm>

#include "rewriter.h"

namespace ivyc::rewrite {

using trace::Kind;

namespace {

// nn.Module methods, as a user calls them on a model, with what the target has instead.
struct ModuleMethod {
  std::string_view name;
  std::string_view jax, tensorflow, numpy;  // "" keep the call; "=receiver" the receiver alone; else a reason
};

constexpr std::string_view kKeep = "";
constexpr std::string_view kReceiver = "=receiver";

const ModuleMethod kModuleMethods[] = {
    {"train", kKeep, "Keras has no train/eval mode on the model: pass training=True to the call", "NumPy models are inference only (eval mode)"},
    {"eval", kKeep, "Keras has no train/eval mode on the model: pass training=False to the call (the default)", kReceiver},
    {"to", kReceiver, kReceiver, kReceiver},
    {"cuda", kReceiver, kReceiver, kReceiver},
    {"cpu", kReceiver, kReceiver, kReceiver},
    {"float", kReceiver, kReceiver, kReceiver},
    {"parameters", "use nnx.state(model, nnx.Param) for the parameters", "use model.trainable_variables", "NumPy models have no parameter API"},
    {"named_parameters", "use nnx.state(model, nnx.Param) for the parameters", "use model.trainable_variables", "NumPy models have no parameter API"},
    {"state_dict", "use nnx.state(model)", "use model.weights", "NumPy models have no state_dict"},
    {"load_state_dict", "use load_torch_weights(model, state_dict), defined in this file", "use load_torch_weights(model, state_dict), defined in this file", "use load_torch_weights(model, state_dict), defined in this file"},
    {"zero_grad", "gradients are values in JAX (nnx.grad): nothing to zero", "gradients are values in TensorFlow (GradientTape): nothing to zero", "NumPy models are not trained"},
    {"modules", "use nnx.iter_modules(model)", "use model._flatten_layers()", "NumPy models have no module API"},
    {"named_modules", "use nnx.iter_modules(model)", "use model._flatten_layers()", "NumPy models have no module API"},
    {"children", "use nnx.iter_children(model)", "use model.layers", "NumPy models have no module API"},
    {"apply", "nn.Module.apply has no NNX counterpart: loop over nnx.iter_modules(model)", "nn.Module.apply has no Keras counterpart", "NumPy models have no module API"},
    {"requires_grad_", "choose what to differentiate with nnx.grad's filter (nnx.DiffState)", "set layer.trainable", "NumPy models are not trained"},
    {"half", "convert the parameters with jax.tree.map", "set the layer dtype policy", "convert the arrays with astype"},
    {"double", "convert the parameters with jax.tree.map", "set the layer dtype policy", "convert the arrays with astype"},
    {"register_parameter", "assign an nnx.Param attribute", "assign a keras.Variable attribute", "assign the array as an attribute"},
    {"add_module", "assign the module as an attribute", "assign the layer as an attribute", "assign the object as an attribute"},
    {"buffers", "use nnx.state(model, nnx.Variable)", "use model.non_trainable_variables", "NumPy models have no buffer API"},
};

}  // namespace

auto Rewriter::enclosing_def(NodeId n) const -> NodeId {
  for (n = trace_.parent(n); n != kNone; n = trace_.parent(n)) {
    NodeKind k = tree_.kind(n);
    if (k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef) return n;
    if (k == NodeKind::ClassDef) return kNone;
  }
  return kNone;
}

// Adds a parameter at the end of a def's parameters (before `**kwargs`): keyword-only (`*, name`)
// unless the def has a `*` already, or an earlier rule added one.
void Rewriter::add_parameter(NodeId def, const std::string& param, bool keyword_only) {
  std::string_view src = source_.text();
  NodeId args = tree_.slot(def, FIELD(FunctionDef, "args"));
  NodeId vararg = tree_.slot(args, FIELD(arguments, "vararg"));
  NodeId kwarg = tree_.slot(args, FIELD(arguments, "kwarg"));
  bool star_seen = vararg != kNone || !tree_.list(tree_.slot(args, FIELD(arguments, "kwonlyargs"))).empty() ||
                   star_added_.count(def);
  std::string ins = keyword_only && !star_seen ? "*, " + param : param;
  if (keyword_only) star_added_.insert(def);
  if (kwarg != kNone) {
    uint32_t at = static_cast<uint32_t>(src.rfind("**", tree_.node(kwarg).begin));
    edits_.insert(at, ins + ", ");
    return;
  }
  uint32_t k = params_close(def);
  while (k > 0 && (src[k - 1] == ' ' || src[k - 1] == '\n' || src[k - 1] == '\r' || src[k - 1] == '\t')) --k;
  if (src[k - 1] == '(') {
    edits_.insert(k, ins);
  } else if (src[k - 1] == ',') {
    edits_.insert(k, " " + ins);
  } else {
    edits_.insert(k, ", " + ins);
  }
}

// The offset of the `)` that closes a def's parameters.
auto Rewriter::params_close(NodeId def) const -> uint32_t {
  std::string_view src = source_.text();
  size_t open = src.find('(', tree_.node(def).begin);
  if (open == std::string_view::npos) return 0;
  int depth = 0;
  for (size_t i = open; i < src.size(); ++i) {
    char c = src[i];
    if (c == '\'' || c == '"') {
      size_t j = src.find(c, i + 1);
      if (j == std::string_view::npos) return 0;
      i = j;
      continue;
    }
    if (c == '#') {
      while (i < src.size() && src[i] != '\n') ++i;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) return static_cast<uint32_t>(i);
    }
  }
  return 0;
}

// Lines inserted at the start of a def's body (after its docstring).
void Rewriter::insert_body_lines(NodeId def, const std::vector<std::string>& lines) {
  auto body = tree_.list(tree_.slot(def, FIELD(FunctionDef, "body")));
  if (body.empty()) return;
  NodeId first = body[0];
  bool doc = tree_.kind(first) == NodeKind::Expr &&
             tree_.kind(tree_.slot(first, FIELD(Expr, "value"))) == NodeKind::Constant &&
             tree_.constant(tree_.slot(tree_.slot(first, FIELD(Expr, "value")), FIELD(Constant, "value"))).kind ==
                 parse::ConstantKind::Str;
  std::string indent;
  if (!indent_of(first, indent)) return;  // `def f(): body` on one line: left alone
  std::string text;
  for (const auto& l : lines) text += indent + l + newline_;
  if (doc && body.size() > 1) {
    edits_.insert(line_start(tree_.node(body[1]).begin), text);
  } else if (doc) {
    uint32_t e = tree_.node(first).end;
    std::string_view t = source_.text();
    while (e < t.size() && t[e] != '\n') ++e;
    edits_.insert(e < t.size() ? e + 1 : e, text);
  } else {
    edits_.insert(line_start(tree_.node(first).begin), text);
  }
}

auto Rewriter::layer_of(NodeId n) const -> const trace::Trace::LayerInfo* { return trace_.layer(trace_.value(n)); }

// Whether a class of this file (or a local base of it) defines method `name`.
auto Rewriter::class_defines(sema::ClassId c, std::string_view name) const -> bool {
  for (int depth = 0; c != kNone && depth < 32; ++depth) {
    for (const auto& m : model_.methods(c)) {
      if (model_.text(m.name) == name) return true;
    }
    sema::ClassId next = kNone;
    for (const auto& b : model_.bases(c)) {
      if (b.local != kNone) next = b.local;
    }
    c = next;
  }
  return false;
}

// A module class's own __init__, or kNone.
auto Rewriter::own_init(sema::ClassId c) const -> NodeId {
  for (const auto& m : model_.methods(c)) {
    if (model_.text(m.name) == "__init__" && m.kind == sema::MethodKind::Regular) return m.def;
  }
  return kNone;
}

// A layer_attributes template with its `{layer}` filled in.
auto Rewriter::fill_layer(std::string tmpl, const std::string& layer) -> std::string {
  for (size_t p = 0; (p = tmpl.find("{layer}", p)) != std::string::npos; p += layer.size()) tmpl.replace(p, 7, layer);
  return tmpl;
}

// Adds a keyword argument at the end of a call's arguments.
void Rewriter::add_call_argument(NodeId call, const std::string& arg) {
  std::string_view t = source_.text();
  uint32_t q = tree_.node(call).end - 1;
  while (q > 0 && (t[q - 1] == ' ' || t[q - 1] == '\n' || t[q - 1] == '\r' || t[q - 1] == '\t')) --q;
  edits_.insert(q, (t[q - 1] == '(' ? "" : t[q - 1] == ',' ? " " : ", ") + arg);
}

// Before any other rule: which defs are module __init__s that get `rngs` (jax).
void Rewriter::prepare_modules() {
  if (target_ != "jax") return;
  auto classes = model_.classes();
  for (sema::ClassId c = 0; c < classes.size(); ++c) {
    if (!trace_.is_module_class(c)) continue;
    NodeId init = own_init(c);
    if (init == kNone) continue;
    rngs_defs_.insert(init);
    for (const auto& m : model_.methods(c)) {
      if (m.def != init && m.kind == sema::MethodKind::Regular && m.self != kNone) method_class_[m.def] = c;
    }
  }
}

// The key a random op in a module's method draws (jax): the module keeps its __init__'s rngs.
auto Rewriter::method_key(NodeId def) -> std::string {
  auto it = method_class_.find(def);
  if (it == method_class_.end()) return "";
  for (const auto& m : model_.methods(it->second)) {
    if (m.def != def) continue;
    rngs_kept_.insert(it->second);
    return std::string(model_.text(model_.symbol(m.self).name)) + ".rngs()";
  }
  return "";
}

void Rewriter::rule_modules_before_sites() {
  auto classes = model_.classes();
  bool any = false;
  // Which module classes another module class builds (Keras: those are layers, the rest models),
  // and which take `rngs` (jax: those with an __init__ of their own or from a local base).
  std::vector<bool> built_inside(classes.size(), false), takes_rngs(classes.size(), false);
  std::unordered_map<sema::SymbolId, sema::ClassId> class_of_symbol;
  for (sema::ClassId c = 0; c < classes.size(); ++c) {
    if (!trace_.is_module_class(c)) continue;
    any = true;
    class_of_symbol[classes[c].symbol] = c;
  }
  if (!any) return;
  module_file_ = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (sema::ClassId c = 0; c < classes.size(); ++c) {
      if (!trace_.is_module_class(c) || takes_rngs[c]) continue;
      bool t = own_init(c) != kNone;
      for (const auto& b : model_.bases(c)) t = t || (b.local != kNone && takes_rngs[b.local]);
      if (t) takes_rngs[c] = changed = true;
    }
  }
  // Calls of module classes: inside which def.
  std::vector<std::pair<NodeId, sema::ClassId>> class_calls;
  for (NodeId id = 0; id < tree_.size(); ++id) {
    if (tree_.kind(id) != NodeKind::Call) continue;
    NodeId f = tree_.slot(id, FIELD(Call, "func"));
    if (tree_.kind(f) != NodeKind::Name) continue;
    auto r = model_.resolve(f);
    auto it = r.symbol == kNone ? class_of_symbol.end() : class_of_symbol.find(r.symbol);
    if (it == class_of_symbol.end()) continue;
    class_calls.emplace_back(id, it->second);
    // Inside a method of a module class?
    for (NodeId p = trace_.parent(id); p != kNone; p = trace_.parent(p)) {
      if (tree_.kind(p) == NodeKind::ClassDef) {
        sema::ClassId owner = model_.class_at(p);
        if (owner != kNone && trace_.is_module_class(owner)) built_inside[it->second] = true;
        break;
      }
    }
  }
  // Classes that read `<layer>.training` (jax: they get `self.deterministic`), in one pass.
  std::set<sema::ClassId> reads_training;
  for (NodeId id = 0; id < tree_.size(); ++id) {
    if (tree_.kind(id) != NodeKind::Attribute || tree_.string(tree_.slot(id, FIELD(Attribute, "attr"))) != "training" ||
        !layer_of(tree_.slot(id, FIELD(Attribute, "value")))) {
      continue;
    }
    for (NodeId p = trace_.parent(id); p != kNone; p = trace_.parent(p)) {
      if (tree_.kind(p) == NodeKind::ClassDef) {
        reads_training.insert(model_.class_at(p));
        break;
      }
    }
  }
  // Classes: bases, forward, __init__.
  for (sema::ClassId c = 0; c < classes.size(); ++c) {
    if (!trace_.is_module_class(c)) continue;
    NodeId cls = classes[c].node;
    auto bases = model_.bases(c);
    for (const auto& b : bases) {
      if (b.path == kNone) continue;
      std::string_view p = model_.text(b.path);
      if (p != "torch.nn.Module" && p != "torch.nn.modules.module.Module") continue;
      const auto& bn = tree_.node(b.expr);
      // keras.Model reserves `layers`: a class that sets it is a keras.layers.Layer.
      bool sets_layers = false;
      for (const auto& a : model_.attributes(c)) sets_layers = sets_layers || model_.text(a.name) == "layers";
      if (target_ == "tensorflow" && !built_inside[c] && !sets_layers) {
        edits_.replace(bn.begin, bn.end, "keras.Model");
        handled_.insert(b.expr);
        report(b.expr, "torch.nn.Module", Status::Converted, "");
      } else if (target_ == "numpy" && bases.size() == 1 && tree_.list(tree_.slot(cls, FIELD(ClassDef, "keywords"))).empty()) {
        std::string_view t = source_.text();
        uint32_t open = bn.begin, close = bn.end;
        while (open > tree_.node(cls).begin && t[open - 1] != '(') --open;
        while (close < t.size() && t[close] != ')') ++close;
        if (open > tree_.node(cls).begin && close < t.size()) {
          edits_.replace(open - 1, close + 1, "");
          handled_.insert(b.expr);
          report(b.expr, "torch.nn.Module", Status::Converted, "");
        }
      }
    }
    for (const auto& m : model_.methods(c)) {
      std::string_view name = model_.text(m.name);
      if (name == "forward" && m.kind == sema::MethodKind::Regular) {
        // The def's name.
        std::string_view t = source_.text();
        uint32_t p = static_cast<uint32_t>(t.find("forward", tree_.node(m.def).begin));
        edits_.replace(p, p + 7, target_ == "tensorflow" ? "call" : "__call__");
        if (target_ == "tensorflow") add_parameter(m.def, "training=None", false);
        forward_defs_.insert(m.def);
      }
    }
    // nnx: an attribute first set to None and elsewhere to a layer is data from the start
    // (`self.downsample = None`; nnx refuses to turn a static attribute into a module later).
    if (target_ == "jax") {
      for (const auto& a : model_.attributes(c)) {
        std::vector<NodeId> nones;
        bool layer = false;
        for (NodeId site : model_.attribute_sites(a)) {
          NodeId stmt = trace_.parent(site);
          if (stmt == kNone || tree_.kind(stmt) != NodeKind::Assign) continue;
          NodeId v = tree_.slot(stmt, FIELD(Assign, "value"));
          if (tree_.kind(v) == NodeKind::Constant && source_text(v) == "None") {
            nones.push_back(v);
          } else if (trace_.value(v).kind == Kind::Layer) {
            layer = true;
          }
        }
        if (!layer) continue;
        for (NodeId v : nones) edits_.replace(tree_.node(v).begin, tree_.node(v).end, "nnx.data(None)");
      }
    }
    if (NodeId init = own_init(c); target_ == "jax" && init != kNone) {
      add_parameter(init, "rngs: nnx.Rngs | None = None", true);
      std::vector<std::string> lines = {"rngs = rngs if rngs is not None else nnx.Rngs(0)"};
      if (rngs_kept_.count(c)) lines.push_back("self.rngs = rngs  # the random ops of the methods draw from it");
      if (reads_training.count(c)) lines.push_back("self.deterministic = False  # nnx's model.train() / model.eval() set it");
      insert_body_lines(init, lines);
    }
  }
  // jax: module classes built inside an __init__ that has rngs get it.
  if (target_ == "jax") {
    for (auto [call, c] : class_calls) {
      if (!takes_rngs[c]) continue;
      NodeId def = enclosing_def(call);
      bool in_init = false;
      for (NodeId d = def; d != kNone; d = enclosing_def(d)) in_init = in_init || rngs_defs_.count(d);
      if (!in_init) continue;
      add_call_argument(call, "rngs=rngs");
    }
  }
  // Attributes of layers: self.training, torch's names of layer variables, forward. A statement
  // that assigns a layer's variable (weight tying) stays as it is, reported.
  std::set<NodeId> tying;
  for (NodeId id = 0; id < tree_.size(); ++id) {
    if (tree_.kind(id) != NodeKind::Attribute || tree_.kind(tree_.slot(id, FIELD(Attribute, "ctx"))) == NodeKind::Load) continue;
    const auto* layer = layer_of(tree_.slot(id, FIELD(Attribute, "value")));
    if (layer == nullptr || layer->op.empty()) continue;
    auto la = backend_->layer_attributes.find(layer->op);
    std::string_view attr = tree_.string(tree_.slot(id, FIELD(Attribute, "attr")));
    if (la != backend_->layer_attributes.end() && la->second.count(attr) && !plain_attribute(la->second.find(attr)->second)) {
      tying.insert(statement_of(id));
    }
  }
  for (NodeId id = 0; id < tree_.size(); ++id) {
    if (tree_.kind(id) != NodeKind::Attribute) continue;
    NodeId value = tree_.slot(id, FIELD(Attribute, "value"));
    std::string_view attr = tree_.string(tree_.slot(id, FIELD(Attribute, "attr")));
    bool load = tree_.kind(tree_.slot(id, FIELD(Attribute, "ctx"))) == NodeKind::Load;
    const auto* layer = layer_of(value);
    bool super_call = tree_.kind(value) == NodeKind::Call &&
                      tree_.kind(tree_.slot(value, FIELD(Call, "func"))) == NodeKind::Name &&
                      tree_.string(tree_.slot(tree_.slot(value, FIELD(Call, "func")), FIELD(Name, "id"))) == "super";
    if (layer == nullptr && !super_call) {
      // A variable of a layer's part (`self.attn.out_proj.weight`), where the table names it so.
      if (tree_.kind(value) != NodeKind::Attribute || !load) continue;
      NodeId base = tree_.slot(value, FIELD(Attribute, "value"));
      const auto* owner = layer_of(base);
      if (owner == nullptr || owner->op.empty()) continue;
      auto la = backend_->layer_attributes.find(owner->op);
      std::string dotted = std::string(tree_.string(tree_.slot(value, FIELD(Attribute, "attr")))) + "." + std::string(attr);
      if (la == backend_->layer_attributes.end() || !la->second.count(dotted) || tying.count(statement_of(id))) continue;
      std::string out = fill_layer(la->second.find(dotted)->second, operand(base));
      edits_.replace(tree_.node(id).begin, tree_.node(id).end, out);
      handled_.insert(id);
      report(id, "torch.nn." + owner->op + "." + dotted, Status::Converted, "");
      continue;
    }
    const auto& n = tree_.node(id);
    if (attr == "forward" && load && (super_call || layer->op.empty())) {
      uint32_t p = n.end - 7;
      edits_.replace(p, n.end, target_ == "tensorflow" ? "call" : "__call__");
      continue;
    }
    if (layer == nullptr) continue;
    if (attr == "training" && (layer->cls != kNone || layer->op.empty())) {
      if (!load) {
        mark_unsupported(id, "Module.training", "set the mode with model.train() / model.eval()");
        continue;
      }
      NodeId parent = trace_.parent(id);
      NodeKind pk = parent == kNone ? NodeKind::Module : tree_.kind(parent);
      bool bare = pk == NodeKind::If || pk == NodeKind::While || pk == NodeKind::BoolOp ||
                  (pk == NodeKind::IfExp && tree_.slot(parent, FIELD(IfExp, "test")) == id) ||
                  (pk == NodeKind::UnaryOp && tree_.kind(tree_.slot(parent, FIELD(UnaryOp, "op"))) == NodeKind::Not);
      std::string out;
      if (target_ == "jax") {
        std::string neg = "not " + text(value) + ".deterministic";
        out = bare ? neg : "(" + neg + ")";
      } else if (target_ == "tensorflow") {
        NodeId def = enclosing_def(id);
        while (def != kNone && !forward_defs_.count(def)) def = enclosing_def(def);
        if (def == kNone || source_text(value) != "self") {
          mark_unsupported(id, "Module.training", "Keras passes the mode to call() as `training`: self.training outside forward has no counterpart");
          continue;
        }
        out = "bool(training)";
      } else {
        out = "False";
      }
      edits_.replace(n.begin, n.end, out);
      report(id, "Module.training", Status::Converted, "");
      continue;
    }
    if (layer->op.empty()) continue;
    if (load && tying.count(statement_of(id))) continue;
    auto la = backend_->layer_attributes.find(layer->op);
    const std::string* tmpl = nullptr;
    if (la != backend_->layer_attributes.end()) {
      auto a = la->second.find(attr);
      if (a != la->second.end()) tmpl = &a->second;
    }
    if (tmpl == nullptr) {
      if (attr == "weight" || attr == "bias" || attr == "running_mean" || attr == "running_var") {
        mark_unsupported(id, "torch.nn." + layer->op + "." + std::string(attr), "no " + target_ + " spelling for " + layer->op + "." + std::string(attr));
      }
      continue;
    }
    if (!load && plain_attribute(*tmpl)) {
      // The target keeps the variable as a plain attribute (NumPy): the assignment ties it as in torch.
      std::string out = fill_layer(*tmpl, operand(value));
      if (out != source_text(id)) edits_.replace(n.begin, n.end, out);
      handled_.insert(id);
      report(id, "torch.nn." + layer->op + "." + std::string(attr), Status::Converted, "");
      continue;
    }
    if (!load) {
      mark_unsupported(id, "torch.nn." + layer->op + "." + std::string(attr),
                       "assigning a layer's variable (weight tying) has no counterpart: share it by using the other layer's variable where it is read");
      continue;
    }
    edits_.replace(n.begin, n.end, fill_layer(*tmpl, operand(value)));
    handled_.insert(id);
    report(id, "torch.nn." + layer->op + "." + std::string(attr), Status::Converted, "");
  }
  if (backend_->definitions.count("load_torch_weights")) definitions_.push_back("load_torch_weights");
}

// A layer attribute template that is `{layer}.name`: an attribute that can be assigned.
auto Rewriter::plain_attribute(std::string_view t) -> bool {
  if (!t.starts_with("{layer}.")) return false;
  t.remove_prefix(8);
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

void Rewriter::rule_modules_after_sites() {
  // NumPy: a tensor that a module's __init__ keeps as a plain attribute (neither an nn.Parameter
  // nor a buffer) is not in torch's state_dict; the arrays of a NumPy model all look alike, so it
  // is marked as the loader's non-persistent kind.
  if (target_ == "numpy" && module_file_) {
    auto classes = model_.classes();
    for (sema::ClassId c = 0; c < classes.size(); ++c) {
      if (!trace_.is_module_class(c)) continue;
      NodeId init = own_init(c);
      if (init == kNone) continue;
      for (const auto& a : model_.attributes(c)) {
        for (NodeId site : model_.attribute_sites(a)) {
          NodeId stmt = trace_.parent(site);
          if (stmt == kNone || tree_.kind(stmt) != NodeKind::Assign || enclosing_def(stmt) != init) continue;
          NodeId v = tree_.slot(stmt, FIELD(Assign, "value"));
          if (trace_.value(v).kind != Kind::Tensor || !plain_tensor(v)) continue;
          std::vector<opmap::CanonArg> args(1);
          args[0].kind = opmap::ArgKind::Node;
          args[0].node = v;
          std::string out, reason;
          if (!render_op("NonPersistentBuffer", args, kNone, out, reason)) continue;
          edits_.replace(tree_.node(v).begin, tree_.node(v).end, out);
        }
      }
    }
  }
  for (NodeId id = 0; id < tree_.size(); ++id) {
    if (tree_.kind(id) != NodeKind::Call) continue;
    NodeId f = tree_.slot(id, FIELD(Call, "func"));
    if (tree_.kind(f) != NodeKind::Attribute) continue;
    NodeId recv = tree_.slot(f, FIELD(Attribute, "value"));
    const auto* layer = layer_of(recv);
    if (layer == nullptr) continue;
    std::string_view name = tree_.string(tree_.slot(f, FIELD(Attribute, "attr")));
    if (layer->cls != kNone && class_defines(layer->cls, name)) continue;  // the file's own method
    const auto& n = tree_.node(id);
    auto args = tree_.list(tree_.slot(id, FIELD(Call, "args")));
    auto keywords = tree_.list(tree_.slot(id, FIELD(Call, "keywords")));
    if (name == "register_buffer") {
      NodeId stmt = trace_.parent(id);
      std::string api = "Module.register_buffer";
      if (stmt == kNone || tree_.kind(stmt) != NodeKind::Expr || args.size() < 2 ||
          tree_.kind(args[0]) != NodeKind::Constant ||
          tree_.constant(tree_.slot(args[0], FIELD(Constant, "value"))).kind != parse::ConstantKind::Str) {
        mark_unsupported(id, api, "register_buffer is converted as a statement with a literal name");
        continue;
      }
      bool persistent = true;
      NodeId pers = args.size() > 2 ? args[2] : kNone;
      for (NodeId k : keywords) {
        uint32_t a = tree_.slot(k, FIELD(keyword, "arg"));
        if (a != kNone && tree_.string(a) == "persistent") pers = tree_.slot(k, FIELD(keyword, "value"));
      }
      if (pers != kNone) {
        std::string_view pt = source_text(pers);
        if (pt == "False") {
          persistent = false;
        } else if (pt != "True") {
          mark_unsupported(id, api, "persistent= must be a literal True or False");
          continue;
        }
      }
      std::string name_text(source_text(args[0]));
      name_text = name_text.substr(1, name_text.size() - 2);
      std::string value;
      if (source_text(args[1]) == "None") {
        value = "None";
      } else {
        std::vector<opmap::CanonArg> a(1);
        a[0].kind = opmap::ArgKind::Node;
        a[0].node = args[1];
        std::string reason;
        if (!render_op(persistent ? "Buffer" : "NonPersistentBuffer", a, kNone, value, reason)) {
          mark_unsupported(id, api, reason);
          continue;
        }
      }
      edits_.replace(n.begin, n.end, operand(recv) + "." + name_text + " = " + value);
      report(id, api, Status::Converted, "");
      continue;
    }
    const ModuleMethod* mm = nullptr;
    for (const auto& m : kModuleMethods) {
      if (m.name == name) mm = &m;
    }
    if (mm == nullptr) continue;
    std::string_view what = target_ == "jax" ? mm->jax : target_ == "tensorflow" ? mm->tensorflow : mm->numpy;
    std::string api = "Module." + std::string(name);
    if (what == kKeep) {
      report(id, api, Status::Converted, "");
    } else if (what == kReceiver) {
      // `model.cuda()` as a statement does nothing in the target: it goes.
      NodeId parent = trace_.parent(id);
      if (parent != kNone && tree_.kind(parent) == NodeKind::Expr) {
        remove_statement(parent);
      } else {
        edits_.replace(n.begin, n.end, text(recv));
      }
      report(id, api, Status::Converted, "");
    } else {
      mark_unsupported(id, api, std::string(what));
    }
  }
}

// Whether an expression surely makes a plain tensor: it calls torch functions, and neither
// nn.Parameter nor a function of this file (which might return a parameter).
auto Rewriter::plain_tensor(NodeId v) const -> bool {
  bool torch_call = false;
  const auto& vn = tree_.node(v);
  if (calls_by_begin_.empty()) {  // every call of the file, by where it begins: built once
    for (NodeId id = 0; id < tree_.size(); ++id) {
      if (tree_.kind(id) == NodeKind::Call) calls_by_begin_.push_back(id);
    }
    std::sort(calls_by_begin_.begin(), calls_by_begin_.end(),
              [&](NodeId a, NodeId b) { return tree_.node(a).begin < tree_.node(b).begin; });
  }
  auto first = std::lower_bound(calls_by_begin_.begin(), calls_by_begin_.end(), vn.begin,
                                [&](NodeId a, uint32_t b) { return tree_.node(a).begin < b; });
  for (auto it = first; it != calls_by_begin_.end() && tree_.node(*it).begin < vn.end; ++it) {
    NodeId id = *it;
    if (tree_.node(id).end > vn.end) continue;
    NodeId f = tree_.slot(id, FIELD(Call, "func"));
    auto q = model_.qualified_name(tree_, f);
    if (q && (*q == "torch.nn.Parameter" || *q == "torch.nn.parameter.Parameter")) return false;
    if (q && (q->starts_with("torch.") || *q == "torch")) {
      torch_call = true;
    } else if (tree_.kind(f) == NodeKind::Name) {
      auto r = model_.resolve(f);
      if (r.symbol != kNone && !model_.bindings_of(r.symbol).empty()) return false;  // the file's own function
    }
  }
  return torch_call;
}

auto Rewriter::rngs_text(NodeId site) const -> std::string {
  for (NodeId d = enclosing_def(site); d != kNone; d = enclosing_def(d)) {
    if (rngs_defs_.count(d)) return "rngs";
  }
  return "nnx.Rngs(0)";
}

}  // namespace ivyc::rewrite

namespace ivyc::rewrite {

namespace {

// Keras: the constructor keyword that gives a layer's variable its initializer, by layer op and
// torch attribute.
auto keras_initializer_keyword(std::string_view op, std::string_view attr) -> std::string {
  if (op == "Linear" || op == "Conv1d" || op == "Conv2d" || op == "Conv3d") {
    return attr == "weight" ? "kernel_initializer" : attr == "bias" ? "bias_initializer" : "";
  }
  if (op == "Embedding") return attr == "weight" ? "embeddings_initializer" : "";
  if (op == "LayerNorm" || op == "BatchNorm1d" || op == "BatchNorm2d" || op == "GroupNorm") {
    return attr == "weight" ? "gamma_initializer" : attr == "bias" ? "beta_initializer" : "";
  }
  return "";
}

}  // namespace

// Keras builds a layer's variables on its first call, so `nn.init.X_(self.fc.weight, ...)` in
// __init__ becomes the initializer of the layer's constructor (`kernel_initializer=...`), the
// statement goes. Only for a native Keras layer assigned to the same attribute earlier in the same
// block, and initializers whose Keras form draws from the same distribution; false otherwise.
auto Rewriter::keras_initializer(const opmap::Site& site, std::string& reason) -> bool {
  NodeId call = site.node;
  NodeId stmt = trace_.parent(call);
  NodeId recv = site.receiver;
  if (stmt == kNone || tree_.kind(stmt) != NodeKind::Expr || tree_.kind(recv) != NodeKind::Attribute) return false;
  NodeId layer_expr = tree_.slot(recv, FIELD(Attribute, "value"));
  const auto* layer = layer_of(layer_expr);
  if (layer == nullptr || layer->op.empty()) return false;
  std::string attr(tree_.string(tree_.slot(recv, FIELD(Attribute, "attr"))));
  std::string keyword = keras_initializer_keyword(layer->op, attr);
  if (keyword.empty()) return false;
  // The assignment of the layer: the last `<same target> = <layer call>` before, in the same block.
  NodeId block_owner = trace_.parent(stmt);
  if (block_owner == kNone || tree_.kind(block_owner) != NodeKind::FunctionDef) return false;
  NodeId ctor = kNone;
  std::string_view target = source_text(layer_expr);
  for (NodeId id : tree_.list(tree_.slot(block_owner, FIELD(FunctionDef, "body")))) {
    if (id == stmt) break;
    if (tree_.kind(id) != NodeKind::Assign) continue;
    auto targets = tree_.list(tree_.slot(id, FIELD(Assign, "targets")));
    NodeId value = tree_.slot(id, FIELD(Assign, "value"));
    if (targets.size() == 1 && source_text(targets[0]) == target && tree_.kind(value) == NodeKind::Call &&
        layer_of(value) != nullptr && layer_of(value)->op == layer->op) {
      ctor = value;
    }
  }
  if (ctor == kNone) return false;
  std::string built = text(ctor);
  if (!built.starts_with("keras.layers.") || !built.ends_with(")")) return false;
  // The init's arguments by torch's names.
  std::map<std::string, std::string> a;
  const auto& sig = site.entry->sigs[0].params;
  auto pos = tree_.list(tree_.slot(call, FIELD(Call, "args")));
  for (size_t i = 0; i < pos.size() && i < sig.size(); ++i) {
    if (tree_.kind(pos[i]) == NodeKind::Starred) return false;
    a[sig[i].name] = std::string(source_text(pos[i]));
  }
  for (NodeId k : tree_.list(tree_.slot(call, FIELD(Call, "keywords")))) {
    uint32_t n = tree_.slot(k, FIELD(keyword, "arg"));
    if (n == kNone) return false;
    a[std::string(tree_.string(n))] = std::string(source_text(tree_.slot(k, FIELD(keyword, "value"))));
  }
  auto arg = [&](const std::string& name, const std::string& def) { return a.count(name) ? a[name] : def; };
  std::string fn = site.api.substr(site.api.rfind('.') + 1);
  bool fans = fn.starts_with("xavier") || fn.starts_with("kaiming");
  if (fans && layer->op == "Embedding" && fn.starts_with("kaiming")) {
    reason = "Keras counts an Embedding's fans the other way round from torch: no Keras initializer draws what " + fn + " does";
    return false;
  }
  std::string init;
  if (fn == "zeros_") {
    init = "\"zeros\"";
  } else if (fn == "ones_") {
    init = "\"ones\"";
  } else if (fn == "constant_") {
    init = "keras.initializers.Constant(" + arg("val", "0.0") + ")";
  } else if (fn == "normal_") {
    init = "keras.initializers.RandomNormal(mean=" + arg("mean", "0.0") + ", stddev=" + arg("std", "1.0") + ")";
  } else if (fn == "uniform_") {
    init = "keras.initializers.RandomUniform(minval=" + arg("a", "0.0") + ", maxval=" + arg("b", "1.0") + ")";
  } else if (fn == "xavier_uniform_" || fn == "xavier_normal_") {
    std::string gain = arg("gain", "1.0");
    std::string scale = gain == "1.0" || gain == "1" ? "1.0" : "(" + gain + ") ** 2";
    init = "keras.initializers.VarianceScaling(" + scale + ", \"fan_avg\", \"" +
           (fn == "xavier_uniform_" ? "uniform" : "untruncated_normal") + "\")";
  } else if (fn == "kaiming_uniform_" || fn == "kaiming_normal_") {
    std::string nl = arg("nonlinearity", "'leaky_relu'");
    std::string mode = arg("mode", "'fan_in'");
    std::string slope = arg("a", "0");
    std::string scale;
    if (nl == "'relu'" || nl == "\"relu\"") {
      scale = "2.0";
    } else if (nl == "'leaky_relu'" || nl == "\"leaky_relu\"") {
      scale = slope == "0" || slope == "0.0" ? "2.0" : "2.0 / (1 + (" + slope + ") ** 2)";
    } else if (nl == "'linear'" || nl == "\"linear\"") {
      scale = "1.0";
    } else {
      reason = fn + " with nonlinearity=" + nl + " has no Keras initializer here";
      return false;
    }
    init = "keras.initializers.VarianceScaling(" + scale + ", " + mode + ", \"" +
           (fn == "kaiming_uniform_" ? "uniform" : "untruncated_normal") + "\")";
  } else {
    reason = fn + " has no Keras initializer that draws the same values (Keras truncates normals at two standard deviations)";
    return false;
  }
  // The keyword goes into the constructor (after what is there), the statement goes.
  if (built.find(keyword + "=") != std::string::npos) {
    reason = "the layer has an initializer for " + attr + " already: Keras takes one";
    return false;
  }
  const auto& cn = tree_.node(ctor);
  std::string with = built.substr(0, built.size() - 1);
  while (!with.empty() && (with.back() == ' ' || with.back() == '\n')) with.pop_back();
  with += (with.ends_with("(") ? "" : ", ") + keyword + "=" + init + ")";
  edits_.replace(cn.begin, cn.end, with);
  remove_statement(stmt);
  report(call, site.api, Status::Converted, "");
  return true;
}

// Removes a statement: its line where it stands alone on it and is not the last statement left in
// its block, else it becomes `pass`.
void Rewriter::remove_statement(NodeId stmt) {
  NodeId owner = trace_.parent(stmt);
  size_t siblings = 0;
  if (owner != kNone) {
    const auto& fields = parse::node_kind_info(tree_.kind(owner)).fields;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].type != parse::FieldType::List) continue;
      uint32_t l = tree_.slot(owner, static_cast<int>(i));
      if (l == kNone) continue;
      auto items = tree_.list(l);
      if (std::find(items.begin(), items.end(), stmt) == items.end()) continue;
      siblings = static_cast<size_t>(std::count_if(items.begin(), items.end(), [&](NodeId s) { return !removed_.contains(s); }));
    }
  }
  const auto& sn = tree_.node(stmt);
  uint32_t ls = line_start(sn.begin), le = sn.end;
  std::string_view t = source_.text();
  while (le < t.size() && t[le] != '\n' && t[le] != '#' && (t[le] == ' ' || t[le] == '\t' || t[le] == '\r')) ++le;
  bool line_ends = le >= t.size() || t[le] == '\n';
  if (le < t.size() && t[le] == '\n') ++le;
  bool alone = std::all_of(t.begin() + ls, t.begin() + sn.begin, [](char c) { return c == ' ' || c == '\t'; }) && line_ends;
  if (alone && siblings > 1) {
    removed_.insert(stmt);
    edits_.replace(ls, le, "");
  } else {
    edits_.replace(sn.begin, sn.end, "pass");
  }
}

}  // namespace ivyc::rewrite
