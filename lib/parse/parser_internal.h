// The parser's private side: one Parser object per parse, its token cursor, the scratch stack
// that list children are collected on, error recording and recovery, and the parse functions,
// defined across the parse_*.cpp files by grammar area:
//   parser.cpp          entry point, tokens, errors, recovery, statement lists, the depth check
//   parse_stmt.cpp      simple statements
//   parse_compound.cpp  compound statements (if, while, for, try, with, def, class, match)
//   parse_expr.cpp      expressions, displays, comprehensions, slices
//   parse_args.cpp      call arguments, def/lambda parameters, type parameters
//   parse_string.cpp    string literals, concatenation and f-strings
//   parse_pattern.cpp   match patterns
//   parse_target.cpp    assignment/deletion targets: contexts and their errors
// Each parse function's comment names the rule of grammars/python.gram that it implements.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivyc/base/diagnostic.h"
#include "ivyc/lex/token.h"
#include "ivyc/parse/parser.h"
#include "ivyc/parse/tree.h"

namespace ivyc::parse::internal {

using lex::Token;
using lex::TokenKind;

// CPython 3.11 builds the ast objects under a recursion budget that depends on the caller's stack
// depth: the deepest tree that the reference command of tests/parser/pyref.py
// (`python3.11 -c "import ast,sys; ast.parse(open(sys.argv[1],'rb').read())"`) accepts has this
// many nodes on a root-to-leaf path (enum-like nodes such as Load or Add not counted): it takes
// 2988 nested unary minus, not 2989. Deeper trees are rejected the same way.
inline constexpr int kMaxTreeDepth = 2991;
// CPython's parser has a stack of its own (MAXSTACK, 6000 rule calls) that some chains reach
// before the tree is too deep: `x**x**...` and `lambda: lambda: ...` cost two rule calls per
// level, a lambda default eight. The parser keeps an estimate of that stack: every recursion
// cycle passes through a DepthGuard, which adds the cost of the rules CPython calls there; past
// this limit (6000 less a statement's own rules, calibrated so that python3.11 takes 2984 nested
// `**` or `lambda:` and 746 nested lambda defaults, not one more) the input is rejected. Brackets
// cost CPython between 3 and 27 rule calls depending on memoized paths; the estimate takes the
// low end, so that the parser never rejects what CPython accepts (it may accept some absurdly
// deep bracketed chains that CPython rejects). It also keeps the C++ stack small on any input.
inline constexpr int kMaxRecursion = 5970;
// Estimated CPython rule calls for the constructs that nest (see kMaxRecursion).
inline constexpr int kCostParen = 6;           // (
inline constexpr int kCostBracket = 8;         // [ {
inline constexpr int kCostTrailer = 3;         // call arguments, subscript
inline constexpr int kCostLambdaDefault = 6;   // lambda_params .. default

// What a target is being checked for (the wording of the error).
enum class TargetKind : uint8_t { Assign, AugAssign, Del, For, With, Comprehension, Walrus };

// One replacement field of an f-string being parsed: what is needed to give the nodes of its
// expression the positions CPython 3.11 gives them (it re-parses the expression text on its own,
// with shifted positions; see parse_string.cpp).
struct FieldContext {
  uint32_t brace;         // offset of the field's '{'
  uint32_t brace_line;    // its line
  int32_t starting_col;   // 3.11's starting_col_offset for the expression text
};

struct ConcatState;
struct FStringInfo;

class Parser {
 public:
  Parser(const lex::TokenizedBuffer& tokens, const ParseOptions& options, ParseResult& result);
  void parse_file();

  // --- tokens (parser.cpp) ---
  auto peek() const -> TokenKind { return failed_ ? TokenKind::EndOfFile : toks_[pos_].kind; }
  auto peek_at(uint32_t k) const -> TokenKind {
    if (failed_) return TokenKind::EndOfFile;
    uint32_t i = pos_ + k;
    return i < toks_.size() ? toks_[i].kind : TokenKind::EndOfFile;
  }
  auto at(TokenKind k) const -> bool { return peek() == k; }
  auto cur() const -> const Token& { return toks_[pos_]; }
  auto eat(TokenKind k) -> bool {
    if (peek() != k) return false;
    ++pos_;
    return true;
  }
  void advance() {
    if (!failed_ && toks_[pos_].kind != TokenKind::EndOfFile) ++pos_;
  }
  // Consumes `k` or records "expected ..." at the current token.
  auto expect(TokenKind k, std::string_view message) -> bool;
  auto text(const Token& t) const -> std::string_view {
    return src_.substr(t.begin, t.end - t.begin);
  }
  auto text_at(uint32_t i) const -> std::string_view { return text(toks_[i]); }
  // The current token is the Name `word` (soft keywords: match, case, type, _).
  auto at_soft_keyword(std::string_view word) const -> bool {
    return peek() == TokenKind::Name && text(cur()) == word;
  }
  auto begin_of(uint32_t index) const -> uint32_t { return toks_[index].begin; }
  // End offset of the last consumed token.
  auto prev_end() const -> uint32_t { return pos_ > 0 ? toks_[pos_ - 1].end : 0; }
  auto can_start_expression(TokenKind k) const -> bool;

  // --- errors (parser.cpp) ---
  // Records an error (only the first of a statement: the parser then sees EndOfFile until it
  // recovers at the next statement).
  void error(uint32_t begin, uint32_t end, std::string message,
             DiagnosticKind kind = DiagnosticKind::parse_invalid_syntax);
  void error_at_current(std::string message,
                        DiagnosticKind kind = DiagnosticKind::parse_invalid_syntax);
  void error_at_node(NodeId id, std::string message,
                     DiagnosticKind kind = DiagnosticKind::parse_invalid_syntax);
  // A placeholder returned by parse functions that failed.
  auto error_node() -> NodeId;
  void recover();

  // Depth guard: every recursion cycle of the parser passes through a guarded function.
  struct DepthGuard {
    Parser& p;
    int cost;
    bool ok;
    explicit DepthGuard(Parser& parser, int c = 1)
        : p(parser), cost(c), ok((parser.depth_ += c) <= kMaxRecursion) {
      if (!ok) p.too_deep();
    }
    ~DepthGuard() { p.depth_ -= cost; }
  };
  void too_deep();

  // --- tree building (parser.cpp) ---
  auto node(NodeKind k, uint32_t begin, uint32_t end, std::initializer_list<uint32_t> slots)
      -> NodeId {
    return tree_.add_node(k, begin, end, slots);
  }
  auto kind(NodeId id) const -> NodeKind { return tree_.kind(id); }
  auto load() const -> NodeId { return tree_.singleton(NodeKind::Load); }
  auto singleton(NodeKind k) const -> NodeId { return tree_.singleton(k); }
  auto is_parenthesized(NodeId id) const -> bool {
    return (tree_.node(id).flags & kNodeParenthesized) != 0;
  }
  void mark_parenthesized(NodeId id) {
    tree_.set_flags(id, tree_.node(id).flags | kNodeParenthesized);
  }
  // The identifier of a Name token (NFKC-normalized when not ASCII).
  auto identifier(const Token& t) -> StringId;
  // Scratch stack: list children are pushed here and turned into a tree list.
  auto mark_scratch() const -> size_t { return scratch_.size(); }
  void push(uint32_t v) { scratch_.push_back(v); }
  auto finish_list(size_t base) -> ListId;
  // Builds a list of every `stride`-th item from base+offset (de-interleaving pairs).
  auto strided_list(size_t base, size_t offset, size_t stride) -> ListId;
  // The end of the last consumed token that is not NEWLINE, INDENT or DEDENT: where a compound
  // statement ends (its last statement's `;` included).
  auto block_end() const -> uint32_t;

  // --- statements (parser.cpp, parse_stmt.cpp, parse_compound.cpp) ---
  void parse_statement_list();     // statements: statement* until DEDENT / ENDMARKER
  void parse_statement();          // statement
  void parse_simple_stmts();       // simple_stmts
  void parse_simple_stmt();        // simple_stmt
  void parse_expression_stmt();    // assignment | star_expressions
  void parse_import();             // import_name
  auto parse_as_name() -> std::optional<StringId>;  // ['as' NAME]
  void parse_from_import();        // import_from
  auto parse_dotted_name() -> StringId;  // dotted_name
  void parse_type_alias();         // type_alias
  void parse_global_like(NodeKind kind);  // global_stmt | nonlocal_stmt
  void parse_del();                // del_stmt
  // block: returns the statements; `header` names the statement for "expected an indented block".
  auto parse_block(std::string_view header, uint32_t header_token) -> ListId;
  void parse_compound_stmt();
  void parse_if(bool elif);        // if_stmt | elif_stmt
  void parse_while();              // while_stmt
  void parse_for(uint32_t start, bool is_async);    // for_stmt
  void parse_with(uint32_t start, bool is_async);   // with_stmt
  auto parse_with_item() -> NodeId;                 // with_item
  void parse_try();                // try_stmt
  void parse_decorated();          // decorators (function_def | class_def)
  auto parse_def_name(const char* py311_message) -> std::optional<std::pair<StringId, ListId>>;
  void parse_function_def(uint32_t start, ListId decorators, bool is_async);  // function_def_raw
  void parse_class_def(uint32_t start, ListId decorators);                    // class_def_raw
  auto looks_like_match() const -> bool;
  void parse_match();              // match_stmt
  auto parse_else_block(std::string_view header) -> ListId;

  // --- expressions (parse_expr.cpp) ---
  auto parse_star_expressions() -> NodeId;      // star_expressions
  auto parse_star_expression() -> NodeId;       // star_expression
  auto parse_star_named_expression() -> NodeId; // star_named_expression
  auto parse_starred_bitwise_or() -> NodeId;    // '*' bitwise_or
  auto parse_named_expression() -> NodeId;      // named_expression
  auto parse_expression() -> NodeId;            // expression
  auto parse_disjunction() -> NodeId;           // disjunction
  auto parse_conjunction() -> NodeId;           // conjunction
  auto parse_inversion() -> NodeId;             // inversion
  auto parse_comparison() -> NodeId;            // comparison
  auto parse_bitwise_or() -> NodeId { return parse_binary(1); }
  auto parse_binary(int min_prec) -> NodeId;    // bitwise_or .. term
  auto parse_factor() -> NodeId;                // factor
  auto parse_power() -> NodeId;                 // power
  auto parse_primary() -> NodeId;               // await_primary, primary
  auto parse_atom() -> NodeId;                  // atom
  auto parse_paren_atom() -> NodeId;            // tuple | group | genexp
  auto parse_list_atom() -> NodeId;             // list | listcomp
  auto parse_brace_atom() -> NodeId;            // dict | set | dictcomp | setcomp
  auto parse_display_elements(NodeId first, uint32_t open, uint32_t first_item, TokenKind closer)
      -> std::optional<ListId>;
  auto parse_lambda() -> NodeId;                // lambdef
  auto parse_yield_expr() -> NodeId;            // yield_expr
  auto parse_slices(uint32_t& item) -> NodeId;  // slices (item: where the last one starts)
  auto expect_closer(TokenKind close, uint32_t item_start) -> bool;
  auto parse_slice() -> NodeId;                 // slice | starred_expression
  auto parse_comprehension_clauses() -> ListId; // for_if_clauses
  // star_targets for `for` (the part before `in`): a target list without comparisons.
  auto parse_for_targets(TargetKind kind) -> NodeId;
  auto parse_star_target() -> NodeId;           // star_target (unchecked)
  auto at_for_clause() const -> bool {
    return peek() == TokenKind::For || (peek() == TokenKind::Async && peek_at(1) == TokenKind::For);
  }
  auto name_node() -> NodeId;                   // NAME as a Name expression (Load)

  // --- arguments and parameters (parse_args.cpp) ---
  // '(' [arguments] ')' after `func`; returns the Call. In class headers `for_class` (no
  // generator argument).
  void parse_call_arguments(size_t base, bool for_class, uint32_t lpar_index);
  auto parse_call(NodeId func, uint32_t start) -> NodeId;
  auto parse_parameters(bool lambda) -> NodeId;  // params | lambda_params
  auto parse_param(bool lambda, bool star) -> NodeId;  // param, lambda_param
  auto parse_type_params() -> ListId;            // type_params

  // --- strings (parse_string.cpp) ---
  auto parse_strings() -> NodeId;                // strings
  void parse_fstring(ConcatState& st);           // fstring
  void parse_fstring_field(ConcatState& st, const FStringInfo& fi, int level);
  auto parse_format_spec(ConcatState& outer, const FStringInfo& fi, int level) -> NodeId;
  auto append_fstring_middle(std::string& text, const FStringInfo& fi) -> bool;
  auto parse_fstring_expression(uint32_t brace) -> NodeId;
  auto fstring_end_index(uint32_t start_index) const -> uint32_t;
  auto acquire_buffer() -> std::string*;
  void flush_literal(ConcatState& st, uint32_t begin, uint32_t end, bool u_kind);
  auto field_context(const FStringInfo& fi, uint32_t brace) const -> FieldContext;
  auto token_end_at(uint32_t offset) const -> uint32_t;
  auto field_start_col(const FieldContext& fc, uint32_t offset) const -> int32_t;
  auto field_end_col(const FieldContext& fc, uint32_t offset) const -> int32_t;
  void apply_field_positions(const FieldContext& fc, NodeId checkpoint);
  auto check_field_311(const FStringInfo& fi, uint32_t brace_index, uint32_t term_index) -> bool;

  // --- patterns (parse_pattern.cpp) ---
  auto parse_patterns() -> NodeId;               // patterns
  auto parse_pattern() -> NodeId;                // pattern
  auto parse_or_pattern() -> NodeId;             // or_pattern
  auto parse_closed_pattern() -> NodeId;         // closed_pattern
  auto parse_maybe_star_pattern() -> NodeId;     // maybe_star_pattern
  auto parse_literal_expr() -> NodeId;           // signed_number | complex_number | strings
  auto parse_name_or_attr() -> NodeId;           // name_or_attr
  auto parse_class_pattern(NodeId cls, uint32_t start) -> NodeId;  // class_pattern
  auto parse_mapping_pattern() -> NodeId;        // mapping_pattern
  auto parse_capture_name() -> StringId;         // pattern_capture_target

  // --- targets (parse_target.cpp) ---
  // Turns a parsed expression into a target (Store or Del contexts), or records the error.
  void set_target(NodeId id, TargetKind kind);
  auto expr_name(NodeId id) const -> std::string_view;
  auto invalid_target(NodeId id, TargetKind kind) const -> NodeId;

  // --- state ---
  const lex::TokenizedBuffer& tokens_;
  const ParseOptions& options_;
  ParseResult& result_;
  Tree& tree_;
  std::string_view src_;
  std::vector<Token> toks_;  // the significant tokens (no comments, no NL), ending in EndOfFile
  uint32_t pos_ = 0;
  bool failed_ = false;
  int depth_ = 0;
  bool too_deep_reported_ = false;
  NodeId error_node_ = kNone;
  std::vector<uint32_t> scratch_;
  std::string decode_buf_;                  // reusable buffer for decoded string pieces
  std::deque<std::string> buffers_;         // literal text per nesting level of strings
  size_t buffer_depth_ = 0;
  std::vector<FieldContext> fields_;        // enclosing f-string replacement fields
  // A cache in front of Tree::intern for ASCII names, keyed by their text in the source: an
  // open-addressing table (power-of-two size) of {offset, length, hash, id}.
  struct NameSlot {
    uint32_t offset;
    uint32_t length;
    uint32_t hash;
    StringId id;
  };
  std::vector<NameSlot> name_table_;
  uint32_t name_count_ = 0;
};

}  // namespace ivyc::parse::internal
