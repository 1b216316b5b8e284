// Settling imports on the edited text: a second parse and name resolution of the output, so that
// what is dropped or added follows from the code that is actually there.
#include <algorithm>
#include <map>
#include <optional>
#include <span>
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
  std::string newline = text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";

  // Uses per symbol, and names used without a binding.
  std::map<sema::SymbolId, int> uses;
  std::set<std::string> unbound;
  for (NodeId id = 0; id < tree.size(); ++id) {
    if (tree.kind(id) != NodeKind::Name) continue;
    if (tree.kind(tree.slot(id, FIELD(Name, "ctx"))) != NodeKind::Load) continue;
    auto r = model.resolve(id);
    if (r.symbol != kNone) ++uses[r.symbol];
    bool bound = r.symbol != kNone && !model.bindings_of(r.symbol).empty();
    if (!bound && r.kind != sema::NameKind::Builtin) unbound.insert(std::string(tree.string(tree.slot(id, FIELD(Name, "id")))));
  }
  // A module dunder `__all__` listing a name keeps it; star imports are never touched.
  struct Removal {
    uint32_t begin, end;
    std::string text;
  };
  std::vector<Removal> removals;
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
          drop = uses[t] == 0 && uses[s] == 0;
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
    for (const auto& name : unbound) {
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
  // Apply: removals and the insertions, in order (at one position: imports, then definitions).
  std::vector<Removal> insertions;
  if (!block.empty()) insertions.push_back({insert_at, insert_at, block});
  // Each definition has two blank lines before it; the file's own blank lines follow the last.
  if (!defs.empty()) insertions.push_back({defs_at, defs_at, defs});
  std::sort(removals.begin(), removals.end(), [](const Removal& a, const Removal& b) { return a.begin < b.begin; });
  std::string result;
  uint32_t pos = 0;
  size_t next = 0;
  auto flush_insertions = [&](uint32_t upto) {
    while (next < insertions.size() && insertions[next].begin <= upto) {
      uint32_t at = std::max(insertions[next].begin, pos);
      result.append(text.substr(pos, at - pos));
      if (at == text.size() && !text.empty() && text.back() != '\n' && text.back() != '\r' &&
          (result.empty() || (result.back() != '\n' && result.back() != '\r'))) {
        result += newline;
      }
      result += insertions[next].text;
      pos = at;
      ++next;
    }
  };
  for (const auto& r : removals) {
    flush_insertions(r.begin);
    result.append(text.substr(pos, r.begin - pos));
    result += r.text;
    pos = r.end;
  }
  flush_insertions(UINT32_MAX);
  result.append(text.substr(pos));
  // What was removed and added is checked too: the output is valid Python, or an error.
  if (result != edited) {
    Parsed check = parse_text(result, /*analyze=*/false);
    if (!check.error.empty()) out.error = check.error + " (after settling imports)";
  }
  out.text = std::move(result);
  return out;
}

}  // namespace ivyc::emit
