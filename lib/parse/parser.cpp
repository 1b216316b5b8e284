// The parser's entry point and its shared machinery: the significant-token cursor, errors and
// recovery at statement boundaries, the scratch stack for list children, statement lists (file,
// statements) and the check of the tree's depth against CPython 3.11's limit.
#include "ivyc/parse/parser.h"

#include <algorithm>
#include <utility>

#include "ivyc/base/unicode.h"
#include "parser_internal.h"

namespace ivyc::parse {
namespace internal {

Parser::Parser(const lex::TokenizedBuffer& tokens, const ParseOptions& options, ParseResult& result)
    : tokens_(tokens),
      options_(options),
      result_(result),
      tree_(result.tree),
      src_(tokens.source ? tokens.source->text() : std::string_view()) {
  toks_.reserve(tokens.tokens.size());
  for (const Token& t : tokens.tokens) {
    if (t.kind == TokenKind::Comment || t.kind == TokenKind::NonLogicalNewline) continue;
    toks_.push_back(t);
    if (t.kind == TokenKind::EndOfFile) break;
  }
  if (toks_.empty() || toks_.back().kind != TokenKind::EndOfFile) {
    auto n = static_cast<uint32_t>(src_.size());
    toks_.push_back(Token{TokenKind::EndOfFile, lex::kTokenNone, n, n});
  }
  scratch_.reserve(256);
}

auto Parser::can_start_expression(TokenKind k) const -> bool {
  switch (k) {
    case TokenKind::Name:
    case TokenKind::Number:
    case TokenKind::String:
    case TokenKind::FStringStart:
    case TokenKind::LPar:
    case TokenKind::LSqb:
    case TokenKind::LBrace:
    case TokenKind::Minus:
    case TokenKind::Plus:
    case TokenKind::Tilde:
    case TokenKind::Not:
    case TokenKind::Lambda:
    case TokenKind::Await:
    case TokenKind::Ellipsis:
    case TokenKind::None:
    case TokenKind::True:
    case TokenKind::False:
    case TokenKind::Star:
      return true;
    default:
      return false;
  }
}

auto Parser::expect(TokenKind k, std::string_view message) -> bool {
  if (eat(k)) return true;
  error_at_current(std::string(message));
  return false;
}

void Parser::error(uint32_t begin, uint32_t end, std::string message, DiagnosticKind kind) {
  if (failed_) return;
  failed_ = true;
  result_.errors.push_back(Diagnostic{kind, begin, end, std::move(message)});
}

void Parser::error_at_current(std::string message, DiagnosticKind kind) {
  if (failed_) return;
  const Token& t = toks_[pos_];
  if (t.kind == TokenKind::Error) {
    // The lexer has already said what is wrong here.
    failed_ = true;
    return;
  }
  if (t.kind == TokenKind::Indent && message == "invalid syntax") message = "unexpected indent";
  if (t.begin >= src_.size()) {
    // At the end of the file CPython places its tokens at the end of the last line.
    auto at = static_cast<uint32_t>(src_.size());
    if (at > 0 && src_[at - 1] == '\n') --at;
    if (at > 0 && src_[at - 1] == '\r') --at;
    error(at, at, std::move(message), kind);
    return;
  }
  error(t.begin, t.end, std::move(message), kind);
}

void Parser::error_at_node(NodeId id, std::string message, DiagnosticKind kind) {
  const Node& n = tree_.node(id);
  error(n.begin, n.end, std::move(message), kind);
}

auto Parser::error_node() -> NodeId {
  if (error_node_ == kNone) {
    error_node_ = tree_.add_node(NodeKind::Name, 0, 0, {tree_.intern(""), load()});
  }
  return error_node_;
}

void Parser::too_deep() {
  error_at_current("too many nested expressions", DiagnosticKind::parse_too_deep);
}

auto Parser::identifier(const Token& t) -> StringId {
  std::string_view s = text(t);
  if (t.flags & lex::kTokenNonAscii) return tree_.intern(unicode::nfkc(s));
  // FNV-1a over the name's bytes.
  uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  auto len = static_cast<uint32_t>(s.size());
  if (name_table_.empty()) name_table_.assign(1024, NameSlot{0, 0, 0, kNone});
  size_t mask = name_table_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    NameSlot& slot = name_table_[i];
    if (slot.id == kNone) {
      StringId id = tree_.intern(s);
      slot = NameSlot{t.begin, len, h, id};
      if (++name_count_ * 2 > name_table_.size()) {
        // Grow to keep the table at most half full.
        std::vector<NameSlot> old = std::move(name_table_);
        name_table_.assign(old.size() * 2, NameSlot{0, 0, 0, kNone});
        size_t m = name_table_.size() - 1;
        for (const NameSlot& o : old) {
          if (o.id == kNone) continue;
          size_t j = o.hash & m;
          while (name_table_[j].id != kNone) j = (j + 1) & m;
          name_table_[j] = o;
        }
      }
      return id;
    }
    if (slot.hash == h && slot.length == len && src_.compare(slot.offset, len, s) == 0) {
      return slot.id;
    }
  }
}

auto Parser::finish_list(size_t base) -> ListId {
  ListId l = tree_.add_list(std::span<const uint32_t>(scratch_.data() + base, scratch_.size() - base));
  scratch_.resize(base);
  return l;
}

auto Parser::strided_list(size_t base, size_t offset, size_t stride) -> ListId {
  size_t end = scratch_.size();
  size_t out = end;
  for (size_t i = base + offset; i < end; i += stride) scratch_.push_back(scratch_[i]);
  ListId l = tree_.add_list(std::span<const uint32_t>(scratch_.data() + out, scratch_.size() - out));
  scratch_.resize(end);
  return l;
}

auto Parser::block_end() const -> uint32_t {
  uint32_t i = pos_;
  while (i > 0) {
    TokenKind k = toks_[i - 1].kind;
    if (k != TokenKind::Newline && k != TokenKind::Indent && k != TokenKind::Dedent) {
      return toks_[i - 1].end;
    }
    --i;
  }
  return 0;
}

// Skips the rest of a broken statement: to the end of its logical line, and over the indented
// block that follows it (the body of a broken compound statement), whose statements are parsed
// for their own errors and dropped.
void Parser::recover() {
  failed_ = false;
  while (true) {
    TokenKind k = toks_[pos_].kind;
    if (k == TokenKind::EndOfFile || k == TokenKind::Dedent) return;
    if (k == TokenKind::Newline) {
      ++pos_;
      break;
    }
    if (k == TokenKind::Indent) break;
    ++pos_;
  }
  if (toks_[pos_].kind == TokenKind::Indent) {
    ++pos_;
    size_t base = mark_scratch();
    parse_statement_list();
    scratch_.resize(base);
    if (toks_[pos_].kind == TokenKind::Dedent) ++pos_;
  }
}

// statements: statement* — until DEDENT or ENDMARKER; the statements are pushed on the scratch
// stack.
void Parser::parse_statement_list() {
  DepthGuard guard(*this);
  if (!guard.ok) return;
  while (true) {
    if (failed_) recover();
    TokenKind k = toks_[pos_].kind;
    if (k == TokenKind::EndOfFile || k == TokenKind::Dedent) return;
    uint32_t start = pos_;
    if (k == TokenKind::Indent) {
      // CPython points at the last character of the indentation.
      const Token& t = toks_[pos_];
      uint32_t at = t.end > t.begin ? t.end - 1 : t.begin;
      error(at, t.end, "unexpected indent");
      continue;
    }
    if (k == TokenKind::Newline) {
      // An empty logical line can only follow a lexer error.
      ++pos_;
      continue;
    }
    parse_statement();
    if (!failed_ && pos_ == start) {
      error_at_current("invalid syntax");
    }
  }
}

// file: [statements] ENDMARKER
void Parser::parse_file() {
  size_t base = mark_scratch();
  while (true) {
    parse_statement_list();
    if (failed_) recover();
    if (toks_[pos_].kind == TokenKind::EndOfFile) break;
    // A stray DEDENT (only after lexer errors): skip it.
    ++pos_;
  }
  ListId body = finish_list(base);
  tree_.root = tree_.add_node(NodeKind::Module, 0, 0, {body, tree_.empty_list()});
}

namespace {

// The longest root-to-leaf path by a depth-first walk (iterative: the tree can be deep).
auto tree_depth_walk(const Tree& tree) -> int {
  struct Item {
    NodeId id;
    int depth;
  };
  std::vector<Item> stack;
  stack.push_back({tree.root, 1});
  int max_depth = 0;
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    if (it.depth > max_depth) max_depth = it.depth;
    const auto& info = node_kind_info(tree.kind(it.id));
    for (int f = 0; f < static_cast<int>(info.fields.size()); ++f) {
      uint32_t v = tree.slot(it.id, f);
      switch (info.fields[f].type) {
        case FieldType::Node:
        case FieldType::OptNode:
          if (v != kNone && !node_kind_info(tree.kind(v)).fields.empty()) {
            stack.push_back({v, it.depth + 1});
          } else if (v != kNone && node_kind_info(tree.kind(v)).has_position) {
            stack.push_back({v, it.depth + 1});
          }
          break;
        case FieldType::List:
        case FieldType::List312:
          for (uint32_t c : tree.list(v)) {
            if (c != kNone) stack.push_back({c, it.depth + 1});
          }
          break;
        default:
          break;
      }
    }
  }
  return max_depth;
}

// Which slots of a kind hold a child node or a list of children.
struct ChildSlots {
  uint8_t nodes[8];
  uint8_t lists[8];
  uint8_t node_count = 0;
  uint8_t list_count = 0;
  bool counts = false;  // not a shared enum-like node
};

auto child_slots() -> const std::vector<ChildSlots>& {
  static const std::vector<ChildSlots> table = [] {
    std::vector<ChildSlots> t(kNodeKindCount);
    for (int k = 0; k < kNodeKindCount; ++k) {
      const auto& info = node_kind_info(static_cast<NodeKind>(k));
      ChildSlots& c = t[k];
      c.counts = info.has_position || !info.fields.empty();
      for (int f = 0; f < static_cast<int>(info.fields.size()); ++f) {
        FieldType ft = info.fields[f].type;
        if (ft == FieldType::Node || ft == FieldType::OptNode) c.nodes[c.node_count++] = f;
        if (ft == FieldType::List || ft == FieldType::List312) c.lists[c.list_count++] = f;
      }
    }
    return t;
  }();
  return table;
}

// The longest root-to-leaf path, counting the nodes CPython's ast construction counts (all but
// the shared enum-like ones). The parser makes every node after its children, so one pass in id
// order does it; the walk is the fallback should that ever not hold.
auto tree_depth(const Tree& tree) -> int {
  const auto& slots = child_slots();
  std::vector<uint16_t> depth(tree.size(), 0);
  for (NodeId id = 0; id < tree.size(); ++id) {
    const ChildSlots& c = slots[static_cast<int>(tree.kind(id))];
    if (!c.counts) continue;
    uint32_t d = 0;
    for (int i = 0; i < c.node_count; ++i) {
      NodeId v = tree.slot(id, c.nodes[i]);
      if (v == kNone) continue;
      if (v >= id) return tree_depth_walk(tree);
      d = std::max<uint32_t>(d, depth[v]);
    }
    for (int i = 0; i < c.list_count; ++i) {
      for (NodeId v : tree.list(tree.slot(id, c.lists[i]))) {
        if (v == kNone) continue;
        if (v >= id) return tree_depth_walk(tree);
        d = std::max<uint32_t>(d, depth[v]);
      }
    }
    depth[id] = static_cast<uint16_t>(std::min<uint32_t>(d + 1, 65535));
  }
  return tree.root == kNone ? 0 : depth[tree.root];
}

}  // namespace
}  // namespace internal

auto parse(const lex::TokenizedBuffer& tokens, const ParseOptions& options) -> ParseResult {
  ParseResult result;
  internal::Parser parser(tokens, options, result);
  parser.parse_file();
  if (result.errors.empty() && tokens.errors.empty() &&
      internal::tree_depth(result.tree) > internal::kMaxTreeDepth) {
    auto n = static_cast<uint32_t>(parser.src_.size());
    result.errors.push_back(Diagnostic{DiagnosticKind::parse_too_deep, 0, n,
                                       "too many nested expressions (the tree is too deep)"});
  }
  return result;
}

}  // namespace ivyc::parse
