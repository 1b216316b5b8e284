#include "ivyc/parse/tree.h"

#include <array>

namespace ivyc::parse {
namespace {

#define IVYC_FIELD(type, name) FieldSpec{FieldType::type, #name},
#define IVYC_NODE(kind, category, has_position, fields) \
  constexpr FieldSpec kFields_##kind[] = {fields FieldSpec{FieldType::Int, ""}};
#include "ivyc/parse/node_kind.def"
#undef IVYC_FIELD

const NodeKindInfo kInfos[] = {
#define IVYC_FIELD(type, name)
#define IVYC_NODE(kind, category, has_position, fields)                                         \
  NodeKindInfo{#kind, NodeCategory::category, has_position,                                     \
               std::span<const FieldSpec>(kFields_##kind, std::size(kFields_##kind) - 1)},
#include "ivyc/parse/node_kind.def"
#undef IVYC_FIELD
};
static_assert(std::size(kInfos) == kNodeKindCount);

}  // namespace

auto node_kind_info(NodeKind kind) -> const NodeKindInfo& { return kInfos[static_cast<int>(kind)]; }

Tree::Tree() {
  lists_.push_back({0, 0});  // list 0 is the empty list
  for (int k = 0; k < kNodeKindCount; ++k) {
    const auto& info = kInfos[k];
    singletons_[k] = kNone;
    if (!info.has_position && info.fields.empty() && info.category != NodeCategory::Other) {
      singletons_[k] = add_node(static_cast<NodeKind>(k), 0, 0, std::span<const uint32_t>{});
    }
  }
}

auto Tree::add_node(NodeKind kind, uint32_t begin, uint32_t end, std::span<const uint32_t> slots)
    -> NodeId {
  IVYC_CHECK(slots.size() == kInfos[static_cast<int>(kind)].fields.size());
  auto id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(Node{kind, kNodeNoFlags, 0, static_cast<uint32_t>(slots_.size()), begin, end});
  slots_.insert(slots_.end(), slots.begin(), slots.end());
  return id;
}

auto Tree::add_list(std::span<const uint32_t> items) -> ListId {
  if (items.empty()) return 0;
  auto id = static_cast<ListId>(lists_.size());
  lists_.push_back({static_cast<uint32_t>(list_items_.size()), static_cast<uint32_t>(items.size())});
  list_items_.insert(list_items_.end(), items.begin(), items.end());
  return id;
}

auto Tree::intern(std::string_view text) -> StringId {
  auto it = string_ids_.find(text);
  if (it != string_ids_.end()) return it->second;
  auto id = static_cast<StringId>(strings_.size());
  strings_.emplace_back(text);
  string_ids_.emplace(strings_.back(), id);
  return id;
}

auto Tree::add_constant(Constant c) -> ConstantId {
  auto id = static_cast<ConstantId>(constants_.size());
  constants_.push_back(std::move(c));
  return id;
}

void Tree::override_position(NodeId id, Position pos) {
  nodes_[id].flags |= kNodePositionOverride;
  position_overrides_[id] = pos;
}

auto Tree::position(NodeId id, const SourceBuffer& source) const -> Position {
  const Node& n = nodes_[id];
  if (n.flags & kNodePositionOverride) return position_overrides_.at(id);
  auto b = source.line_column(n.begin);
  auto e = source.line_column(n.end);
  return Position{b.line, b.column, e.line, e.column};
}

auto is_atom(const Tree& tree, NodeId id, std::string_view text) -> bool {
  switch (tree.kind(id)) {
    case NodeKind::Name:
    case NodeKind::Attribute:
    case NodeKind::Call:
    case NodeKind::Subscript:
    case NodeKind::List:
    case NodeKind::Dict:
    case NodeKind::Set:
    case NodeKind::ListComp:
    case NodeKind::SetComp:
    case NodeKind::DictComp:
    case NodeKind::GeneratorExp:
    case NodeKind::JoinedStr:
      return true;
    case NodeKind::Constant:
      return !text.starts_with("-");
    case NodeKind::Tuple:
      return text.starts_with("(") && text.ends_with(")");
    default:
      return false;
  }
}

}  // namespace ivyc::parse
