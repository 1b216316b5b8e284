// The model's queries, the names of its kinds, the builtins, and the analyzer's hash map.
#include "ivyc/sema/semantic_model.h"

#include <algorithm>
#include <iterator>

#include "analyzer.h"

namespace ivyc::sema {
namespace {

constexpr int kAttrValue = parse::field_index(NodeKind::Attribute, "value");
constexpr int kAttrName = parse::field_index(NodeKind::Attribute, "attr");

// dir(builtins) of CPython 3.11, sorted (byte order), plus the names every module has
// (__file__, __builtins__, ...) and `__annotations__`, which a module with annotations has.
constexpr std::string_view kBuiltins[] = {
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException",
    "BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning",
    "ChildProcessError", "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError",
    "ConnectionResetError", "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning",
    "EnvironmentError", "Exception", "ExceptionGroup", "False", "FileExistsError",
    "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError",
    "ImportError", "ImportWarning", "IndentationError", "IndexError", "InterruptedError",
    "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
    "ModuleNotFoundError", "NameError", "None", "NotADirectoryError", "NotImplemented",
    "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning",
    "PermissionError", "ProcessLookupError", "RecursionError", "ReferenceError",
    "ResourceWarning", "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration",
    "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit", "TabError", "TimeoutError",
    "True", "TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError",
    "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError",
    "Warning", "ZeroDivisionError", "__annotations__", "__build_class__", "__builtins__",
    "__cached__", "__debug__", "__doc__", "__file__", "__import__", "__loader__", "__name__",
    "__package__", "__path__", "__spec__", "abs", "aiter", "all", "anext", "any", "ascii", "bin",
    "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile",
    "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval",
    "exec", "exit", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr",
    "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len",
    "license", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct",
    "open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed", "round", "set",
    "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars",
    "zip",
};
static_assert(std::is_sorted(std::begin(kBuiltins), std::end(kBuiltins)));

auto mix(uint64_t key) -> uint64_t {
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33;
  return key;
}

}  // namespace

auto is_builtin_name(std::string_view name) -> bool {
  return std::binary_search(std::begin(kBuiltins), std::end(kBuiltins), name);
}

// --- FlatMap ---

FlatMap::FlatMap(size_t expected) {
  size_t capacity = 16;
  while (capacity < expected * 2) capacity *= 2;
  entries_.resize(capacity);
}

auto FlatMap::find_or_insert(uint64_t key, uint32_t value, bool& inserted) -> uint32_t {
  if ((size_ + 1) * 2 > entries_.size()) grow();
  size_t mask = entries_.size() - 1;
  for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
    Entry& e = entries_[i];
    if (!e.used) {
      e = Entry{key, value, true};
      ++size_;
      inserted = true;
      return value;
    }
    if (e.key == key) {
      inserted = false;
      return e.value;
    }
  }
}

auto FlatMap::find(uint64_t key) const -> uint32_t {
  size_t mask = entries_.size() - 1;
  for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
    const Entry& e = entries_[i];
    if (!e.used) return kNone;
    if (e.key == key) return e.value;
  }
}

void FlatMap::grow() {
  std::vector<Entry> old = std::move(entries_);
  entries_.assign(old.size() * 2, Entry{});
  size_ = 0;
  bool inserted = false;
  for (const Entry& e : old) {
    if (e.used) find_or_insert(e.key, e.value, inserted);
  }
}

// --- SemanticModel ---

auto SemanticModel::find_symbol(ScopeId id, std::string_view name) const -> SymbolId {
  if (id >= scopes_.size()) return kNone;
  for (SymbolId s : symbols_of(id)) {
    if (strings_[symbols_[s].name] == name) return s;
  }
  return kNone;
}

auto SemanticModel::scope_of(NodeId node) const -> ScopeId {
  auto it = scope_of_node_.find(node);
  return it == scope_of_node_.end() ? kNone : it->second;
}

auto SemanticModel::resolve(NodeId name) const -> Resolution {
  SymbolId s = symbol_at(name);
  if (s == kNone) return Resolution{NameKind::Unresolved, kNone};
  return Resolution{symbols_[s].kind, symbols_[s].target};
}

auto SemanticModel::path(SymbolId id) const -> std::optional<std::string_view> {
  if (id >= symbols_.size() || symbols_[id].path == kNone) return std::nullopt;
  return strings_[symbols_[id].path];
}

auto SemanticModel::qualified_name(const parse::Tree& tree, NodeId expr) const
    -> std::optional<std::string> {
  if (expr == kNone || expr >= tree.size()) return std::nullopt;
  NodeId root = expr;
  size_t depth = 0;
  while (tree.kind(root) == NodeKind::Attribute) {
    root = tree.slot(root, kAttrValue);
    ++depth;
  }
  if (tree.kind(root) != NodeKind::Name) return std::nullopt;
  auto base = path(symbol_at(root));
  if (!base) return std::nullopt;
  std::vector<std::string_view> attrs;
  attrs.reserve(depth);
  for (NodeId e = expr; e != root; e = tree.slot(e, kAttrValue)) {
    attrs.push_back(tree.string(tree.slot(e, kAttrName)));
  }
  std::string out(*base);
  for (size_t i = attrs.size(); i-- > 0;) {
    out += '.';
    out += attrs[i];
  }
  return out;
}

auto SemanticModel::has_star_import() const -> bool {
  return std::any_of(imports_.begin(), imports_.end(), [](const Import& i) { return i.star; });
}

auto SemanticModel::class_at(NodeId class_def) const -> ClassId {
  auto it = class_of_node_.find(class_def);
  return it == class_of_node_.end() ? kNone : it->second;
}

// --- names of kinds ---

auto to_string(ScopeKind kind) -> std::string_view {
  switch (kind) {
    case ScopeKind::Module: return "module";
    case ScopeKind::Class: return "class";
    case ScopeKind::Function: return "function";
    case ScopeKind::Lambda: return "lambda";
    case ScopeKind::Comprehension: return "comprehension";
    case ScopeKind::TypeParams: return "type-params";
    case ScopeKind::TypeAlias: return "type-alias";
  }
  return "?";
}

auto to_string(NameKind kind) -> std::string_view {
  switch (kind) {
    case NameKind::Local: return "local";
    case NameKind::Parameter: return "parameter";
    case NameKind::Global: return "global";
    case NameKind::Free: return "free";
    case NameKind::Builtin: return "builtin";
    case NameKind::Unresolved: return "unresolved";
  }
  return "?";
}

auto to_string(BindingKind kind) -> std::string_view {
  switch (kind) {
    case BindingKind::Assign: return "assign";
    case BindingKind::AugAssign: return "augassign";
    case BindingKind::AnnAssign: return "annassign";
    case BindingKind::Annotation: return "annotation";
    case BindingKind::NamedExpr: return "walrus";
    case BindingKind::For: return "for";
    case BindingKind::With: return "with";
    case BindingKind::Except: return "except";
    case BindingKind::Import: return "import";
    case BindingKind::ImportFrom: return "import-from";
    case BindingKind::FunctionDef: return "def";
    case BindingKind::ClassDef: return "class";
    case BindingKind::Parameter: return "parameter";
    case BindingKind::Comprehension: return "comprehension";
    case BindingKind::MatchCapture: return "match";
    case BindingKind::Delete: return "del";
    case BindingKind::TypeParam: return "type-param";
    case BindingKind::TypeAlias: return "type-alias";
  }
  return "?";
}

}  // namespace ivyc::sema
