// The lexer's state machine (internal to lib/lex). One pass over the UTF-8 text, which ends in a
// NUL that the SourceBuffer guarantees appears nowhere else: the scanning loops use it as their
// sentinel. The rules follow CPython 3.12's tokenizer (Parser/tokenizer.c), including PEP 701
// f-strings; the error messages and their positions are CPython's.
//
//   lexer.cpp       line starts and indentation, names, operators, brackets, end of file
//   lex_number.cpp  numeric literals
//   lex_string.cpp  string literals and f-strings
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ivyc/lex/token.h"

namespace ivyc::lex::detail {

// Byte classes. Every byte >= 0x80 is a potential identifier character, as in CPython: a
// non-ASCII name is validated once scanned.
enum CharClass : uint8_t {
  kIdStart = 1 << 0,   // [A-Za-z_] and >= 0x80
  kIdChar = 1 << 1,    // [A-Za-z0-9_] and >= 0x80
  kDigit = 1 << 2,     // [0-9]
  kHexDigit = 1 << 3,  // [0-9A-Fa-f]
  kBlank = 1 << 4,     // space, tab, form feed
};
extern const std::array<uint8_t, 256> kCharClass;

inline auto char_class(char c) -> uint8_t { return kCharClass[static_cast<uint8_t>(c)]; }
inline auto is_digit(char c) -> bool { return c >= '0' && c <= '9'; }
inline auto is_id_char(char c) -> bool { return (char_class(c) & kIdChar) != 0; }
inline auto is_line_end(char c) -> bool { return c == '\n' || c == '\r'; }

// CPython's limits.
constexpr int kMaxIndent = 100;          // MAXINDENT: at most 99 indentation levels
constexpr size_t kMaxBrackets = 200;     // MAXLEVEL
constexpr size_t kMaxFStrings = 149;     // MAXFSTRINGLEVEL - 1 (the regular mode takes a slot)
constexpr int kMaxFStringExprNesting = 3;  // MAX_EXPR_NESTING
constexpr int kTabSize = 8;

struct Bracket {
  char open;
  uint32_t offset;
};

// One f-string being lexed (CPython's tokenizer_mode). `literal_mode` is TOK_FSTRING_MODE: the
// lexer scans literal text (a format spec when inside a field); otherwise it lexes the
// tokens of a replacement field.
struct FString {
  uint32_t start = 0;         // the prefix
  uint32_t bracket_base = 0;  // brackets open outside the f-string
  int32_t curly_depth = 0;    // brackets open inside its replacement fields
  int32_t expr_start_depth = -1;
  char quote = '"';
  uint8_t quote_size = 1;
  bool raw = false;
  bool literal_mode = true;
};

class Lexer {
 public:
  Lexer(const SourceBuffer& source, const LexOptions& options, TokenizedBuffer& out);
  void run();

 private:
  // lexer.cpp
  void start_line();
  void lex_token();
  void lex_name(const char* start);
  void lex_newline();
  void lex_continuation();
  void lex_operator();
  void open_bracket(TokenKind kind);
  void close_bracket(TokenKind kind);
  void finish();

  // lex_number.cpp
  void lex_number(const char* start);
  void number_error(const char* start, const char* cur, std::string message);

  // lex_string.cpp
  void lex_string(const char* start, const char* quote, uint8_t flags);
  void start_fstring(const char* start, const char* quote, uint8_t flags);
  void lex_fstring_literal();
  void unterminated_string(const char* start, const char* quote, uint8_t quote_size,
                           const char* stop);
  void add_fstring_middle(const char* begin, const char* end);
  void close_fstring(const char* quote);

  // Helpers.
  void add(TokenKind kind, const char* begin, const char* end, uint8_t flags = kTokenNone);
  void error(DiagnosticKind kind, const char* begin, const char* end, std::string message);
  // An error where CPython's tokenizer stands at `cur`: CPython's caret (SyntaxError.offset)
  // points at the character before it.
  void error_before(DiagnosticKind kind, const char* cur, std::string message);
  // Where a caret goes for the errors CPython locates by a byte count from the start of `p`'s
  // line (it prints that count as the column): the character with that index, as far as the
  // line goes.
  auto byte_column_caret(const char* p, size_t bytes) const -> const char*;
  // The start of the physical line that holds `p`.
  auto line_start(const char* p) const -> const char*;
  auto offset(const char* p) const -> uint32_t { return static_cast<uint32_t>(p - base_); }
  auto line_of(const char* p) const -> uint32_t;
  // The line CPython names in "(detected at line N)" when it stops at `p`.
  auto detected_line(const char* p) const -> uint32_t;

  const SourceBuffer& source_;
  TokenizedBuffer& out_;
  bool keep_trivia_;
  const char* base_;
  const char* end_;
  const char* p_;
  const char* line_begin_;  // the start of the current physical line
  // The start of CPython's line buffer: the first physical line of the current logical line's
  // part that CPython read without a token in progress (it keeps lines joined by a continuation
  // or spanned by a string). CPython measures one error column from it.
  const char* buffer_begin_;
  // A memo for line_start and byte_column_caret. Errors come in text order, so each query goes
  // on from the last one: a line with thousands of errors is walked once, not once per error.
  mutable const char* memo_line_ = nullptr;   // a line's start
  mutable const char* memo_seen_ = nullptr;   // [memo_line_, memo_seen_) holds no line end
  mutable const char* memo_caret_ = nullptr;  // where the last caret walk on that line stopped
  mutable size_t memo_chars_ = 0;             // after this many characters
  // The \r\n pairs from buffer_begin_ to the start of a line (a continuation error's column).
  const char* crlf_buffer_ = nullptr;
  const char* crlf_line_ = nullptr;
  size_t crlf_count_ = 0;

  bool at_bol_ = true;              // at the start of a physical line: measure its indentation
  bool blank_line_ = false;         // the line holds only whitespace and a comment
  bool line_start_pending_ = true;  // the next token is the first on its physical line
  bool logical_line_open_ = false;  // tokens since the last Newline

  int indent_ = 0;
  std::array<int, kMaxIndent> indents_{};
  std::array<int, kMaxIndent> alt_indents_{};  // the same with tabs counted as 1 column
  std::vector<Bracket> brackets_;
  std::vector<FString> fstrings_;
};

}  // namespace ivyc::lex::detail
