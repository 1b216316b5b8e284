// The text rendering of a SemanticModel (tests, debugging). Positions are CPython's: 1-based
// line, 0-based column in UTF-8 bytes.
//
//   scope 1 function f @3:0 parent 0
//     x: parameter [parameter,used] bindings 3:6 parameter
//     F: global [used] -> scope 0 = torch.nn.functional
//   class Net @5:0 scope 2
//     base 5:10 = torch.nn.Module
//     method forward regular self
//     attribute fc 7:8 9:8
//   names
//     4:11 F load global -> scope 0 = torch.nn.functional
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "ivyc/sema/semantic_model.h"

namespace ivyc::sema {
namespace {

using parse::NodeKind;

constexpr int kNameId = parse::field_index(NodeKind::Name, "id");
constexpr int kNameCtx = parse::field_index(NodeKind::Name, "ctx");

auto flags_text(uint16_t flags) -> std::string {
  static constexpr std::pair<uint16_t, std::string_view> kNames[] = {
      {kSymUsed, "used"},
      {kSymAssigned, "assigned"},
      {kSymParameter, "parameter"},
      {kSymImported, "imported"},
      {kSymDeclaredGlobal, "declared-global"},
      {kSymDeclaredNonlocal, "declared-nonlocal"},
      {kSymAnnotated, "annotated"},
      {kSymDeleted, "deleted"},
      {kSymWalrusFree, "walrus-free"},
      {kSymBoundElsewhere, "bound-elsewhere"},
  };
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (!(flags & bit)) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

class Renderer {
 public:
  Renderer(const SemanticModel& m, const parse::Tree& tree, const SourceBuffer& source)
      : m_(m), tree_(tree), source_(source) {}

  auto run() -> std::string {
    for (ScopeId s = 0; s < m_.scopes().size(); ++s) scope(s);
    for (ClassId c = 0; c < m_.classes().size(); ++c) cls(c);
    out_ += "names\n";
    std::vector<NodeId> names;
    for (NodeId n = 0; n < tree_.size(); ++n) {
      if (tree_.kind(n) == NodeKind::Name && m_.symbol_at(n) != kNone) names.push_back(n);
    }
    std::stable_sort(names.begin(), names.end(), [&](NodeId a, NodeId b) {
      return tree_.node(a).begin < tree_.node(b).begin;
    });
    for (NodeId n : names) name(n);
    return std::move(out_);
  }

 private:
  auto at(NodeId node) const -> std::string {
    if (node == kNone || !parse::node_kind_info(tree_.kind(node)).has_position) return "?";
    auto p = tree_.position(node, source_);
    return fmt::format("{}:{}", p.lineno, p.col_offset);
  }

  // ` -> scope N` when a symbol's bindings are in another scope, and ` = path`.
  void target_and_path(const Symbol& s) {
    if (s.target != kNone && m_.symbol(s.target).scope != s.scope) {
      out_ += fmt::format(" -> scope {}", m_.symbol(s.target).scope);
    }
    if (s.path != kNone) out_ += fmt::format(" = {}", m_.text(s.path));
  }

  void scope(ScopeId id) {
    const Scope& sc = m_.scope(id);
    out_ += fmt::format("scope {} {} {}", id, to_string(sc.kind), m_.text(sc.name));
    if (sc.kind != ScopeKind::Module) out_ += fmt::format(" @{} parent {}", at(sc.node), sc.parent);
    out_ += '\n';
    for (SymbolId sid : m_.symbols_of(id)) {
      const Symbol& s = m_.symbol(sid);
      out_ += fmt::format("  {}: {} [{}]", m_.text(s.name), to_string(s.kind), flags_text(s.flags));
      target_and_path(s);
      auto bindings = m_.bindings_of(sid);
      if (!bindings.empty()) out_ += " bindings";
      for (const Binding& b : bindings) {
        out_ += fmt::format(" {} {}", at(b.site), to_string(b.kind));
      }
      out_ += '\n';
    }
  }

  void cls(ClassId id) {
    const ClassInfo& c = m_.classes()[id];
    out_ += fmt::format("class {} @{} scope {}\n", m_.text(m_.scope(c.scope).name), at(c.node),
                        c.scope);
    for (const BaseClass& b : m_.bases(id)) {
      out_ += fmt::format("  base {}", at(b.expr));
      if (b.path != kNone) out_ += fmt::format(" = {}", m_.text(b.path));
      if (b.local != kNone) {
        out_ += fmt::format(" class {}", m_.text(m_.scope(m_.classes()[b.local].scope).name));
      }
      out_ += '\n';
    }
    for (const Method& md : m_.methods(id)) {
      static constexpr std::string_view kKinds[] = {"regular", "static", "class"};
      out_ += fmt::format("  method {} {}", m_.text(md.name), kKinds[static_cast<int>(md.kind)]);
      if (md.self != kNone) out_ += fmt::format(" {}", m_.text(m_.symbol(md.self).name));
      out_ += '\n';
    }
    for (const SelfAttribute& a : m_.attributes(id)) {
      out_ += fmt::format("  attribute {}", m_.text(a.name));
      for (NodeId site : m_.attribute_sites(a)) out_ += fmt::format(" {}", at(site));
      out_ += '\n';
    }
  }

  void name(NodeId n) {
    const Symbol& s = m_.symbol(m_.symbol_at(n));
    NodeKind ctx = tree_.kind(tree_.slot(n, kNameCtx));
    std::string_view ctx_text = ctx == NodeKind::Load  ? "load"
                                : ctx == NodeKind::Del ? "del"
                                                       : "store";
    out_ += fmt::format("  {} {} {} {}", at(n), tree_.string(tree_.slot(n, kNameId)), ctx_text,
                        to_string(s.kind));
    target_and_path(s);
    out_ += '\n';
  }

  const SemanticModel& m_;
  const parse::Tree& tree_;
  const SourceBuffer& source_;
  std::string out_;
};

}  // namespace

auto render_bindings(const SemanticModel& model, const parse::Tree& tree,
                     const SourceBuffer& source) -> std::string {
  return Renderer(model, tree, source).run();
}

}  // namespace ivyc::sema
