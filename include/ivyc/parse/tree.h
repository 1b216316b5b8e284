// The syntax tree: nodes in one flat array, addressed by 32-bit ids; each node's fields are slots
// in a second array, laid out as node_kind.def says; lists, identifiers and constants live in
// their own tables. The shape is CPython's ASDL, so `ast.dump` is a walk (parse/dump.h).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ivyc/base/check.h"
#include "ivyc/source/source_buffer.h"

namespace ivyc::parse {

enum class NodeKind : uint8_t {
#define IVYC_NODE(kind, category, has_position, fields) kind,
#include "ivyc/parse/node_kind.def"
  Count_
};
inline constexpr int kNodeKindCount = static_cast<int>(NodeKind::Count_);

enum class NodeCategory : uint8_t {
  Mod, Stmt, Expr, ExprContext, BoolOperator, Operator, UnaryOperator, CompareOperator, Pattern,
  TypeParam, Other
};

enum class FieldType : uint8_t {
  Node, OptNode, List, List312, Ident, OptIdent, IdentList, Const, OptString, Int, OptInt
};

struct FieldSpec {
  FieldType type;
  std::string_view name;
};

struct NodeKindInfo {
  std::string_view name;
  NodeCategory category;
  bool has_position;
  std::span<const FieldSpec> fields;
};

auto node_kind_info(NodeKind kind) -> const NodeKindInfo&;

// The index of field `name` of `kind`, checked at compile time where used in a constant
// expression: tree.slot(id, field_index(NodeKind::Call, "func")).
consteval auto field_index(NodeKind kind, std::string_view name) -> int;

// Slot values. A Node/OptNode slot holds a node index; List/List312/IdentList a list index;
// Ident/OptIdent an interned-string index; Const a constant index; Int/OptInt the value.
inline constexpr uint32_t kNone = 0xFFFFFFFFu;  // absent OptNode/OptIdent/OptString/OptInt

using NodeId = uint32_t;
using ListId = uint32_t;
using StringId = uint32_t;
using ConstantId = uint32_t;

enum NodeFlags : uint8_t {
  kNodeNoFlags = 0,
  // The node's position is in Tree::position_overrides (3.11's f-string expression positions,
  // which are not byte offsets of this buffer).
  kNodePositionOverride = 1 << 0,
  // Expression was parenthesized in the source (parser bookkeeping for target checks).
  kNodeParenthesized = 1 << 1,
};

struct Node {
  NodeKind kind;
  uint8_t flags = kNodeNoFlags;
  uint16_t reserved = 0;
  uint32_t first_slot = 0;
  uint32_t begin = 0;  // byte offsets into the source text
  uint32_t end = 0;
};
static_assert(sizeof(Node) == 16);

// CPython's four position attributes.
struct Position {
  uint32_t lineno;
  uint32_t col_offset;
  uint32_t end_lineno;
  uint32_t end_col_offset;
};

enum class ConstantKind : uint8_t { None, True, False, Ellipsis, Int, Float, Complex, Str, Bytes };

struct Constant {
  ConstantKind kind;
  double number = 0;  // Float: the value; Complex: the imaginary part (the real part is 0)
  // Int: decimal digits, no sign. Str: the value in UTF-8 (WTF-8 for lone surrogates). Bytes: the
  // bytes.
  std::string text;
};

class Tree {
 public:
  Tree();

  auto size() const -> uint32_t { return static_cast<uint32_t>(nodes_.size()); }
  auto node(NodeId id) const -> const Node& { return nodes_[id]; }
  auto kind(NodeId id) const -> NodeKind { return nodes_[id].kind; }
  auto slot(NodeId id, int field) const -> uint32_t { return slots_[nodes_[id].first_slot + field]; }
  auto list(ListId id) const -> std::span<const uint32_t> {
    const auto& r = lists_[id];
    return {list_items_.data() + r.begin, r.count};
  }
  auto string(StringId id) const -> std::string_view { return strings_[id]; }
  auto constant(ConstantId id) const -> const Constant& { return constants_[id]; }
  // Position of a node (kind with has_position), from its byte range and the line table unless
  // overridden.
  auto position(NodeId id, const SourceBuffer& source) const -> Position;

  // The module node (Module), set by the parser.
  NodeId root = kNone;

  // --- building (the parser's side) ---
  // Adds a node; `slots` must hold one value per field of `kind`.
  auto add_node(NodeKind kind, uint32_t begin, uint32_t end, std::span<const uint32_t> slots)
      -> NodeId;
  auto add_node(NodeKind kind, uint32_t begin, uint32_t end,
                std::initializer_list<uint32_t> slots) -> NodeId {
    return add_node(kind, begin, end, std::span<const uint32_t>(slots.begin(), slots.size()));
  }
  // The shared node of an enum-like kind (Load, Add, Eq, ...).
  auto singleton(NodeKind kind) const -> NodeId { return singletons_[static_cast<int>(kind)]; }
  auto add_list(std::span<const uint32_t> items) -> ListId;
  auto empty_list() const -> ListId { return 0; }
  auto intern(std::string_view text) -> StringId;
  auto add_constant(Constant c) -> ConstantId;
  void set_slot(NodeId id, int field, uint32_t value) { slots_[nodes_[id].first_slot + field] = value; }
  void set_range(NodeId id, uint32_t begin, uint32_t end) {
    nodes_[id].begin = begin;
    nodes_[id].end = end;
  }
  void set_flags(NodeId id, uint8_t flags) { nodes_[id].flags = flags; }
  void override_position(NodeId id, Position pos);

 private:
  struct ListRange {
    uint32_t begin;
    uint32_t count;
  };
  std::vector<Node> nodes_;
  std::vector<uint32_t> slots_;
  std::vector<ListRange> lists_;
  std::vector<uint32_t> list_items_;
  std::vector<std::string> strings_;
  struct StringHash {
    using is_transparent = void;
    auto operator()(std::string_view s) const -> size_t { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, StringId, StringHash, std::equal_to<>> string_ids_;
  std::vector<Constant> constants_;
  std::unordered_map<NodeId, Position> position_overrides_;
  NodeId singletons_[kNodeKindCount];
};

// --- implementation of the compile-time field lookup ---
namespace detail {
struct FieldNameList {
  std::string_view names[8];
};
inline constexpr FieldNameList kFieldNames[] = {
#define IVYC_FIELD(type, name) #name,
#define IVYC_NODE(kind, category, has_position, fields) FieldNameList{{fields}},
#include "ivyc/parse/node_kind.def"
#undef IVYC_FIELD
};
inline constexpr int kFieldCounts[] = {
#define IVYC_FIELD(type, name) +1
#define IVYC_NODE(kind, category, has_position, fields) 0 fields,
#include "ivyc/parse/node_kind.def"
#undef IVYC_FIELD
};
}  // namespace detail

// Whether an expression node is an atom: a name, attribute, call, subscript, display,
// comprehension, f-string, a constant not written with a leading minus, or a parenthesized tuple.
// An atom stands wherever an expression may without parentheses. `text` is the node's source text.
auto is_atom(const Tree& tree, NodeId id, std::string_view text) -> bool;

consteval auto field_index(NodeKind kind, std::string_view name) -> int {
  const auto& f = detail::kFieldNames[static_cast<int>(kind)];
  for (int i = 0; i < detail::kFieldCounts[static_cast<int>(kind)]; ++i) {
    if (f.names[i] == name) return i;
  }
  throw "no such field";  // not a constant expression: a compile error names the call
}

}  // namespace ivyc::parse
