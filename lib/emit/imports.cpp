// Settling imports: from the first pass (the input's tree and model, the Names outside replaced
// ranges and the identifiers of the edits' texts), applied with the edits in one pass and checked
// by parsing what changed; or, as the fallback, by a second parse and name resolution of the
// edited text. Either way, what is dropped or added follows from the code that the output holds.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>
#include <set>

#include "ivyc/emit/emit.h"
#include "ivyc/lex/token.h"
#include "ivyc/parse/parser.h"
#include "ivyc/sema/semantic_model.h"

namespace ivyc::emit {

using parse::kNone;
using parse::NodeId;
using parse::NodeKind;

#define FIELD(kind, name) parse::field_index(NodeKind::kind, name)

namespace {

auto line_start(std::string_view t, uint32_t pos) -> uint32_t {
  while (pos > 0 && t[pos - 1] != '\n' && t[pos - 1] != '\r') --pos;
  return pos;
}
auto line_end(std::string_view t, uint32_t pos) -> uint32_t {
  while (pos < t.size() && t[pos] != '\n' && t[pos] != '\r') ++pos;
  if (pos < t.size() && t[pos] == '\r') ++pos;
  if (pos < t.size() && t[pos] == '\n') ++pos;
  return pos;
}


auto module_body(const parse::Tree& tree) -> std::span<const uint32_t> {
  return tree.list(tree.slot(tree.root, FIELD(Module, "body")));
}

auto trace_parent_is_module(const parse::Tree& tree, NodeId stmt) -> bool {
  auto body = module_body(tree);
  return std::find(body.begin(), body.end(), stmt) != body.end();
}

// The block (statement list) that holds each of `stmts`, and its size (one walk).
auto blocks_of(const parse::Tree& tree, const std::set<NodeId>& stmts) -> std::map<NodeId, std::pair<uint32_t, size_t>> {
  std::map<NodeId, std::pair<uint32_t, size_t>> out;
  for (NodeId id = 0; id < tree.size(); ++id) {
    if (parse::node_kind_info(tree.kind(id)).category == parse::NodeCategory::Expr) continue;
    const auto& fields = parse::node_kind_info(tree.kind(id)).fields;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].type != parse::FieldType::List) continue;
      uint32_t l = tree.slot(id, static_cast<int>(i));
      if (l == kNone) continue;
      auto items = tree.list(l);
      for (NodeId item : items) {
        if (stmts.count(item)) out[item] = {id == tree.root ? kNone : l, items.size()};
      }
    }
  }
  return out;
}

// Where new imports go in a file without imports: after the docstring, `from __future__`
// imports and the leading comment lines (a coding declaration must stay in the first two lines).
auto module_preamble_end(const parse::Tree& tree, std::string_view text) -> uint32_t {
  uint32_t pos = 0;
  while (pos < text.size() && text[pos] == '#') pos = line_end(text, pos);
  for (NodeId stmt : module_body(tree)) {
    NodeKind k = tree.kind(stmt);
    bool doc = k == NodeKind::Expr && tree.kind(tree.slot(stmt, FIELD(Expr, "value"))) == NodeKind::Constant &&
               tree.constant(tree.slot(tree.slot(stmt, FIELD(Expr, "value")), FIELD(Constant, "value"))).kind ==
                   parse::ConstantKind::Str;
    bool future = k == NodeKind::ImportFrom && tree.slot(stmt, FIELD(ImportFrom, "module")) != kNone &&
                  tree.string(tree.slot(stmt, FIELD(ImportFrom, "module"))) == "__future__";
    if (!(doc && stmt == module_body(tree)[0]) && !future) break;
    pos = std::max(pos, line_end(text, tree.node(stmt).end));
  }
  return pos;
}

struct Parsed {
  std::optional<SourceBuffer> source;
  parse::ParseResult result;
  std::optional<sema::SemanticModel> model;
  std::string error;
};

auto parse_text(std::string_view text, bool analyze = true) -> Parsed {
  Parsed p;
  std::vector<Diagnostic> diags;
  p.source = SourceBuffer::from_bytes("<output>", std::string(text), diags);
  if (!p.source) {
    p.error = diags.empty() ? "unreadable" : diags[0].message;
    return p;
  }
  auto tokens = lex::lex(*p.source);
  p.result = parse::parse(tokens);
  if (!p.result.errors.empty()) {
    auto lc = p.source->line_column(p.result.errors[0].begin);
    p.error = std::to_string(lc.line) + ":" + std::to_string(lc.column + 1) + ": " + p.result.errors[0].message;
    return p;
  }
  if (analyze) p.model = sema::analyze(p.result.tree, *p.source);
  return p;
}

auto is_framework(std::string_view path, std::string_view fw) -> bool {
  return path == fw || (path.size() > fw.size() && path.starts_with(fw) && path[fw.size()] == '.');
}

}  // namespace

namespace {

// What the settling needs to know of the code's names.
struct Uses {
  std::vector<int> symbols;  // Name loads per symbol (the symbol that holds the bindings), by id
  std::set<std::string, std::less<>> unbound;  // names loaded where nothing binds them
};

// Whether a Name's resolution finds no binding (and no builtin).
auto unbound(const sema::SemanticModel& model, const sema::Resolution& r) -> bool {
  bool bound = r.symbol != kNone && !model.bindings_of(r.symbol).empty();
  return !bound && r.kind != sema::NameKind::Builtin;
}

// A loaded Name, resolved to `r`: a use of its symbol, or of an unbound name.
void count_use(const parse::Tree& tree, const sema::SemanticModel& model, NodeId id, const sema::Resolution& r,
               Uses& uses) {
  if (r.symbol != kNone) ++uses.symbols[r.symbol];
  if (!unbound(model, r)) return;
  std::string_view name = tree.string(tree.slot(id, FIELD(Name, "id")));
  if (!uses.unbound.contains(name)) uses.unbound.emplace(name);
}

// A change of the text: [begin, end) becomes `text` (begin == end: an insertion); the rewriter's
// edits are changes as they are.
using Change = rewrite::Edit;

auto newline_of(std::string_view text) -> std::string_view {
  return text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
}

// The import lines settled: statements removed or rebuilt, and at most two insertions (the new
// imports, then the definitions), in the text the tree was parsed from.
struct Settlement {
  std::vector<Change> removals;  // sorted by begin
  std::vector<Change> insertions;
};

auto settle(const parse::Tree& tree, const sema::SemanticModel& model, std::string_view text, Uses& uses,
            const ops::Tables& tables, std::string_view frontend, std::string_view target,
            std::span<const std::string> definitions) -> Settlement {
  Settlement out;
  std::string newline(newline_of(text));
  // A module dunder `__all__` listing a name keeps it; star imports are never touched.
  auto& removals = out.removals;
  uint32_t first_removed_line = UINT32_MAX;
  uint32_t last_import_end = 0;
  bool last_import_is_module_level = false;
  std::set<NodeId> stmts;
  std::map<NodeId, const sema::Import*> import_of_alias;
  for (const auto& imp : model.imports()) {
    stmts.insert(imp.stmt);
    import_of_alias[imp.alias] = &imp;
  }
  const auto blocks = blocks_of(tree, stmts);
  // Statements removed whole, per block: a block left empty keeps one as `pass`.
  std::map<uint32_t, std::vector<NodeId>> whole_removed;
  std::map<NodeId, std::pair<uint32_t, uint32_t>> line_of_removed;
  for (NodeId stmt : stmts) {
    bool module_level = model.scope_at(stmt) == model.module_scope();
    if (module_level && trace_parent_is_module(tree, stmt)) {
      last_import_end = std::max(last_import_end, tree.node(stmt).end);
      last_import_is_module_level = true;
    }
  }
  for (NodeId stmt : stmts) {
    NodeKind k = tree.kind(stmt);
    auto aliases = tree.list(tree.slot(stmt, k == NodeKind::Import ? FIELD(Import, "names") : FIELD(ImportFrom, "names")));
    std::vector<NodeId> keep;
    bool any_dropped = false;
    for (NodeId a : aliases) {
      auto found = import_of_alias.find(a);
      const sema::Import* imp = found == import_of_alias.end() ? nullptr : found->second;
      bool drop = false;
      if (imp && !imp->star && imp->symbol != kNone) {
        std::string_view path = model.text(imp->path);
        // `from torch import nn`: the module imported from decides.
        std::string module_path = k == NodeKind::ImportFrom && tree.slot(stmt, FIELD(ImportFrom, "module")) != kNone
                                      ? std::string(tree.string(tree.slot(stmt, FIELD(ImportFrom, "module"))))
                                      : std::string(path);
        bool relative = k == NodeKind::ImportFrom && tree.slot(stmt, FIELD(ImportFrom, "level")) != kNone &&
                        tree.slot(stmt, FIELD(ImportFrom, "level")) > 0;
        if (!relative && is_framework(module_path, frontend)) {
          sema::SymbolId s = imp->symbol;
          sema::SymbolId t = model.symbol(s).target == kNone ? s : model.symbol(s).target;
          drop = uses.symbols[t] == 0 && uses.symbols[s] == 0;
        }
      }
      if (drop) {
        any_dropped = true;
      } else {
        keep.push_back(a);
      }
    }
    if (!any_dropped) continue;
    const auto& n = tree.node(stmt);
    uint32_t ls = line_start(text, n.begin);
    uint32_t le = line_end(text, n.end);
    std::string_view before = text.substr(ls, n.begin - ls);
    std::string_view after = text.substr(n.end, le - n.end);
    bool alone = std::all_of(before.begin(), before.end(), [](char c) { return c == ' ' || c == '\t'; });
    size_t k2 = 0;
    while (k2 < after.size() && (after[k2] == ' ' || after[k2] == '\t')) ++k2;
    // The rest of the line may be a comment: it is about the import, and goes with it.
    alone = alone && (k2 == after.size() || after[k2] == '\n' || after[k2] == '\r' || after[k2] == '#');
    if (keep.empty()) {
      if (alone) {
        auto b = blocks.find(stmt);
        whole_removed[b == blocks.end() ? kNone : b->second.first].push_back(stmt);
        line_of_removed[stmt] = {ls, le};
      } else {
        removals.push_back({n.begin, n.end, "pass"});
      }
    } else {
      std::string rebuilt;
      if (k == NodeKind::Import) {
        rebuilt = "import ";
      } else {
        std::string_view st = text.substr(n.begin, n.end - n.begin);
        size_t imp_kw = st.find(" import");
        rebuilt = std::string(st.substr(0, imp_kw)) + " import ";
      }
      for (size_t i = 0; i < keep.size(); ++i) {
        const auto& an = tree.node(keep[i]);
        rebuilt += (i ? ", " : "") + std::string(text.substr(an.begin, an.end - an.begin));
      }
      removals.push_back({n.begin, n.end, rebuilt});
    }
  }
  for (auto& [block, removed] : whole_removed) {
    size_t size = 0;
    for (NodeId st : removed) size = blocks.count(st) ? blocks.at(st).second : 0;
    bool emptied = block != kNone && removed.size() == size;
    for (size_t i = 0; i < removed.size(); ++i) {
      NodeId st = removed[i];
      if (emptied && i == 0) {
        removals.push_back({tree.node(st).begin, tree.node(st).end, "pass"});
        continue;
      }
      auto [ls, le] = line_of_removed[st];
      removals.push_back({ls, le, ""});
      if (trace_parent_is_module(tree, st)) first_removed_line = std::min(first_removed_line, ls);
    }
  }
  // Imports to add, and definitions (docs/modules.md): those the code names without binding them,
  // and those asked for.
  const ops::Backend* backend = tables.backend(target);
  std::set<std::string> lines;
  std::set<std::string> defined;
  auto bound_at_module = [&](std::string_view name) {
    sema::SymbolId s = model.find_symbol(model.module_scope(), name);
    return s != kNone && !model.bindings_of(model.symbol(s).target == kNone ? s : model.symbol(s).target).empty();
  };
  if (backend) {
    for (const auto& name : uses.unbound) {
      auto it = backend->imports.find(name);
      if (it != backend->imports.end()) lines.insert(it->second);
      if (backend->definitions.count(name)) defined.insert(name);
    }
    for (const auto& name : definitions) {
      if (backend->definitions.count(name) && !bound_at_module(name)) defined.insert(name);
    }
    for (const auto& name : defined) {
      for (const auto& i : backend->definitions.find(name)->second.imports) {
        // An import the file binds already (under that name) is not added twice.
        if (bound_at_module(i)) continue;
        lines.insert(backend->imports.find(i)->second);
      }
    }
  }
  std::string block;
  for (const auto& l : lines) block += l + newline;
  std::string defs;
  for (const auto& name : defined) {
    std::string src = backend->definitions.find(name)->second.source;
    if (newline != "\n") {
      std::string conv;
      for (char ch : src) conv += ch == '\n' ? newline : std::string(1, ch);
      src = conv;
    }
    defs += newline + newline + src;
  }
  uint32_t insert_at;
  if (first_removed_line != UINT32_MAX) {
    insert_at = first_removed_line;
  } else if (last_import_is_module_level && last_import_end > 0) {
    insert_at = line_end(text, last_import_end);
  } else {
    insert_at = module_preamble_end(tree, text);
  }
  // Definitions go after every module-level import (they may use any of them).
  uint32_t defs_at = last_import_is_module_level && last_import_end > 0 ? line_end(text, last_import_end) : insert_at;
  if (defs_at < insert_at) defs_at = insert_at;
  // At one position: imports, then definitions. Each definition has two blank lines before it;
  // the file's own blank lines follow the last.
  if (!block.empty()) out.insertions.push_back({insert_at, insert_at, block});
  if (!defs.empty()) out.insertions.push_back({defs_at, defs_at, defs});
  std::sort(removals.begin(), removals.end(), [](const Change& a, const Change& b) { return a.begin < b.begin; });
  return out;
}

// `text` with `changes` applied: sorted by begin, not overlapping; at one position, in their order.
// An insertion at the end of a text without a final newline starts on a new line. False when two
// changes overlap.
auto apply_changes(std::string_view text, const std::vector<const Change*>& changes, std::string_view newline,
                   std::string& result) -> bool {
  uint32_t pos = 0;
  result.clear();
  result.reserve(text.size() + text.size() / 8);
  for (const Change* c : changes) {
    if (c->begin < pos) return false;
    result.append(text.substr(pos, c->begin - pos));
    if (c->begin == c->end && c->begin == text.size() && !text.empty() && text.back() != '\n' &&
        text.back() != '\r' && (result.empty() || (result.back() != '\n' && result.back() != '\r'))) {
      result += newline;
    }
    result += c->text;
    pos = std::max(pos, c->end);
  }
  result.append(text.substr(pos));
  return true;
}

// The settled imports applied to the text they were computed on: insertions first at a position.
auto apply_settlement(std::string_view text, const Settlement& s) -> std::string {
  std::vector<const Change*> changes;
  for (const auto& c : s.insertions) changes.push_back(&c);
  for (const auto& c : s.removals) changes.push_back(&c);
  std::stable_sort(changes.begin(), changes.end(), [](const Change* a, const Change* b) { return a->begin < b->begin; });
  std::string result;
  apply_changes(text, changes, newline_of(text), result);
  return result;
}

void code_identifiers(std::string_view code, const std::function<void(std::string_view)>& fn);

// Past the string literal whose quote is at `i` (its prefix read already); an f-string's
// identifiers go to `fn`. A backslash keeps the character after it inside, raw or not.
auto skip_string(std::string_view code, size_t i, bool fstring, const std::function<void(std::string_view)>& fn)
    -> size_t {
  size_t n = code.size();
  char q = code[i];
  bool triple = i + 2 < n && code[i + 1] == q && code[i + 2] == q;
  size_t body = i + (triple ? 3 : 1);
  size_t j = body;
  while (j < n) {
    if (code[j] == '\\') {
      j += 2;
      continue;
    }
    if (code[j] == q && (!triple || (j + 2 < n && code[j + 1] == q && code[j + 2] == q))) break;
    ++j;
  }
  if (fstring) code_identifiers(code.substr(body, std::min(j, n) - body), fn);
  return std::min(n, j + (triple ? 3 : 1));
}

// The identifiers of a piece of Python code that can be names (not attributes, not inside string
// literals or comments; inside f-strings, all of them), each once, by where they occur.
void code_identifiers(std::string_view code, const std::function<void(std::string_view)>& fn) {
  auto ident_start = [](unsigned char c) { return c == '_' || std::isalpha(c) || c >= 0x80; };
  auto ident_char = [](unsigned char c) { return c == '_' || std::isalnum(c) || c >= 0x80; };
  size_t i = 0, n = code.size();
  bool after_dot = false;
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(code[i]);
    if (c == '#') {
      while (i < n && code[i] != '\n') ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\') {
      ++i;
      continue;
    }
    if (std::isdigit(c) || (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(code[i + 1])))) {
      while (i < n && (ident_char(static_cast<unsigned char>(code[i])) || code[i] == '.')) ++i;
      after_dot = false;
      continue;
    }
    if (ident_start(c)) {
      size_t b = i;
      while (i < n && ident_char(static_cast<unsigned char>(code[i]))) ++i;
      std::string_view word = code.substr(b, i - b);
      // A string prefix: the literal follows.
      bool prefix = i < n && (code[i] == '"' || code[i] == '\'') && word.size() <= 2 &&
                    std::all_of(word.begin(), word.end(), [](char ch) { return std::strchr("rRbBuUfF", ch) != nullptr; });
      if (!prefix) {
        if (!after_dot) fn(word);
        after_dot = false;
        continue;
      }
      i = skip_string(code, i, word.find_first_of("fF") != std::string_view::npos, fn);
      after_dot = false;
      continue;
    }
    if (c == '"' || c == '\'') {
      i = skip_string(code, i, false, fn);
      after_dot = false;
      continue;
    }
    after_dot = c == '.';
    ++i;
  }
}

// The symbol holding the bindings that `name`, used in scope `s` by code the output gains, sees:
// the scope's own, an enclosing function's, or the module's (class bodies are not seen from the
// scopes in them); kNone where nothing binds it.
auto resolve_in(const sema::SemanticModel& model, sema::ScopeId s, std::string_view name) -> sema::SymbolId {
  bool innermost = true;
  for (sema::ScopeId c = s; c != kNone; c = model.scope(c).parent) {
    if (!innermost && model.scope(c).kind == sema::ScopeKind::Class) continue;
    innermost = false;
    sema::SymbolId sym = model.find_symbol(c, name);
    if (sym == kNone) continue;
    sema::SymbolId t = model.symbol(sym).target == kNone ? sym : model.symbol(sym).target;
    if (!model.bindings_of(t).empty()) return t;
  }
  return kNone;
}

// The innermost scope whose node holds `pos`.
auto scope_at_position(const parse::Tree& tree, const sema::SemanticModel& model, uint32_t pos) -> sema::ScopeId {
  sema::ScopeId best = model.module_scope();
  uint32_t best_size = UINT32_MAX;
  auto scopes = model.scopes();
  for (sema::ScopeId s = 1; s < scopes.size(); ++s) {
    if (scopes[s].node == kNone) continue;
    const auto& n = tree.node(scopes[s].node);
    if (n.begin <= pos && pos < n.end && n.end - n.begin < best_size) {
      best = s;
      best_size = n.end - n.begin;
    }
  }
  return best;
}

// Whether the output parses, re-parsing only what changed: for each change, the innermost
// statement around it (whole, a def or class with its decorators; an indented one under
// `if 1:`), or the one around that where the change blanks the statement out (its block may be
// left empty), or the inserted lines it is between statements. What is left is the input's own
// text, which parsed. nullopt: the changes do not fall into such pieces (the caller parses the
// whole output); else the first error, or "".
auto check_changed(const parse::Tree& tree, std::string_view text, const std::vector<const Change*>& changes)
    -> std::optional<std::string> {
  struct Range {
    uint32_t begin, end;  // whole lines
    bool standalone;      // an elif is not: it stands only in its if
  };
  std::vector<Range> stmts;
  for (NodeId id = 0; id < tree.size(); ++id) {
    if (parse::node_kind_info(tree.kind(id)).category != parse::NodeCategory::Stmt) continue;
    NodeKind k = tree.kind(id);
    const auto& n = tree.node(id);
    uint32_t b = n.begin;
    if (k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef || k == NodeKind::ClassDef) {
      auto decorators = tree.list(tree.slot(id, k == NodeKind::ClassDef ? FIELD(ClassDef, "decorator_list")
                                                                          : FIELD(FunctionDef, "decorator_list")));
      for (NodeId d : decorators) b = std::min(b, tree.node(d).begin);
    }
    bool standalone = !(k == NodeKind::If && text.substr(n.begin).starts_with("elif"));
    stmts.push_back({line_start(text, b), line_end(text, n.end), standalone});
  }
  std::sort(stmts.begin(), stmts.end(), [](const Range& a, const Range& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  auto blank = [](std::string_view t) { return t.find_first_not_of(" \t\r\n") == std::string_view::npos; };
  // The pieces: a sweep over the changes (sorted) with the statements that hold the current one.
  std::vector<std::pair<uint32_t, uint32_t>> pieces;
  std::vector<const Range*> open;
  size_t next = 0;
  // Whole comment lines inserted at a line's start (the markers) change no syntax.
  auto comment_lines = [&](const Change* c) {
    if (c->begin != c->end || c->begin != line_start(text, c->begin) || c->text.empty()) return false;
    std::string_view t = c->text;
    if (t.back() != '\n') return false;
    while (!t.empty()) {
      size_t eol = t.find('\n');
      std::string_view line = t.substr(0, eol);
      size_t w = line.find_first_not_of(" \t");
      if (w == std::string_view::npos || line[w] != '#') return false;
      t.remove_prefix(eol + 1);
    }
    return true;
  };
  // An expression (read, not assigned; not in an f-string) replaced by text that is one atom (a
  // name, attribute, call, subscript, literal or display, whole) is valid wherever the expression
  // was: such texts are checked alone, one per line, in one parse.
  std::vector<uint8_t> atom(changes.size(), 0);
  {
    // The replaced ranges: 1 while every expression node with that range is read, 0 else, 2
    // while none is known.
    std::unordered_map<uint64_t, uint8_t> loads;
    auto key = [](uint32_t b, uint32_t e) { return (static_cast<uint64_t>(b) << 32) | e; };
    for (const Change* c : changes) {
      if (c->begin < c->end && !c->text.empty()) loads.emplace(key(c->begin, c->end), 2);
    }
    std::vector<std::pair<uint32_t, uint32_t>> fstrings;
    for (NodeId id = 0; id < tree.size(); ++id) {
      if (parse::node_kind_info(tree.kind(id)).category != parse::NodeCategory::Expr) continue;
      const auto& n = tree.node(id);
      if (tree.kind(id) == NodeKind::JoinedStr) fstrings.emplace_back(n.begin, n.end);
      auto found = loads.find(key(n.begin, n.end));
      if (found == loads.end()) continue;
      int ctx = -1;  // the kinds with a context: their ctx field
      switch (tree.kind(id)) {
        case NodeKind::Name: ctx = FIELD(Name, "ctx"); break;
        case NodeKind::Attribute: ctx = FIELD(Attribute, "ctx"); break;
        case NodeKind::Subscript: ctx = FIELD(Subscript, "ctx"); break;
        case NodeKind::Starred: ctx = FIELD(Starred, "ctx"); break;
        case NodeKind::List: ctx = FIELD(List, "ctx"); break;
        case NodeKind::Tuple: ctx = FIELD(Tuple, "ctx"); break;
        default: break;
      }
      bool load = ctx < 0 || tree.kind(tree.slot(id, ctx)) == NodeKind::Load;
      found->second = (found->second != 0 && load) ? 1 : 0;
    }
    // Inside an f-string: the last one that begins before, or any before it that ends after.
    std::sort(fstrings.begin(), fstrings.end());
    std::vector<uint32_t> max_end(fstrings.size());
    for (size_t i = 0; i < fstrings.size(); ++i) max_end[i] = std::max(i ? max_end[i - 1] : 0u, fstrings[i].second);
    auto in_fstring = [&](const Change* c) {
      auto it = std::upper_bound(fstrings.begin(), fstrings.end(), std::make_pair(c->begin, UINT32_MAX));
      return it != fstrings.begin() && max_end[static_cast<size_t>(it - fstrings.begin()) - 1] >= c->end;
    };
    std::string lines;
    std::vector<size_t> candidates;
    for (size_t i = 0; i < changes.size(); ++i) {
      const Change* c = changes[i];
      if (c->begin == c->end || c->text.empty()) continue;
      auto it = loads.find(key(c->begin, c->end));
      if (it == loads.end() || it->second != 1) continue;
      if (in_fstring(c)) continue;
      candidates.push_back(i);
      lines += "(" + c->text + "\n)\n";  // the newline: a comment at the text's end ends there
    }
    if (!candidates.empty()) {
      Parsed p = parse_text(lines, /*analyze=*/false);
      // Where they do not parse so, each is checked in its statement.
      auto body = p.error.empty() ? module_body(p.result.tree) : std::span<const uint32_t>();
      if (body.size() != candidates.size()) candidates.clear();
      const auto& t = p.result.tree;
      uint32_t line = 0;
      for (size_t k = 0; k < candidates.size(); ++k) {
        const Change* c = changes[candidates[k]];
        NodeId st = body[k];
        NodeId v = t.kind(st) == NodeKind::Expr ? t.slot(st, FIELD(Expr, "value")) : kNone;
        bool whole = v != kNone && t.node(v).begin == line + 1 && t.node(v).end == line + 1 + c->text.size();
        atom[candidates[k]] = whole && parse::is_atom(t, v, c->text);
        line += static_cast<uint32_t>(c->text.size()) + 4;
      }
    }
  }
  for (size_t ci0 = 0; ci0 < changes.size(); ++ci0) {
    const Change* c = changes[ci0];
    if (atom[ci0] || comment_lines(c)) continue;
    bool insertion = c->begin == c->end;
    while (next < stmts.size() && stmts[next].begin <= c->begin) {
      while (!open.empty() && open.back()->end <= stmts[next].begin) open.pop_back();
      open.push_back(&stmts[next++]);
    }
    while (!open.empty() && open.back()->end <= c->begin) open.pop_back();
    const Range* piece = nullptr;
    bool blanked = false;
    for (size_t i = open.size(); i-- > 0;) {
      const Range* r = open[i];
      bool holds = insertion ? r->begin <= c->begin && c->begin < r->end : r->begin <= c->begin && c->end <= r->end;
      if (!holds || !r->standalone) continue;
      if (!blanked && c->begin <= r->begin && r->end <= c->end && blank(c->text)) {
        blanked = true;  // the statement goes: the one around it is checked
        continue;
      }
      piece = r;
      break;
    }
    if (piece != nullptr) {
      pieces.emplace_back(piece->begin, piece->end);
    } else if (blanked) {
      continue;  // a module-level statement gone
    } else if (c->begin == line_start(text, c->begin) && (c->end == line_start(text, c->end))) {
      pieces.emplace_back(c->begin, c->end);  // whole lines between statements (inserted imports)
    } else {
      return std::nullopt;
    }
  }
  std::sort(pieces.begin(), pieces.end());
  std::vector<std::pair<uint32_t, uint32_t>> merged;
  for (const auto& p : pieces) {
    if (!merged.empty() && p.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, p.second);
    } else if (!merged.empty() && p.first == merged.back().second && p.first == p.second) {
      continue;  // an insertion where the last piece ends: that piece's lines are followed by it
    } else {
      merged.push_back(p);
    }
  }
  // Each piece with its changes applied (an insertion at a piece's end belongs to what follows,
  // except in an empty piece, which is that insertion).
  std::string check;
  size_t ci = 0;
  for (const auto& [b, e] : merged) {
    while (ci < changes.size() && changes[ci]->end <= b && !(changes[ci]->begin == b && changes[ci]->end == b)) ++ci;
    std::string piece;
    uint32_t pos = b;
    for (; ci < changes.size(); ++ci) {
      const Change* c = changes[ci];
      bool inside = c->begin >= b && c->end <= e && (c->begin < e || b == e || c->begin != c->end);
      if (!inside) {
        if (c->begin < e) return std::nullopt;  // across a piece's edge
        break;
      }
      if (c->begin < pos) return std::nullopt;
      piece.append(text.substr(pos, c->begin - pos));
      piece += c->text;
      pos = std::max(pos, c->end);
    }
    piece.append(text.substr(pos, e - pos));
    if (piece.empty()) continue;
    // The piece keeps the indentation its place in the file has.
    std::string_view orig = text.substr(b, e - b);
    size_t w = orig.find_first_not_of(" \t");
    if (b != e && !std::string_view(piece).starts_with(orig.substr(0, w == std::string_view::npos ? orig.size() : w))) {
      return std::nullopt;
    }
    if (piece[0] == ' ' || piece[0] == '\t') check += "if 1:\n";
    check += piece;
    if (check.back() != '\n' && check.back() != '\r') check += '\n';
  }
  return parse_text(check, /*analyze=*/false).error;
}

}  // namespace

auto settle_imports(std::string_view edited, const ops::Tables& tables, std::string_view frontend,
                    std::string_view target, std::span<const std::string> definitions) -> Output {
  Output out;
  Parsed p = parse_text(edited);
  if (!p.error.empty()) {
    out.error = p.error;
    out.text = std::string(edited);
    return out;
  }
  const parse::Tree& tree = p.result.tree;
  const sema::SemanticModel& model = *p.model;
  std::string_view text = p.source->text();
  // Uses per symbol, and names used without a binding.
  Uses uses;
  uses.symbols.assign(model.symbol_count(), 0);
  for (NodeId id = 0; id < tree.size(); ++id) {
    if (tree.kind(id) != NodeKind::Name) continue;
    if (tree.kind(tree.slot(id, FIELD(Name, "ctx"))) != NodeKind::Load) continue;
    count_use(tree, model, id, model.resolve(id), uses);
  }
  std::string result = apply_settlement(text, settle(tree, model, text, uses, tables, frontend, target, definitions));
  // What was removed and added is checked too: the output is valid Python, or an error.
  if (result != edited) {
    Parsed check = parse_text(result, /*analyze=*/false);
    if (!check.error.empty()) out.error = check.error + " (after settling imports)";
  }
  out.text = std::move(result);
  return out;
}

auto settle_imports(const parse::Tree& tree, const sema::SemanticModel& model, std::string_view text,
                    std::span<const rewrite::Edit> edits, const ops::Tables& tables, std::string_view frontend,
                    std::string_view target, std::span<const std::string> definitions) -> Output {
  auto slow = [&] {
    return settle_imports(rewrite::apply_edits(text, edits), tables, frontend, target, definitions);
  };
  if (std::getenv("IVYC_SETTLE_SLOW") != nullptr) return slow();
  // An edit on an import's lines: the second parse decides.
  auto touches = [&](uint32_t b, uint32_t e) {
    auto it = std::lower_bound(edits.begin(), edits.end(), b, [](const rewrite::Edit& x, uint32_t v) { return x.end < v; });
    return it != edits.end() && it->begin <= e;
  };
  for (const auto& imp : model.imports()) {
    const auto& n = tree.node(imp.stmt);
    if (touches(line_start(text, n.begin), line_end(text, n.end))) return slow();
  }
  // Uses: the Names outside replaced ranges; the identifiers of the new texts.
  Uses uses;
  uses.symbols.assign(model.symbol_count(), 0);
  const ops::Backend* backend = tables.backend(target);
  // Only what settling reads is counted: the uses of imported symbols, and names the backend
  // imports or defines used unbound.
  std::vector<uint8_t> imported_symbol(model.symbol_count(), 0);
  for (const auto& imp : model.imports()) {
    if (imp.symbol == kNone) continue;
    imported_symbol[imp.symbol] = 1;
    if (model.symbol(imp.symbol).target != kNone) imported_symbol[model.symbol(imp.symbol).target] = 1;
  }
  for (NodeId id = 0; id < tree.size(); ++id) {
    if (tree.kind(id) != NodeKind::Name) continue;
    if (tree.kind(tree.slot(id, FIELD(Name, "ctx"))) != NodeKind::Load) continue;
    auto r = model.resolve(id);
    bool wanted = r.symbol != kNone && imported_symbol[r.symbol];
    if (!wanted && backend != nullptr && unbound(model, r)) {
      std::string_view name = tree.string(tree.slot(id, FIELD(Name, "id")));
      wanted = backend->imports.contains(name) || backend->definitions.contains(name);
    }
    if (!wanted) continue;
    const auto& n = tree.node(id);
    auto it = std::upper_bound(edits.begin(), edits.end(), n.begin, [](uint32_t v, const rewrite::Edit& x) { return v < x.begin; });
    if (it != edits.begin()) {
      const auto& e = *(it - 1);
      if (e.begin < e.end && n.end <= e.end) continue;  // replaced
    }
    count_use(tree, model, id, r, uses);
  }
  // The names that matter in new texts: those of the framework's imports (a use keeps one) and
  // the backend's (an unbound use adds one).
  std::set<std::string, std::less<>> imported;
  for (const auto& imp : model.imports()) {
    if (imp.symbol != kNone) imported.emplace(model.text(model.symbol(imp.symbol).name));
  }
  for (const auto& e : edits) {
    sema::ScopeId scope = kNone;
    code_identifiers(e.text, [&](std::string_view word) {
      bool backend_name = backend != nullptr && (backend->imports.contains(word) || backend->definitions.contains(word));
      if (!backend_name && !imported.contains(word)) return;
      if (scope == kNone) scope = scope_at_position(tree, model, e.begin);
      sema::SymbolId t = resolve_in(model, scope, word);
      if (t != kNone) {
        ++uses.symbols[t];
      } else if (backend_name) {
        uses.unbound.emplace(word);
      }
    });
  }
  Settlement settled = settle(tree, model, text, uses, tables, frontend, target, definitions);
  // One pass over the text: the settled imports first at a position, then the edits.
  std::vector<const Change*> changes;
  changes.reserve(settled.insertions.size() + edits.size() + settled.removals.size());
  for (const auto& c : settled.insertions) changes.push_back(&c);
  for (const auto& e : edits) changes.push_back(&e);
  for (const auto& c : settled.removals) changes.push_back(&c);
  std::stable_sort(changes.begin(), changes.end(), [](const Change* a, const Change* b) {
    if (a->begin != b->begin) return a->begin < b->begin;
    return (a->begin == a->end) > (b->begin == b->end);  // insertions before a replacement there
  });
  Output out;
  if (!apply_changes(text, changes, newline_of(text), out.text)) return slow();
  // The output is valid Python, or the second parse decides (and reports). IVYC_CHECK_WHOLE=1:
  // the whole output is parsed, not only what changed.
  std::optional<std::string> error;
  if (std::getenv("IVYC_CHECK_WHOLE") == nullptr) error = check_changed(tree, text, changes);
  if (!error || !error->empty()) error = parse_text(out.text, /*analyze=*/false).error;
  if (!error->empty()) return slow();
  return out;
}

}  // namespace ivyc::emit
