// Passes 2 to 4: what each symbol means, where its bindings are, and which import path it denotes.
//
// Resolution follows CPython's symtable (Python/symtable.c, analyze_name), one symbol at a time in
// scope order, so that every enclosing scope is resolved before the scopes inside it:
//   - at module level every name is a module-level name;
//   - `global x` makes x the module's; `nonlocal x` the nearest enclosing function's that binds
//     it; a comprehension's `x := v` the nearest enclosing non-comprehension scope's;
//   - a name bound in a scope is local to it (a parameter if it is one);
//   - a name only used is looked up in the enclosing scopes, class bodies skipped: bound in a
//     function there, it is free; declared global there or reaching the module, it is global.
// A global name the module never binds is a builtin when Python has one by that name, and
// unresolved otherwise.
//
// Import paths (pass 4): a symbol's bindings, those that assign a value (`del x` and `x: T` do
// not), must all give one path: an import gives its path, an assignment of a name or an
// attribute chain gives the chain's path if its root symbol has one. A name bound once under an
// `if` still denotes that path wherever its value is read (unbound, it raises instead).
// Assignments refer to other symbols, so the paths are computed depth first, with an explicit
// stack; a symbol met again while its path is being computed (`a = b; b = a`) gives none.
#include <algorithm>
#include <string>

#include "analyzer.h"

namespace ivyc::sema {
namespace {

constexpr int kAttrValue = parse::field_index(NodeKind::Attribute, "value");
constexpr int kAttrName = parse::field_index(NodeKind::Attribute, "attr");

}  // namespace

void Analyzer::declare_module_globals() {
  // `global x` in a function names the module's x even where the module never mentions x.
  size_t count = m_.symbols_.size();
  for (size_t i = 0; i < count; ++i) {
    Symbol s = m_.symbols_[i];
    if (s.scope == 0 || !(s.flags & kSymDeclaredGlobal)) continue;
    SymbolId module_sym = symbol(0, s.name);
    if (s.flags & kSymBindingFlags) m_.symbols_[module_sym].flags |= kSymBoundElsewhere;
  }
}

void Analyzer::group_symbols() {
  // A counting sort by scope that keeps each scope's symbols in creation order.
  std::vector<uint32_t> counts(m_.scopes_.size() + 1, 0);
  for (const Symbol& s : m_.symbols_) ++counts[s.scope + 1];
  for (size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
  for (size_t i = 0; i < m_.scopes_.size(); ++i) {
    m_.scopes_[i].first_symbol = counts[i];
    m_.scopes_[i].symbol_count = counts[i + 1] - counts[i];
  }
  m_.scope_symbols_.resize(m_.symbols_.size());
  for (SymbolId id = 0; id < m_.symbols_.size(); ++id) {
    m_.scope_symbols_[counts[m_.symbols_[id].scope]++] = id;
  }
}

void Analyzer::resolve_symbols() {
  for (ScopeId scope = 0; scope < m_.scopes_.size(); ++scope) {
    // Scopes are numbered in preorder: an enclosing scope is resolved before the ones inside.
    IVYC_CHECK(m_.scopes_[scope].parent == kNone || m_.scopes_[scope].parent < scope);
    for (SymbolId id : m_.symbols_of(scope)) resolve_symbol(id);
  }
}

void Analyzer::resolve_symbol(SymbolId id) {
  Symbol& s = m_.symbols_[id];
  const ScopeId scope = s.scope;
  auto set = [&](NameKind kind, SymbolId target) {
    s.kind = kind;
    s.target = target;
  };
  if (m_.scopes_[scope].kind == ScopeKind::Module) return set(NameKind::Global, id);
  if (s.flags & kSymDeclaredGlobal) return set(NameKind::Global, find(0, s.name));
  if (s.flags & kSymDeclaredNonlocal) {
    // The nearest enclosing function-like scope that binds the name, or passes it on.
    for (ScopeId a = m_.scopes_[scope].parent; a != kNone; a = m_.scopes_[a].parent) {
      if (!is_function_like(a)) continue;
      SymbolId t = find(a, s.name);
      if (t == kNone) continue;
      const Symbol& ts = m_.symbols_[t];
      if (ts.flags & (kSymDeclaredGlobal | kSymDeclaredNonlocal | kSymWalrusFree)) {
        if (ts.flags & kSymDeclaredGlobal) continue;  // CPython: an error; look further out
        return set(ts.kind, ts.target);
      }
      if (!(ts.flags & kSymBindingFlags)) continue;
      if (s.flags & kSymBindingFlags) m_.symbols_[t].flags |= kSymBoundElsewhere;
      return set(NameKind::Free, t);
    }
    return set(NameKind::Unresolved, kNone);  // CPython: "no binding for nonlocal" error
  }
  if (s.flags & kSymWalrusFree) {
    ScopeId home = scope;
    while (m_.scopes_[home].kind == ScopeKind::Comprehension && m_.scopes_[home].parent != kNone) {
      home = m_.scopes_[home].parent;
    }
    SymbolId h = find(home, s.name);
    IVYC_CHECK(h != kNone);
    const Symbol& hs = m_.symbols_[h];
    if (m_.scopes_[home].kind == ScopeKind::Module) return set(NameKind::Global, h);
    if (hs.flags & (kSymDeclaredGlobal | kSymDeclaredNonlocal)) return set(hs.kind, hs.target);
    return set(NameKind::Free, h);
  }
  if (s.flags & kSymBindingFlags) {
    return set((s.flags & kSymParameter) ? NameKind::Parameter : NameKind::Local, id);
  }
  // Only used here: look outwards, class bodies skipped.
  for (ScopeId a = m_.scopes_[scope].parent; a != kNone; a = m_.scopes_[a].parent) {
    const Scope& outer = m_.scopes_[a];
    if (outer.kind == ScopeKind::Class) continue;
    if (outer.kind == ScopeKind::Module) return set(NameKind::Global, find(0, s.name));
    SymbolId t = find(a, s.name);
    if (t == kNone) continue;
    const Symbol& ts = m_.symbols_[t];
    if (ts.flags & (kSymDeclaredGlobal | kSymDeclaredNonlocal | kSymWalrusFree)) {
      return set(ts.kind, ts.target);
    }
    if (ts.flags & kSymBindingFlags) return set(NameKind::Free, t);
    // Only used there too: it was resolved from there outwards, as this one would be.
    return set(ts.kind, ts.target);
  }
  set(NameKind::Unresolved, kNone);
}

void Analyzer::group_bindings() {
  auto holder = [&](const RawBinding& rb) {
    SymbolId t = m_.symbols_[rb.symbol].target;
    return t == kNone ? rb.symbol : t;
  };
  std::vector<uint32_t> counts(m_.symbols_.size() + 1, 0);
  for (const RawBinding& rb : raw_bindings_) ++counts[holder(rb) + 1];
  for (size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
  for (SymbolId id = 0; id < m_.symbols_.size(); ++id) {
    m_.symbols_[id].first_binding = counts[id];
    m_.symbols_[id].binding_count = counts[id + 1] - counts[id];
  }
  m_.bindings_.resize(raw_bindings_.size());
  for (const RawBinding& rb : raw_bindings_) m_.bindings_[counts[holder(rb)]++] = rb.binding;
  IVYC_CHECK(m_.symbols_.empty() || counts[m_.symbols_.size() - 1] == raw_bindings_.size());

  // A module-level name nothing binds is a builtin, or unresolved.
  for (Symbol& s : m_.symbols_) {
    if (s.kind != NameKind::Global) continue;
    if (s.target != kNone && m_.symbols_[s.target].binding_count > 0) continue;
    s.kind = is_builtin_name(m_.strings_[s.name]) ? NameKind::Builtin : NameKind::Unresolved;
    s.target = kNone;
  }
}

auto Analyzer::chain_root(NodeId expr) const -> NodeId {
  while (tree_.kind(expr) == NodeKind::Attribute) expr = tree_.slot(expr, kAttrValue);
  return tree_.kind(expr) == NodeKind::Name ? expr : kNone;
}

auto Analyzer::chain_path(NodeId expr) -> NameId {
  NodeId root = chain_root(expr);
  if (root == kNone) return kNone;
  SymbolId sym = m_.node_symbol_[root];
  if (sym == kNone) return kNone;
  SymbolId t = m_.symbols_[sym].target;
  if (t == kNone || path_state_[t] != 2 || m_.symbols_[t].path == kNone) return kNone;
  if (root == expr) return m_.symbols_[t].path;
  // The attribute names from the root outwards: collected from the outside, then reversed.
  std::vector<parse::StringId> attrs;
  for (NodeId e = expr; e != root; e = tree_.slot(e, kAttrValue)) {
    attrs.push_back(tree_.slot(e, kAttrName));
  }
  std::string path(m_.strings_[m_.symbols_[t].path]);
  for (size_t i = attrs.size(); i-- > 0;) {
    path += '.';
    path += tree_.string(attrs[i]);
  }
  return intern(path);
}

auto Analyzer::binding_path(const Binding& b) -> NameId {
  switch (b.kind) {
    case BindingKind::Import:
    case BindingKind::ImportFrom:
      return b.path;
    case BindingKind::Assign:
    case BindingKind::AnnAssign:
    case BindingKind::NamedExpr:
      return b.value == kNone ? kNone : chain_path(b.value);
    default:
      return kNone;
  }
}

void Analyzer::compute_paths() {
  path_state_.assign(m_.symbols_.size(), 0);
  struct Frame {
    SymbolId symbol;
    uint32_t next;  // the next binding whose dependency to look at
  };
  std::vector<Frame> stack;
  auto assigns_value = [](BindingKind k) {
    return k != BindingKind::Delete && k != BindingKind::Annotation;
  };
  for (SymbolId start = 0; start < m_.symbols_.size(); ++start) {
    if (path_state_[start] != 0 || m_.symbols_[start].binding_count == 0) continue;
    stack.push_back(Frame{start, 0});
    path_state_[start] = 1;
    while (!stack.empty()) {
      SymbolId id = stack.back().symbol;
      auto bindings = m_.bindings_of(id);
      bool descended = false;
      for (uint32_t& i = stack.back().next; i < bindings.size(); ++i) {
        const Binding& b = bindings[i];
        if (b.value == kNone || !assigns_value(b.kind)) continue;
        NodeId root = chain_root(b.value);
        if (root == kNone || m_.node_symbol_[root] == kNone) continue;
        SymbolId dep = m_.symbols_[m_.node_symbol_[root]].target;
        if (dep == kNone || path_state_[dep] != 0) continue;
        path_state_[dep] = 1;
        stack.push_back(Frame{dep, 0});  // invalidates `i`: leave the loop at once
        descended = true;
        break;
      }
      if (descended) continue;
      // Every dependency is done (or on the stack: a cycle, which gives no path).
      NameId path = kNone;
      bool agreed = false;
      for (const Binding& b : bindings) {
        if (!assigns_value(b.kind)) continue;
        NameId p = binding_path(b);
        if (p == kNone || (agreed && p != path)) {
          path = kNone;
          agreed = false;
          break;
        }
        path = p;
        agreed = true;
      }
      m_.symbols_[id].path = agreed ? path : kNone;
      path_state_[id] = 2;
      stack.pop_back();
    }
  }
  // A use of a name denotes what its binding symbol denotes.
  for (Symbol& s : m_.symbols_) {
    if (s.target != kNone && s.path == kNone) s.path = m_.symbols_[s.target].path;
  }
}

void Analyzer::run() {
  m_.node_scope_.assign(tree_.size(), kNone);
  m_.node_symbol_.assign(tree_.size(), kNone);
  walk();
  declare_module_globals();
  group_symbols();
  resolve_symbols();
  group_bindings();
  compute_paths();
  build_classes();
}

auto analyze(const parse::Tree& tree, const SourceBuffer& source) -> SemanticModel {
  SemanticModel model;
  Analyzer analyzer(tree, model);
  analyzer.run();
  return model;
}

}  // namespace ivyc::sema
