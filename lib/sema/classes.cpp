// Pass 5: classes. For each ClassDef, its bases (each with its import path, or the class of this
// file that a plain name binds), its methods (defs bound in the class body) and the attributes
// that its regular methods assign through `self`.
//
// A regular method is one not decorated with the builtin staticmethod or classmethod; its `self`
// is its first positional parameter. A self attribute site is an Attribute node in Store context
// (`self.x = ...`, `self.x += ...`, `self.a, self.b = ...`, `for self.i in ...`, `with ... as
// self.f`) whose object is a name that resolves to that parameter, so that a nested function's
// `self.x = ...` counts and a shadowing `self` of a nested def does not.
#include <algorithm>
#include <unordered_map>

#include "analyzer.h"

namespace ivyc::sema {
namespace {

constexpr int kFnArgs = parse::field_index(NodeKind::FunctionDef, "args");
constexpr int kFnDecorators = parse::field_index(NodeKind::FunctionDef, "decorator_list");
constexpr int kFnName = parse::field_index(NodeKind::FunctionDef, "name");
constexpr int kArgsPosonly = parse::field_index(NodeKind::arguments, "posonlyargs");
constexpr int kArgsArgs = parse::field_index(NodeKind::arguments, "args");
constexpr int kAttrValue = parse::field_index(NodeKind::Attribute, "value");
constexpr int kAttrName = parse::field_index(NodeKind::Attribute, "attr");
constexpr int kNameId = parse::field_index(NodeKind::Name, "id");

}  // namespace

void Analyzer::build_classes() {
  const auto class_count = static_cast<uint32_t>(m_.classes_.size());

  // Methods, grouped by class (a stable counting sort: nested classes interleave).
  std::vector<uint32_t> counts(class_count + 1, 0);
  for (const RawMethod& r : raw_methods_) ++counts[r.cls + 1];
  for (size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
  for (ClassId c = 0; c < class_count; ++c) {
    m_.classes_[c].first_method = counts[c];
    m_.classes_[c].method_count = counts[c + 1] - counts[c];
  }
  m_.methods_.resize(raw_methods_.size());
  FlatMap self_class(raw_methods_.size() * 2 + 16);  // a method's self symbol -> its class
  for (const RawMethod& r : raw_methods_) {
    MethodKind kind = MethodKind::Regular;
    for (NodeId d : tree_.list(slot(r.def, kFnDecorators))) {
      if (tree_.kind(d) != NodeKind::Name) continue;
      SymbolId s = m_.node_symbol_[d];
      if (s == kNone || m_.symbols_[s].kind != NameKind::Builtin) continue;
      std::string_view name = tree_.string(slot(d, kNameId));
      if (name == "staticmethod") kind = MethodKind::Static;
      if (name == "classmethod") kind = MethodKind::Class;
    }
    SymbolId self = kNone;
    if (kind == MethodKind::Regular) {
      NodeId args = slot(r.def, kFnArgs);
      auto posonly = tree_.list(slot(args, kArgsPosonly));
      auto positional = tree_.list(slot(args, kArgsArgs));
      NodeId first = !posonly.empty() ? posonly[0] : !positional.empty() ? positional[0] : kNone;
      if (first != kNone) self = m_.node_symbol_[first];
    }
    if (self != kNone) {
      bool inserted = false;
      self_class.find_or_insert(self, r.cls, inserted);
    }
    m_.methods_[counts[r.cls]++] =
        Method{r.def, r.scope, tree_name(slot(r.def, kFnName)), kind, self};
  }

  // Self attributes: sites grouped by class, then by name in the order names first appear.
  struct Site {
    ClassId cls;
    NameId name;
    NodeId node;
  };
  std::vector<Site> sites;
  for (NodeId a : attribute_stores_) {
    SymbolId s = m_.node_symbol_[slot(a, kAttrValue)];
    if (s == kNone || m_.symbols_[s].target == kNone) continue;
    uint32_t cls = self_class.find(m_.symbols_[s].target);
    if (cls == kNone) continue;
    sites.push_back(Site{cls, tree_name(slot(a, kAttrName)), a});
  }
  std::stable_sort(sites.begin(), sites.end(),
                   [](const Site& x, const Site& y) { return x.cls < y.cls; });
  size_t i = 0;
  for (ClassId c = 0; c < class_count; ++c) {
    ClassInfo& info = m_.classes_[c];
    info.first_attribute = static_cast<uint32_t>(m_.attributes_.size());
    size_t end = i;
    while (end < sites.size() && sites[end].cls == c) ++end;
    // Order of first appearance, then each name's sites in walk order.
    std::unordered_map<NameId, uint32_t> index;
    std::vector<std::vector<NodeId>> per_name;
    std::vector<NameId> names;
    for (size_t k = i; k < end; ++k) {
      auto [it, inserted] = index.try_emplace(sites[k].name, static_cast<uint32_t>(names.size()));
      if (inserted) {
        names.push_back(sites[k].name);
        per_name.emplace_back();
      }
      per_name[it->second].push_back(sites[k].node);
    }
    for (size_t n = 0; n < names.size(); ++n) {
      auto first = static_cast<uint32_t>(m_.attribute_sites_.size());
      m_.attribute_sites_.insert(m_.attribute_sites_.end(), per_name[n].begin(), per_name[n].end());
      m_.attributes_.push_back(
          SelfAttribute{names[n], first, static_cast<uint32_t>(per_name[n].size())});
    }
    info.attribute_count = static_cast<uint32_t>(m_.attributes_.size()) - info.first_attribute;
    i = end;
  }

  // Bases.
  for (ClassId c = 0; c < class_count; ++c) {
    ClassInfo& info = m_.classes_[c];
    info.first_base = static_cast<uint32_t>(m_.bases_.size());
    for (NodeId expr : class_bases_[c]) {
      BaseClass base{expr, chain_path(expr), kNone};
      if (tree_.kind(expr) == NodeKind::Name && m_.node_symbol_[expr] != kNone) {
        SymbolId t = m_.symbols_[m_.node_symbol_[expr]].target;
        if (t != kNone) {
          auto bindings = m_.bindings_of(t);
          if (bindings.size() == 1 && bindings[0].kind == BindingKind::ClassDef) {
            auto it = m_.class_of_node_.find(bindings[0].site);
            if (it != m_.class_of_node_.end()) base.local = it->second;
          }
        }
      }
      m_.bases_.push_back(base);
    }
    info.base_count = static_cast<uint32_t>(m_.bases_.size()) - info.first_base;
  }
}

}  // namespace ivyc::sema
