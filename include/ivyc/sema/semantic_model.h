// Semantic analysis: scopes and bindings over the syntax tree, so that later phases know what
// every name means. `analyze(tree, source)` is a function from the parse tree to a
// `SemanticModel`, and both are immutable afterwards.
//
// Scopes follow CPython's symtable: the module, each class body, function, lambda and
// comprehension (its first iterable is evaluated in the enclosing scope), and 3.12's type
// parameter and type alias scopes, which resolve names as function scopes do. Class scopes are
// not visible from the scopes nested in them. Each scope has one `Symbol` per name that occurs
// in it; a symbol says what a use of that name in that scope means (a local, a parameter, a
// module-level name, a free variable of an enclosing function, a builtin, or unresolved) and
// which symbol holds its bindings (`target`).
//
// Import paths: a symbol bound only by imports of one path, or only by assignments of attribute
// chains rooted at such a symbol (`act = torch.relu`), all giving the same path, has that path
// (`import torch.nn as nn` -> `torch.nn`; relative imports keep their leading dots: `from ..a
// import b` -> `..a.b`). `qualified_name` extends it over attribute chains.
//
// Classes: each ClassDef's bases (with their import paths, or the class of this file they name),
// its methods, and the `self.<attr>` attributes its regular methods assign.
//
// Everything is addressed by 32-bit ids into flat arrays; node ids are the parse tree's. The model
// holds no reference to the tree: functions that read node fields take the tree as an argument,
// which must be the tree that was analyzed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ivyc/parse/tree.h"
#include "ivyc/source/source_buffer.h"

namespace ivyc::sema {

using parse::NodeId;
using ScopeId = uint32_t;
using SymbolId = uint32_t;
using ClassId = uint32_t;
// An interned string of the model: an identifier or a dotted import path.
using NameId = uint32_t;
inline constexpr uint32_t kNone = parse::kNone;

enum class ScopeKind : uint8_t {
  Module,
  Class,
  Function,       // def and async def
  Lambda,
  Comprehension,  // list, set and dict comprehensions and generator expressions
  TypeParams,     // PEP 695: `def f[T]`, `class C[T]`, `type X[T] = ...`
  TypeAlias,      // the lazily evaluated value of `type X = value`
};

// What a name means where it occurs.
enum class NameKind : uint8_t {
  Local,       // bound in the scope where it occurs (a function, lambda, comprehension or class)
  Parameter,   // a parameter of the function or lambda where it occurs
  Global,      // a module-level name: at module level, declared `global`, or implicitly global
  Free,        // bound in an enclosing function (also `nonlocal`, and := in a comprehension)
  Builtin,     // not bound at module level, and a builtin (or a module dunder such as __file__)
  Unresolved,  // bound nowhere it could come from (it may come from a `from m import *`)
};

// How a name occurs in one scope (Symbol::flags).
enum SymbolFlags : uint16_t {
  kSymUsed = 1 << 0,             // loaded
  kSymAssigned = 1 << 1,         // bound by an assignment, for, with, except, def, class, match, :=
  kSymParameter = 1 << 2,
  kSymImported = 1 << 3,
  kSymDeclaredGlobal = 1 << 4,   // `global name` in this scope
  kSymDeclaredNonlocal = 1 << 5,
  kSymAnnotated = 1 << 6,        // `name: annotation`
  kSymDeleted = 1 << 7,          // `del name`
  kSymWalrusFree = 1 << 8,       // a comprehension's `name := v`, bound in the enclosing scope
  kSymBoundElsewhere = 1 << 9,   // also bound from another scope through global or nonlocal
};
inline constexpr uint16_t kSymBindingFlags =
    kSymAssigned | kSymParameter | kSymImported | kSymAnnotated | kSymDeleted;

// How a binding binds.
enum class BindingKind : uint8_t {
  Assign,         // `name = value` (also each name of an unpacked target)
  AugAssign,      // `name += value`
  AnnAssign,      // `name: annotation = value`
  Annotation,     // `name: annotation` without a value: makes the name local, assigns nothing
  NamedExpr,      // `(name := value)`
  For,            // for target
  With,           // `with e as target`
  Except,         // `except E as name`
  Import,         // `import a.b`, `import a.b as c`
  ImportFrom,     // `from m import x`, `from m import x as y`
  FunctionDef,
  ClassDef,
  Parameter,
  Comprehension,  // a comprehension's for target
  MatchCapture,   // a capture pattern, `*rest`, `**rest`
  Delete,         // `del name` (unbinds; makes the name local)
  TypeParam,
  TypeAlias,      // `type X = ...` binds X
};

struct Binding {
  // Name (Store or Del), arg, alias, FunctionDef/AsyncFunctionDef, ClassDef, ExceptHandler,
  // MatchAs/MatchStar/MatchMapping, TypeVar/ParamSpec/TypeVarTuple.
  NodeId site;
  // The expression assigned to this one name, where it is known (Assign, AnnAssign and NamedExpr,
  // and `a, b = x, y` element by element); kNone otherwise.
  NodeId value;
  // The scope of the statement that binds; not the symbol's own scope when the binding goes
  // through `global`, `nonlocal` or a comprehension's :=.
  ScopeId scope;
  NameId path;  // Import/ImportFrom: the path imported (`torch.nn.functional`); else kNone
  BindingKind kind;
};

struct Symbol {
  NameId name;
  ScopeId scope;
  uint16_t flags;  // SymbolFlags
  NameKind kind;
  // The symbol whose bindings a use of this name sees: itself when bound here, the module's
  // symbol for Global, the enclosing function's for Free; kNone for Builtin and Unresolved.
  SymbolId target;
  // Bindings whose target is this symbol (from any scope), in source order of the walk.
  uint32_t first_binding;
  uint32_t binding_count;
  // The import path this name denotes (see the file comment); kNone when it denotes none.
  NameId path;
};

struct Scope {
  ScopeKind kind;
  ScopeId parent;  // kNone for the module
  // Module, FunctionDef, AsyncFunctionDef (its TypeParams scope too), ClassDef, Lambda, ListComp,
  // SetComp, DictComp, GeneratorExp, TypeAlias.
  NodeId node;
  NameId name;  // the def's or class's name; `<module>`, `<lambda>`, `<listcomp>`, ...
  uint32_t first_symbol;
  uint32_t symbol_count;
};

struct Import {
  NodeId stmt;      // Import or ImportFrom
  NodeId alias;     // its alias node
  ScopeId scope;
  SymbolId symbol;  // the symbol bound (in `scope`); kNone for `from m import *`
  // The path bound (`import a.b` binds a -> "a"; `import a.b as c` -> "a.b"; `from .m import x`
  // -> ".m.x"); for a star import, the module (".m").
  NameId path;
  uint32_t level;   // ImportFrom's level: the leading dots
  bool star;
};

struct BaseClass {
  NodeId expr;
  NameId path;    // the base's import path (`nn.Module` -> `torch.nn.Module`), else kNone
  ClassId local;  // the class of this file that the base names, else kNone
};

enum class MethodKind : uint8_t { Regular, Static, Class };

struct Method {
  NodeId def;      // FunctionDef or AsyncFunctionDef
  ScopeId scope;   // its body
  NameId name;
  MethodKind kind;  // from a @staticmethod or @classmethod decorator (the builtins)
  SymbolId self;   // a regular method's first parameter, else kNone
};

struct SelfAttribute {
  NameId name;
  uint32_t first_site;  // into attribute_sites(): the Attribute nodes `self.<name>` stored to
  uint32_t site_count;
};

struct ClassInfo {
  NodeId node;      // ClassDef
  ScopeId scope;    // the class body
  SymbolId symbol;  // the symbol its name binds
  uint32_t first_base, base_count;
  uint32_t first_method, method_count;
  uint32_t first_attribute, attribute_count;
};

struct Resolution {
  NameKind kind;
  SymbolId symbol;  // the symbol that holds the name's bindings (Symbol::target), or kNone
};

class SemanticModel {
 public:
  auto module_scope() const -> ScopeId { return 0; }
  auto scopes() const -> std::span<const Scope> { return scopes_; }
  auto scope(ScopeId id) const -> const Scope& { return scopes_[id]; }
  auto symbol(SymbolId id) const -> const Symbol& { return symbols_[id]; }
  auto symbol_count() const -> uint32_t { return static_cast<uint32_t>(symbols_.size()); }
  // A scope's symbols, in the order their names first occur in it.
  auto symbols_of(ScopeId id) const -> std::span<const SymbolId> {
    const Scope& s = scopes_[id];
    return {scope_symbols_.data() + s.first_symbol, s.symbol_count};
  }
  auto bindings_of(SymbolId id) const -> std::span<const Binding> {
    const Symbol& s = symbols_[id];
    return {bindings_.data() + s.first_binding, s.binding_count};
  }
  auto text(NameId id) const -> std::string_view { return strings_[id]; }
  // The symbol named `name` in scope `id`, or kNone (a scan of the scope's symbols). Names are
  // as symbols have them: a private name in a class mangled (`__x` in class C is `_C__x`).
  auto find_symbol(ScopeId id, std::string_view name) const -> SymbolId;

  // The scope a node is evaluated in (kNone for nodes not visited: the shared enum-like nodes).
  // A def's decorators, defaults and the def node itself are in the enclosing scope.
  auto scope_at(NodeId node) const -> ScopeId {
    return node < node_scope_.size() ? node_scope_[node] : kNone;
  }
  // The scope a Module, def, class, lambda, comprehension or TypeAlias introduces (for a def, its
  // body), or kNone.
  auto scope_of(NodeId node) const -> ScopeId;
  // The symbol, in the scope where the node is, that a Name, arg, alias, def, class, except
  // handler, capture pattern or type parameter names or binds; kNone for other nodes.
  auto symbol_at(NodeId node) const -> SymbolId {
    return node < node_symbol_.size() ? node_symbol_[node] : kNone;
  }
  // What a Name node means. Nodes that name nothing are Unresolved.
  auto resolve(NodeId name) const -> Resolution;
  // The import path a symbol denotes.
  auto path(SymbolId id) const -> std::optional<std::string_view>;
  // The import path of a Name or an attribute chain over one (`nn.functional.relu` ->
  // `torch.nn.functional.relu`); nullopt when its root does not denote an import path.
  auto qualified_name(const parse::Tree& tree, NodeId expr) const -> std::optional<std::string>;

  auto imports() const -> std::span<const Import> { return imports_; }
  auto has_star_import() const -> bool;

  auto classes() const -> std::span<const ClassInfo> { return classes_; }
  // The class of a ClassDef node, or kNone.
  auto class_at(NodeId class_def) const -> ClassId;
  auto bases(ClassId id) const -> std::span<const BaseClass> {
    const ClassInfo& c = classes_[id];
    return {bases_.data() + c.first_base, c.base_count};
  }
  auto methods(ClassId id) const -> std::span<const Method> {
    const ClassInfo& c = classes_[id];
    return {methods_.data() + c.first_method, c.method_count};
  }
  // `self.<attr>` attributes assigned in the class's regular methods (nested functions included),
  // in the order of their first assignment.
  auto attributes(ClassId id) const -> std::span<const SelfAttribute> {
    const ClassInfo& c = classes_[id];
    return {attributes_.data() + c.first_attribute, c.attribute_count};
  }
  auto attribute_sites(const SelfAttribute& a) const -> std::span<const NodeId> {
    return {attribute_sites_.data() + a.first_site, a.site_count};
  }

 private:
  friend class Analyzer;

  std::vector<Scope> scopes_;
  std::vector<Symbol> symbols_;
  std::vector<SymbolId> scope_symbols_;
  std::vector<Binding> bindings_;
  std::vector<std::string> strings_;
  std::vector<ScopeId> node_scope_;
  std::vector<SymbolId> node_symbol_;
  std::unordered_map<NodeId, ScopeId> scope_of_node_;
  std::vector<Import> imports_;
  std::vector<ClassInfo> classes_;
  std::unordered_map<NodeId, ClassId> class_of_node_;
  std::vector<BaseClass> bases_;
  std::vector<Method> methods_;
  std::vector<SelfAttribute> attributes_;
  std::vector<NodeId> attribute_sites_;
};

auto analyze(const parse::Tree& tree, const SourceBuffer& source) -> SemanticModel;

auto to_string(ScopeKind kind) -> std::string_view;
auto to_string(NameKind kind) -> std::string_view;
auto to_string(BindingKind kind) -> std::string_view;

// A text rendering of the model for tests and debugging: the scopes with their symbols (kind,
// flags, path, bindings by line:col), the classes, then every Name node with what it resolves to.
auto render_bindings(const SemanticModel& model, const parse::Tree& tree,
                     const SourceBuffer& source) -> std::string;

}  // namespace ivyc::sema
