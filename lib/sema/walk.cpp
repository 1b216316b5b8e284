// Pass 1: the tree walk. One explicit stack of tasks (visit a node in a scope, or bind a target),
// so that the deepest tree the parser builds costs heap, not C++ stack. Items are pushed in
// reverse so that they are visited in source order, and scopes are numbered in preorder (a
// scope's parent has a smaller id).
//
// Where CPython's symtable evaluates each part of a construct:
//   def:    decorators, defaults in the enclosing scope; annotations there too, or in the type
//           parameter scope when there is one; parameters and body in the function's scope
//   class:  decorators in the enclosing scope; bases and keywords there or in the type parameter
//           scope; body in the class scope
//   comprehension: the first iterable in the enclosing scope, everything else in its own scope
//   lambda: defaults in the enclosing scope, parameters and body in its own
#include <algorithm>
#include <string>

#include "analyzer.h"

namespace ivyc::sema {
namespace {

using parse::field_index;
using parse::FieldType;
using parse::node_kind_info;

// Field indices (the async variants have the same layout as their plain kinds).
constexpr int kFnName = field_index(NodeKind::FunctionDef, "name");
constexpr int kFnArgs = field_index(NodeKind::FunctionDef, "args");
constexpr int kFnBody = field_index(NodeKind::FunctionDef, "body");
constexpr int kFnDecorators = field_index(NodeKind::FunctionDef, "decorator_list");
constexpr int kFnReturns = field_index(NodeKind::FunctionDef, "returns");
constexpr int kFnTypeParams = field_index(NodeKind::FunctionDef, "type_params");
static_assert(kFnName == field_index(NodeKind::AsyncFunctionDef, "name") &&
              kFnArgs == field_index(NodeKind::AsyncFunctionDef, "args") &&
              kFnBody == field_index(NodeKind::AsyncFunctionDef, "body") &&
              kFnDecorators == field_index(NodeKind::AsyncFunctionDef, "decorator_list") &&
              kFnReturns == field_index(NodeKind::AsyncFunctionDef, "returns") &&
              kFnTypeParams == field_index(NodeKind::AsyncFunctionDef, "type_params"));
constexpr int kClassName = field_index(NodeKind::ClassDef, "name");
constexpr int kClassBases = field_index(NodeKind::ClassDef, "bases");
constexpr int kClassKeywords = field_index(NodeKind::ClassDef, "keywords");
constexpr int kClassBody = field_index(NodeKind::ClassDef, "body");
constexpr int kClassDecorators = field_index(NodeKind::ClassDef, "decorator_list");
constexpr int kClassTypeParams = field_index(NodeKind::ClassDef, "type_params");
constexpr int kArgsPosonly = field_index(NodeKind::arguments, "posonlyargs");
constexpr int kArgsArgs = field_index(NodeKind::arguments, "args");
constexpr int kArgsVararg = field_index(NodeKind::arguments, "vararg");
constexpr int kArgsKwonly = field_index(NodeKind::arguments, "kwonlyargs");
constexpr int kArgsKwDefaults = field_index(NodeKind::arguments, "kw_defaults");
constexpr int kArgsKwarg = field_index(NodeKind::arguments, "kwarg");
constexpr int kArgsDefaults = field_index(NodeKind::arguments, "defaults");
constexpr int kArgName = field_index(NodeKind::arg, "arg");
constexpr int kArgAnnotation = field_index(NodeKind::arg, "annotation");
constexpr int kLambdaArgs = field_index(NodeKind::Lambda, "args");
constexpr int kLambdaBody = field_index(NodeKind::Lambda, "body");
constexpr int kCompElt = field_index(NodeKind::ListComp, "elt");
constexpr int kCompGenerators = field_index(NodeKind::ListComp, "generators");
static_assert(kCompElt == field_index(NodeKind::SetComp, "elt") &&
              kCompElt == field_index(NodeKind::GeneratorExp, "elt") &&
              kCompGenerators == field_index(NodeKind::SetComp, "generators") &&
              kCompGenerators == field_index(NodeKind::GeneratorExp, "generators"));
constexpr int kDictCompKey = field_index(NodeKind::DictComp, "key");
constexpr int kDictCompValue = field_index(NodeKind::DictComp, "value");
constexpr int kDictCompGenerators = field_index(NodeKind::DictComp, "generators");
constexpr int kGenTarget = field_index(NodeKind::comprehension, "target");
constexpr int kGenIter = field_index(NodeKind::comprehension, "iter");
constexpr int kGenIfs = field_index(NodeKind::comprehension, "ifs");
constexpr int kAssignTargets = field_index(NodeKind::Assign, "targets");
constexpr int kAssignValue = field_index(NodeKind::Assign, "value");
constexpr int kAugTarget = field_index(NodeKind::AugAssign, "target");
constexpr int kAugValue = field_index(NodeKind::AugAssign, "value");
constexpr int kAnnTarget = field_index(NodeKind::AnnAssign, "target");
constexpr int kAnnAnnotation = field_index(NodeKind::AnnAssign, "annotation");
constexpr int kAnnValue = field_index(NodeKind::AnnAssign, "value");
constexpr int kAnnSimple = field_index(NodeKind::AnnAssign, "simple");
constexpr int kForTarget = field_index(NodeKind::For, "target");
constexpr int kForIter = field_index(NodeKind::For, "iter");
constexpr int kForBody = field_index(NodeKind::For, "body");
constexpr int kForOrelse = field_index(NodeKind::For, "orelse");
static_assert(kForTarget == field_index(NodeKind::AsyncFor, "target") &&
              kForIter == field_index(NodeKind::AsyncFor, "iter") &&
              kForBody == field_index(NodeKind::AsyncFor, "body") &&
              kForOrelse == field_index(NodeKind::AsyncFor, "orelse"));
constexpr int kWithItems = field_index(NodeKind::With, "items");
constexpr int kWithBody = field_index(NodeKind::With, "body");
static_assert(kWithItems == field_index(NodeKind::AsyncWith, "items") &&
              kWithBody == field_index(NodeKind::AsyncWith, "body"));
constexpr int kItemContext = field_index(NodeKind::withitem, "context_expr");
constexpr int kItemVars = field_index(NodeKind::withitem, "optional_vars");
constexpr int kNamedTarget = field_index(NodeKind::NamedExpr, "target");
constexpr int kNamedValue = field_index(NodeKind::NamedExpr, "value");
constexpr int kDeleteTargets = field_index(NodeKind::Delete, "targets");
constexpr int kImportNames = field_index(NodeKind::Import, "names");
constexpr int kFromModule = field_index(NodeKind::ImportFrom, "module");
constexpr int kFromNames = field_index(NodeKind::ImportFrom, "names");
constexpr int kFromLevel = field_index(NodeKind::ImportFrom, "level");
constexpr int kAliasName = field_index(NodeKind::alias, "name");
constexpr int kAliasAsname = field_index(NodeKind::alias, "asname");
constexpr int kGlobalNames = field_index(NodeKind::Global, "names");
constexpr int kNonlocalNames = field_index(NodeKind::Nonlocal, "names");
constexpr int kHandlerType = field_index(NodeKind::ExceptHandler, "type");
constexpr int kHandlerName = field_index(NodeKind::ExceptHandler, "name");
constexpr int kHandlerBody = field_index(NodeKind::ExceptHandler, "body");
constexpr int kMatchAsPattern = field_index(NodeKind::MatchAs, "pattern");
constexpr int kMatchAsName = field_index(NodeKind::MatchAs, "name");
constexpr int kMatchStarName = field_index(NodeKind::MatchStar, "name");
constexpr int kMappingKeys = field_index(NodeKind::MatchMapping, "keys");
constexpr int kMappingPatterns = field_index(NodeKind::MatchMapping, "patterns");
constexpr int kMappingRest = field_index(NodeKind::MatchMapping, "rest");
constexpr int kAliasTypeName = field_index(NodeKind::TypeAlias, "name");
constexpr int kAliasTypeParams = field_index(NodeKind::TypeAlias, "type_params");
constexpr int kAliasTypeValue = field_index(NodeKind::TypeAlias, "value");
constexpr int kTypeVarName = field_index(NodeKind::TypeVar, "name");
constexpr int kTypeVarBound = field_index(NodeKind::TypeVar, "bound");
static_assert(kTypeVarName == field_index(NodeKind::ParamSpec, "name") &&
              kTypeVarName == field_index(NodeKind::TypeVarTuple, "name"));
constexpr int kNameId = field_index(NodeKind::Name, "id");
constexpr int kNameCtx = field_index(NodeKind::Name, "ctx");
constexpr int kAttrValue = field_index(NodeKind::Attribute, "value");
constexpr int kAttrCtx = field_index(NodeKind::Attribute, "ctx");
constexpr int kStarredValue = field_index(NodeKind::Starred, "value");
constexpr int kSeqElts = field_index(NodeKind::Tuple, "elts");
static_assert(kSeqElts == field_index(NodeKind::List, "elts"));

}  // namespace

Analyzer::Analyzer(const Tree& tree, SemanticModel& model) : tree_(tree), m_(model) {
  for (int k = 0; k < parse::kNodeKindCount; ++k) {
    const auto& info = node_kind_info(static_cast<NodeKind>(k));
    // The shared enum-like nodes (Load, Add, ...) have neither fields nor a place of their own.
    visited_kind_[k] = info.has_position || !info.fields.empty() ||
                       info.category == parse::NodeCategory::Mod;
  }
  store_ = tree.singleton(NodeKind::Store);
  name_module_ = intern("<module>");
  name_lambda_ = intern("<lambda>");
  name_listcomp_ = intern("<listcomp>");
  name_setcomp_ = intern("<setcomp>");
  name_dictcomp_ = intern("<dictcomp>");
  name_genexpr_ = intern("<genexpr>");
}

auto Analyzer::intern(std::string_view text) -> NameId {
  auto [it, inserted] = string_ids_.try_emplace(std::string(text), 0);
  if (!inserted) return it->second;
  it->second = static_cast<NameId>(m_.strings_.size());
  m_.strings_.emplace_back(text);
  return it->second;
}

auto Analyzer::tree_name(parse::StringId id) -> NameId {
  if (id >= tree_names_.size()) {
    tree_names_.resize(std::max<size_t>(id + 1, tree_names_.size() * 2), kNone);
  }
  NameId& cached = tree_names_[id];
  if (cached == kNone) cached = intern(tree_.string(id));
  return cached;
}

auto Analyzer::new_scope(ScopeKind kind, ScopeId parent, NodeId node, NameId name) -> ScopeId {
  auto id = static_cast<ScopeId>(m_.scopes_.size());
  m_.scopes_.push_back(Scope{kind, parent, node, name, 0, 0});
  scope_class_.push_back(kNone);
  scope_private_.push_back(kind == ScopeKind::Class ? name
                           : parent == kNone       ? kNone
                                                   : scope_private_[parent]);
  return id;
}

// CPython's _Py_Mangle: in a class (and the scopes inside it), `__x` not ending in `__` is `_C__x`
// where C is the class's name without its leading underscores.
auto Analyzer::symbol_name(NameId name, ScopeId scope) -> NameId {
  NameId cls = scope_private_[scope];
  if (cls == kNone) return name;
  std::string_view text = m_.strings_[name];
  if (text.size() < 3 || text[0] != '_' || text[1] != '_') return name;
  if (text.ends_with("__") || text.find('.') != std::string_view::npos) return name;
  const uint64_t key = (static_cast<uint64_t>(cls) << 32) | name;
  if (NameId cached = mangled_.find(key); cached != kNone) return cached;
  std::string_view owner = m_.strings_[cls];
  owner.remove_prefix(std::min(owner.find_first_not_of('_'), owner.size()));
  NameId result = name;
  if (!owner.empty()) {
    std::string mangled = "_";
    mangled += owner;
    mangled += text;
    result = intern(mangled);
  }
  bool inserted = false;
  mangled_.find_or_insert(key, result, inserted);
  return result;
}

auto Analyzer::symbol(ScopeId scope, NameId name) -> SymbolId {
  bool inserted = false;
  auto next = static_cast<SymbolId>(m_.symbols_.size());
  SymbolId id = symbol_map_.find_or_insert(key(scope, name), next, inserted);
  if (inserted) {
    m_.symbols_.push_back(Symbol{name, scope, 0, NameKind::Unresolved, kNone, 0, 0, kNone});
  }
  return id;
}

auto Analyzer::bind(ScopeId scope, NameId name, uint16_t flags, Binding binding) -> SymbolId {
  SymbolId id = symbol(scope, name);
  m_.symbols_[id].flags |= flags;
  raw_bindings_.push_back(RawBinding{id, binding});
  return id;
}

auto Analyzer::is_function_like(ScopeId id) const -> bool {
  ScopeKind k = m_.scopes_[id].kind;
  return k != ScopeKind::Module && k != ScopeKind::Class;
}

void Analyzer::push_list(parse::ListId list, ScopeId scope) {
  auto items = tree_.list(list);
  for (size_t i = items.size(); i-- > 0;) push(items[i], scope);
}

void Analyzer::walk() {
  NodeId root = tree_.root;
  if (root == kNone) {
    new_scope(ScopeKind::Module, kNone, kNone, name_module_);
    return;
  }
  IVYC_CHECK(root < tree_.size());
  ScopeId module = new_scope(ScopeKind::Module, kNone, root, name_module_);
  m_.scope_of_node_.emplace(root, module);
  m_.node_scope_[root] = module;
  visit_children(root, module);
  while (!stack_.empty()) {
    Task t = stack_.back();
    stack_.pop_back();
    if (t.op == Op::Target) {
      visit_target(t.node, t.value, t.scope, t.kind);
    } else {
      visit(t.node, t.scope);
    }
  }
}

void Analyzer::visit_children(NodeId node, ScopeId scope) {
  const auto& fields = node_kind_info(tree_.kind(node)).fields;
  for (size_t i = fields.size(); i-- > 0;) {
    uint32_t value = slot(node, static_cast<int>(i));
    switch (fields[i].type) {
      case FieldType::Node:
      case FieldType::OptNode:
        push(value, scope);
        break;
      case FieldType::List:
      case FieldType::List312:
        push_list(value, scope);
        break;
      default:
        break;
    }
  }
}

void Analyzer::visit(NodeId node, ScopeId scope) {
  m_.node_scope_[node] = scope;
  switch (tree_.kind(node)) {
    case NodeKind::Name:
      visit_name(node, scope);
      return;
    case NodeKind::FunctionDef:
    case NodeKind::AsyncFunctionDef:
      visit_function(node, scope);
      return;
    case NodeKind::ClassDef:
      visit_class(node, scope);
      return;
    case NodeKind::Lambda:
      visit_lambda(node, scope);
      return;
    case NodeKind::ListComp:
    case NodeKind::SetComp:
    case NodeKind::GeneratorExp:
    case NodeKind::DictComp:
      visit_comprehension(node, scope);
      return;
    case NodeKind::NamedExpr:
      visit_named_expr(node, scope);
      return;
    case NodeKind::Import:
      visit_import(node, scope);
      return;
    case NodeKind::ImportFrom:
      visit_import_from(node, scope);
      return;
    case NodeKind::TypeAlias:
      visit_type_alias(node, scope);
      return;
    case NodeKind::Assign: {
      // `a = b = v`: each target is given v; the value is evaluated first, then the targets.
      NodeId value = slot(node, kAssignValue);
      auto targets = tree_.list(slot(node, kAssignTargets));
      for (size_t i = targets.size(); i-- > 0;) {
        push_target(targets[i], value, scope, BindingKind::Assign);
      }
      push(value, scope);
      return;
    }
    case NodeKind::AugAssign:
      push_target(slot(node, kAugTarget), kNone, scope, BindingKind::AugAssign);
      push(slot(node, kAugValue), scope);
      return;
    case NodeKind::AnnAssign: {
      NodeId target = slot(node, kAnnTarget);
      NodeId value = slot(node, kAnnValue);
      bool simple_name = tree_.kind(target) == NodeKind::Name && slot(node, kAnnSimple) != 0;
      if (value != kNone) {
        push_target(target, value, scope, BindingKind::AnnAssign);
      } else if (simple_name) {
        push_target(target, kNone, scope, BindingKind::Annotation);
      } else if (tree_.kind(target) != NodeKind::Name) {
        // `a.b: T` evaluates `a`; `(x): T` without a value names nothing (as symtable).
        push(target, scope);
      }
      push(slot(node, kAnnAnnotation), scope);
      if (value != kNone) push(value, scope);
      return;
    }
    case NodeKind::For:
    case NodeKind::AsyncFor:
      push_list(slot(node, kForOrelse), scope);
      push_list(slot(node, kForBody), scope);
      push_target(slot(node, kForTarget), kNone, scope, BindingKind::For);
      push(slot(node, kForIter), scope);
      return;
    case NodeKind::With:
    case NodeKind::AsyncWith: {
      push_list(slot(node, kWithBody), scope);
      auto items = tree_.list(slot(node, kWithItems));
      for (size_t i = items.size(); i-- > 0;) {
        m_.node_scope_[items[i]] = scope;
        push_target(slot(items[i], kItemVars), kNone, scope, BindingKind::With);
        push(slot(items[i], kItemContext), scope);
      }
      return;
    }
    case NodeKind::Delete: {
      auto targets = tree_.list(slot(node, kDeleteTargets));
      for (size_t i = targets.size(); i-- > 0;) {
        push_target(targets[i], kNone, scope, BindingKind::Delete);
      }
      return;
    }
    case NodeKind::Global:
    case NodeKind::Nonlocal: {
      bool global = tree_.kind(node) == NodeKind::Global;
      // At module level `global x` names the module's x, which it is already.
      if (m_.scopes_[scope].kind == ScopeKind::Module) return;
      for (parse::StringId s : tree_.list(slot(node, global ? kGlobalNames : kNonlocalNames))) {
        SymbolId id = symbol(scope, ident(s, scope));
        m_.symbols_[id].flags |= global ? kSymDeclaredGlobal : kSymDeclaredNonlocal;
      }
      return;
    }
    case NodeKind::ExceptHandler: {
      push_list(slot(node, kHandlerBody), scope);
      uint32_t name = slot(node, kHandlerName);
      if (name != kNone) {
        m_.node_symbol_[node] = bind(scope, ident(name, scope), kSymAssigned,
                                     Binding{node, kNone, scope, kNone, BindingKind::Except});
      }
      push(slot(node, kHandlerType), scope);
      return;
    }
    case NodeKind::MatchAs:
    case NodeKind::MatchStar:
    case NodeKind::MatchMapping: {
      NodeKind k = tree_.kind(node);
      int field = k == NodeKind::MatchAs ? kMatchAsName
                  : k == NodeKind::MatchStar ? kMatchStarName
                                             : kMappingRest;
      uint32_t name = slot(node, field);
      if (name != kNone) {
        m_.node_symbol_[node] = bind(scope, ident(name, scope), kSymAssigned,
                                     Binding{node, kNone, scope, kNone, BindingKind::MatchCapture});
      }
      if (k == NodeKind::MatchAs) push(slot(node, kMatchAsPattern), scope);
      if (k == NodeKind::MatchMapping) {
        push_list(slot(node, kMappingPatterns), scope);
        push_list(slot(node, kMappingKeys), scope);
      }
      return;
    }
    case NodeKind::TypeVar:
    case NodeKind::ParamSpec:
    case NodeKind::TypeVarTuple:
      // Bound by open_type_params; a TypeVar's bound is evaluated in the same scope here.
      if (tree_.kind(node) == NodeKind::TypeVar) push(slot(node, kTypeVarBound), scope);
      return;
    case NodeKind::Attribute:
      if (slot(node, kAttrCtx) == store_ && tree_.kind(slot(node, kAttrValue)) == NodeKind::Name) {
        attribute_stores_.push_back(node);
      }
      push(slot(node, kAttrValue), scope);
      return;
    default:
      visit_children(node, scope);
      return;
  }
}

void Analyzer::visit_name(NodeId node, ScopeId scope) {
  NameId name = ident(slot(node, kNameId), scope);
  NodeKind ctx = tree_.kind(slot(node, kNameCtx));
  if (ctx == NodeKind::Load) {
    SymbolId id = symbol(scope, name);
    m_.symbols_[id].flags |= kSymUsed;
    m_.node_symbol_[node] = id;
    return;
  }
  // A Store or Del met outside a target (not from the parser's trees): an assignment.
  bool del = ctx == NodeKind::Del;
  m_.node_symbol_[node] =
      bind(scope, name, del ? kSymDeleted : kSymAssigned,
           Binding{node, kNone, scope, kNone, del ? BindingKind::Delete : BindingKind::Assign});
}

void Analyzer::visit_target(NodeId node, NodeId value, ScopeId scope, BindingKind kind) {
  NodeKind k = tree_.kind(node);
  if (k == NodeKind::Name) {
    m_.node_scope_[node] = scope;
    uint16_t flags = kSymAssigned;
    if (kind == BindingKind::Delete) flags = kSymDeleted;
    if (kind == BindingKind::Annotation) flags = kSymAnnotated;
    if (kind == BindingKind::AnnAssign) flags |= kSymAnnotated;
    m_.node_symbol_[node] = bind(scope, ident(slot(node, kNameId), scope), flags,
                                 Binding{node, value, scope, kNone, kind});
    return;
  }
  if (k == NodeKind::Tuple || k == NodeKind::List) {
    m_.node_scope_[node] = scope;
    auto elts = tree_.list(slot(node, kSeqElts));
    // `a, b = x, y` gives each name its own value when nothing is starred.
    std::span<const uint32_t> values;
    if (value != kNone &&
        (tree_.kind(value) == NodeKind::Tuple || tree_.kind(value) == NodeKind::List)) {
      values = tree_.list(slot(value, kSeqElts));
      auto starred = [&](uint32_t n) { return n != kNone && tree_.kind(n) == NodeKind::Starred; };
      if (values.size() != elts.size() || std::any_of(values.begin(), values.end(), starred) ||
          std::any_of(elts.begin(), elts.end(), starred)) {
        values = {};
      }
    }
    for (size_t i = elts.size(); i-- > 0;) {
      push_target(elts[i], values.empty() ? kNone : values[i], scope, kind);
    }
    return;
  }
  if (k == NodeKind::Starred) {
    m_.node_scope_[node] = scope;
    push_target(slot(node, kStarredValue), kNone, scope, kind);
    return;
  }
  // Attribute, Subscript (and anything else): an expression that is evaluated.
  push(node, scope);
}

void Analyzer::bind_parameters(NodeId arguments, ScopeId scope) {
  m_.node_scope_[arguments] = scope;
  auto bind_arg = [&](NodeId arg) {
    if (arg == kNone) return;
    m_.node_scope_[arg] = scope;
    m_.node_symbol_[arg] = bind(scope, ident(slot(arg, kArgName), scope), kSymParameter,
                                Binding{arg, kNone, scope, kNone, BindingKind::Parameter});
  };
  for (NodeId a : tree_.list(slot(arguments, kArgsPosonly))) bind_arg(a);
  for (NodeId a : tree_.list(slot(arguments, kArgsArgs))) bind_arg(a);
  bind_arg(slot(arguments, kArgsVararg));
  for (NodeId a : tree_.list(slot(arguments, kArgsKwonly))) bind_arg(a);
  bind_arg(slot(arguments, kArgsKwarg));
}

// Calls fn on each parameter (arg node) of an arguments node, in order.
static void for_each_param(const Tree& tree, NodeId arguments, auto&& fn) {
  for (NodeId a : tree.list(tree.slot(arguments, kArgsPosonly))) fn(a);
  for (NodeId a : tree.list(tree.slot(arguments, kArgsArgs))) fn(a);
  if (NodeId v = tree.slot(arguments, kArgsVararg); v != kNone) fn(v);
  for (NodeId a : tree.list(tree.slot(arguments, kArgsKwonly))) fn(a);
  if (NodeId k = tree.slot(arguments, kArgsKwarg); k != kNone) fn(k);
}

auto Analyzer::open_type_params(NodeId owner, parse::ListId list, ScopeId scope, NameId name)
    -> ScopeId {
  auto params = tree_.list(list);
  if (params.empty()) return scope;
  ScopeId inner = new_scope(ScopeKind::TypeParams, scope, owner, name);
  for (NodeId p : params) {
    m_.node_scope_[p] = inner;
    m_.node_symbol_[p] = bind(inner, ident(slot(p, kTypeVarName), inner), kSymAssigned,
                              Binding{p, kNone, inner, kNone, BindingKind::TypeParam});
  }
  for (size_t i = params.size(); i-- > 0;) push(params[i], inner);
  return inner;
}

void Analyzer::visit_function(NodeId node, ScopeId scope) {
  NameId name = tree_name(slot(node, kFnName));
  NodeId args = slot(node, kFnArgs);
  // The name is bound in the enclosing scope before anything of the def is evaluated here, so
  // that the binding comes first in source order among this def's.
  m_.node_symbol_[node] = bind(scope, symbol_name(name, scope), kSymAssigned,
                               Binding{node, kNone, scope, kNone, BindingKind::FunctionDef});

  // Pushed in reverse: body, returns and annotations, type parameters, defaults, decorators.
  ScopeId outer = scope;
  ScopeId annotations = open_type_params(node, slot(node, kFnTypeParams), scope, name);
  ScopeId body = new_scope(ScopeKind::Function, annotations, node, name);
  m_.scope_of_node_.emplace(node, body);
  if (ClassId owner = scope_class_[scope]; owner != kNone) {
    raw_methods_.push_back(RawMethod{owner, node, body});
  }
  bind_parameters(args, body);
  push_list(slot(node, kFnBody), body);
  push(slot(node, kFnReturns), annotations);
  size_t mark = stack_.size();
  for_each_param(tree_, args, [&](NodeId a) { push(slot(a, kArgAnnotation), annotations); });
  std::reverse(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
  push_list(slot(args, kArgsKwDefaults), outer);
  push_list(slot(args, kArgsDefaults), outer);
  push_list(slot(node, kFnDecorators), outer);
}

void Analyzer::visit_lambda(NodeId node, ScopeId scope) {
  NodeId args = slot(node, kLambdaArgs);
  ScopeId body = new_scope(ScopeKind::Lambda, scope, node, name_lambda_);
  m_.scope_of_node_.emplace(node, body);
  bind_parameters(args, body);
  push(slot(node, kLambdaBody), body);
  push_list(slot(args, kArgsKwDefaults), scope);
  push_list(slot(args, kArgsDefaults), scope);
}

void Analyzer::visit_class(NodeId node, ScopeId scope) {
  NameId name = tree_name(slot(node, kClassName));
  SymbolId sym = bind(scope, symbol_name(name, scope), kSymAssigned,
                      Binding{node, kNone, scope, kNone, BindingKind::ClassDef});
  m_.node_symbol_[node] = sym;
  ScopeId header = open_type_params(node, slot(node, kClassTypeParams), scope, name);
  ScopeId body = new_scope(ScopeKind::Class, header, node, name);
  m_.scope_of_node_.emplace(node, body);

  auto cls = static_cast<ClassId>(m_.classes_.size());
  m_.classes_.push_back(ClassInfo{node, body, sym, 0, 0, 0, 0, 0, 0});
  m_.class_of_node_.emplace(node, cls);
  scope_class_[body] = cls;
  auto bases = tree_.list(slot(node, kClassBases));
  class_bases_.emplace_back(bases.begin(), bases.end());

  push_list(slot(node, kClassBody), body);
  push_list(slot(node, kClassKeywords), header);
  push_list(slot(node, kClassBases), header);
  push_list(slot(node, kClassDecorators), scope);
}

void Analyzer::visit_comprehension(NodeId node, ScopeId scope) {
  NodeKind k = tree_.kind(node);
  NameId name = k == NodeKind::ListComp ? name_listcomp_
                : k == NodeKind::SetComp ? name_setcomp_
                : k == NodeKind::DictComp ? name_dictcomp_
                                          : name_genexpr_;
  bool dict = k == NodeKind::DictComp;
  auto generators = tree_.list(slot(node, dict ? kDictCompGenerators : kCompGenerators));
  ScopeId inner = new_scope(ScopeKind::Comprehension, scope, node, name);
  m_.scope_of_node_.emplace(node, inner);
  // Evaluation order: the generators in turn, then the element.
  if (dict) {
    push(slot(node, kDictCompValue), inner);
    push(slot(node, kDictCompKey), inner);
  } else {
    push(slot(node, kCompElt), inner);
  }
  for (size_t i = generators.size(); i-- > 0;) {
    NodeId g = generators[i];
    m_.node_scope_[g] = inner;
    push_list(slot(g, kGenIfs), inner);
    push_target(slot(g, kGenTarget), kNone, inner, BindingKind::Comprehension);
    push(slot(g, kGenIter), i == 0 ? scope : inner);
  }
}

void Analyzer::visit_named_expr(NodeId node, ScopeId scope) {
  NodeId target = slot(node, kNamedTarget);
  NodeId value = slot(node, kNamedValue);
  if (tree_.kind(target) != NodeKind::Name || m_.scopes_[scope].kind != ScopeKind::Comprehension) {
    push_target(target, value, scope, BindingKind::NamedExpr);
    push(value, scope);
    return;
  }
  // In a comprehension the name is bound in the nearest enclosing scope that is not one; the
  // comprehensions in between see it as free.
  m_.node_scope_[target] = scope;
  NameId name = ident(slot(target, kNameId), scope);
  ScopeId home = scope;
  while (m_.scopes_[home].kind == ScopeKind::Comprehension && m_.scopes_[home].parent != kNone) {
    m_.symbols_[symbol(home, name)].flags |= kSymWalrusFree;
    home = m_.scopes_[home].parent;
  }
  bind(home, name, kSymAssigned, Binding{target, value, scope, kNone, BindingKind::NamedExpr});
  m_.node_symbol_[target] = find(scope, name);
  push(value, scope);
}

void Analyzer::visit_import(NodeId node, ScopeId scope) {
  for (NodeId alias : tree_.list(slot(node, kImportNames))) {
    m_.node_scope_[alias] = scope;
    std::string_view full = tree_.string(slot(alias, kAliasName));
    uint32_t asname = slot(alias, kAliasAsname);
    NameId bound;
    NameId path;
    if (asname != kNone) {
      bound = ident(asname, scope);
      path = tree_name(slot(alias, kAliasName));
    } else {
      // `import a.b.c` binds `a`, which is the package a.
      path = intern(full.substr(0, full.find('.')));
      bound = symbol_name(path, scope);
    }
    SymbolId sym = bind(scope, bound, kSymImported,
                        Binding{alias, kNone, scope, path, BindingKind::Import});
    m_.node_symbol_[alias] = sym;
    m_.imports_.push_back(Import{node, alias, scope, sym, path, 0, false});
  }
}

void Analyzer::visit_import_from(NodeId node, ScopeId scope) {
  uint32_t level = slot(node, kFromLevel);
  if (level == kNone) level = 0;
  std::string module(std::min<uint32_t>(level, 1024), '.');
  if (uint32_t mod = slot(node, kFromModule); mod != kNone) module += tree_.string(mod);
  for (NodeId alias : tree_.list(slot(node, kFromNames))) {
    m_.node_scope_[alias] = scope;
    std::string_view name = tree_.string(slot(alias, kAliasName));
    if (name == "*") {
      m_.imports_.push_back(Import{node, alias, scope, kNone, intern(module), level, true});
      continue;
    }
    std::string path = module;
    if (!path.empty() && path.back() != '.') path += '.';
    path += name;
    NameId path_id = intern(path);
    uint32_t asname = slot(alias, kAliasAsname);
    NameId bound = ident(asname != kNone ? asname : slot(alias, kAliasName), scope);
    SymbolId sym = bind(scope, bound, kSymImported,
                        Binding{alias, kNone, scope, path_id, BindingKind::ImportFrom});
    m_.node_symbol_[alias] = sym;
    m_.imports_.push_back(Import{node, alias, scope, sym, path_id, level, false});
  }
}

void Analyzer::visit_type_alias(NodeId node, ScopeId scope) {
  NodeId name = slot(node, kAliasTypeName);
  if (tree_.kind(name) == NodeKind::Name) {
    m_.node_scope_[name] = scope;
    m_.node_symbol_[name] = bind(scope, ident(slot(name, kNameId), scope), kSymAssigned,
                                 Binding{name, kNone, scope, kNone, BindingKind::TypeAlias});
  }
  NameId alias_name =
      tree_.kind(name) == NodeKind::Name ? tree_name(slot(name, kNameId)) : name_lambda_;
  ScopeId header = open_type_params(node, slot(node, kAliasTypeParams), scope, alias_name);
  ScopeId value = new_scope(ScopeKind::TypeAlias, header, node, alias_name);
  m_.scope_of_node_.emplace(node, value);
  push(slot(node, kAliasTypeValue), value);
}

}  // namespace ivyc::sema
