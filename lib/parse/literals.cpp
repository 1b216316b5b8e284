// String and bytes literal bodies, decoded as CPython 3.11 decodes them.
//
// CPython decodes a non-raw str body in two steps: it first rewrites every non-ASCII character as
// a \UXXXXXXXX escape (and a backslash before one as \u005c), then runs the unicode-escape codec
// over the result. Its error messages give byte positions in that rewritten text, so the decoder
// below counts them alongside (`pos`). F-strings are decoded in pieces split at each doubled
// brace, and the positions start again at 0 in each piece. Bytes bodies go through
// bytes.decode('escape') rules, with positions in the body itself.
#include <fmt/format.h>

#include "ivyc/base/unicode.h"
#include "ivyc/parse/literals.h"

namespace ivyc::parse {
namespace {

auto hex_value(char c) -> int {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

auto is_octal(char c) -> bool { return c >= '0' && c <= '7'; }

// A line end at body[i] (\n, \r\n or \r): its length in the body, 0 if none.
auto line_end_length(std::string_view body, size_t i) -> size_t {
  if (body[i] == '\n') return 1;
  if (body[i] != '\r') return 0;
  return i + 1 < body.size() && body[i + 1] == '\n' ? 2 : 1;
}

// The UTF-8 sequence length of the code point starting with lead byte c.
auto utf8_length(unsigned char c) -> size_t {
  if (c < 0x80) return 1;
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  return 2;
}

// One simple escape character (after the backslash), or -1.
auto simple_escape(char c) -> int {
  switch (c) {
    case '\\': return '\\';
    case '\'': return '\'';
    case '"': return '"';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return -1;
  }
}

auto unicode_error(size_t start, size_t end, std::string_view reason, size_t offset)
    -> LiteralError {
  std::string message;
  if (end == start + 1) {
    message = fmt::format(
        "(unicode error) 'unicodeescape' codec can't decode byte 0x5c in position {}: {}", start,
        reason);
  } else {
    message = fmt::format(
        "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: {}", start,
        end - 1, reason);
  }
  return LiteralError{std::move(message), static_cast<uint32_t>(offset)};
}

// Copies the body, line ends normalized and (f-string middles) doubled braces undoubled.
void copy_raw(std::string_view body, bool fstring_middle, std::string& out) {
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '\r') {
      out += '\n';
      i += line_end_length(body, i);
    } else if (fstring_middle && (c == '{' || c == '}') && i + 1 < body.size() &&
               body[i + 1] == c) {
      out += c;
      i += 2;
    } else {
      out += c;
      ++i;
    }
  }
}

class StrDecoder {
 public:
  StrDecoder(std::string_view body, bool fstring_middle, std::string& out)
      : body_(body), fstring_middle_(fstring_middle), out_(out) {}

  auto run() -> std::optional<LiteralError> {
    while (i_ < body_.size()) {
      char c = body_[i_];
      if (fstring_middle_ && (c == '{' || c == '}') && i_ + 1 < body_.size() &&
          body_[i_ + 1] == c) {
        out_ += c;
        i_ += 2;
        pos_ = 0;  // CPython decodes the text after a doubled brace as a new piece
        continue;
      }
      if (c == '\\') {
        if (auto err = escape()) return err;
        continue;
      }
      copy_unit();
    }
    return std::nullopt;
  }

 private:
  // Copies one character (a line end counts as one) and advances the rewritten position.
  void copy_unit() {
    char c = body_[i_];
    if (c == '\r' || c == '\n') {
      out_ += '\n';
      i_ += line_end_length(body_, i_);
      pos_ += 1;
      return;
    }
    auto n = std::min(utf8_length(static_cast<unsigned char>(c)), body_.size() - i_);
    out_.append(body_.substr(i_, n));
    i_ += n;
    pos_ += n == 1 ? 1 : 10;  // \UXXXXXXXX
  }

  // Advances over one character without copying it (inside a \N{...} name).
  void skip_unit() {
    char c = body_[i_];
    if (c == '\\' && i_ + 1 < body_.size() && (body_[i_ + 1] & 0x80)) {
      ++i_;
      pos_ += 6;  // \u005c
      return;
    }
    if (c == '\r' || c == '\n') {
      i_ += line_end_length(body_, i_);
      pos_ += 1;
      return;
    }
    auto n = std::min(utf8_length(static_cast<unsigned char>(c)), body_.size() - i_);
    i_ += n;
    pos_ += n == 1 ? 1 : 10;
  }

  auto escape() -> std::optional<LiteralError> {
    size_t offset = i_;
    size_t start = pos_;
    ++i_;
    ++pos_;
    if (i_ >= body_.size()) {  // a trailing backslash (an f-string piece before '{')
      out_ += '\\';
      return std::nullopt;
    }
    char e = body_[i_];
    if (fstring_middle_ && (e == '{' || e == '}') && i_ + 1 < body_.size() &&
        body_[i_ + 1] == e) {
      // `\{{`: CPython's piece ends with the first brace (an unknown escape, kept).
      out_ += '\\';
      out_ += e;
      i_ += 2;
      pos_ = 0;
      return std::nullopt;
    }
    if (e & 0x80) {  // a backslash before a non-ASCII character stays
      out_ += '\\';
      pos_ += 5;
      return std::nullopt;
    }
    if (e == '\n' || e == '\r') {  // line continuation
      i_ += line_end_length(body_, i_);
      ++pos_;
      return std::nullopt;
    }
    ++i_;
    ++pos_;
    if (int s = simple_escape(e); s >= 0) {
      out_ += static_cast<char>(s);
      return std::nullopt;
    }
    if (is_octal(e)) {
      char32_t value = e - '0';
      for (int k = 0; k < 2 && i_ < body_.size() && is_octal(body_[i_]); ++k) {
        value = value * 8 + (body_[i_] - '0');
        ++i_;
        ++pos_;
      }
      unicode::append_utf8(out_, value);
      return std::nullopt;
    }
    if (e == 'x' || e == 'u' || e == 'U') {
      int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      std::string_view reason = e == 'x'   ? "truncated \\xXX escape"
                                : e == 'u' ? "truncated \\uXXXX escape"
                                           : "truncated \\UXXXXXXXX escape";
      uint32_t value = 0;
      for (int k = 0; k < digits; ++k) {
        int d = i_ < body_.size() ? hex_value(body_[i_]) : -1;
        if (d < 0) return unicode_error(start, pos_, reason, offset);
        value = value * 16 + d;
        ++i_;
        ++pos_;
      }
      if (value > 0x10FFFF) return unicode_error(start, pos_, "illegal Unicode character", offset);
      unicode::append_utf8(out_, value);
      return std::nullopt;
    }
    if (e == 'N') return named_escape(start, offset);
    out_ += '\\';  // an unknown escape stays as written
    out_ += e;
    return std::nullopt;
  }

  auto named_escape(size_t start, size_t offset) -> std::optional<LiteralError> {
    constexpr std::string_view kMalformed = "malformed \\N character escape";
    if (i_ >= body_.size() || body_[i_] != '{') return unicode_error(start, pos_, kMalformed, offset);
    ++i_;
    ++pos_;
    size_t name_begin = i_;
    while (i_ < body_.size() && body_[i_] != '}') skip_unit();
    if (i_ >= body_.size() || i_ == name_begin) {
      return unicode_error(start, pos_, kMalformed, offset);
    }
    auto name = body_.substr(name_begin, i_ - name_begin);
    ++i_;
    ++pos_;
    auto cp = unicode::lookup_name(name);
    if (!cp) return unicode_error(start, pos_, "unknown Unicode character name", offset);
    unicode::append_utf8(out_, *cp);
    return std::nullopt;
  }

  std::string_view body_;
  bool fstring_middle_;
  std::string& out_;
  size_t i_ = 0;
  size_t pos_ = 0;  // position in CPython's rewritten text
};

auto decode_bytes(std::string_view body, std::string& out) -> std::optional<LiteralError> {
  size_t pos = 0;  // position with line ends normalized
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '\r') {
      out += '\n';
      i += line_end_length(body, i);
      ++pos;
      continue;
    }
    if (c != '\\') {
      out += c;
      ++i;
      ++pos;
      continue;
    }
    size_t offset = i;
    size_t start = pos;
    ++i;
    ++pos;
    if (i >= body.size()) {
      return LiteralError{"(value error) Trailing \\ in string", static_cast<uint32_t>(offset)};
    }
    char e = body[i];
    if (e == '\n' || e == '\r') {
      i += line_end_length(body, i);
      ++pos;
      continue;
    }
    ++i;
    ++pos;
    if (int s = simple_escape(e); s >= 0) {
      out += static_cast<char>(s);
    } else if (is_octal(e)) {
      unsigned value = e - '0';
      for (int k = 0; k < 2 && i < body.size() && is_octal(body[i]); ++k) {
        value = value * 8 + (body[i] - '0');
        ++i;
        ++pos;
      }
      out += static_cast<char>(value & 0xFF);  // 3.11 keeps the low byte of \400..\777
    } else if (e == 'x') {
      int hi = i < body.size() ? hex_value(body[i]) : -1;
      int lo = i + 1 < body.size() ? hex_value(body[i + 1]) : -1;
      if (hi < 0 || lo < 0) {
        return LiteralError{fmt::format("(value error) invalid \\x escape at position {}", start),
                            static_cast<uint32_t>(offset)};
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
      pos += 2;
    } else {
      out += '\\';
      out += e;
    }
  }
  return std::nullopt;
}

}  // namespace

auto decode_string_body(std::string_view body, StringFlags flags, std::string& out)
    -> std::optional<LiteralError> {
  out.clear();
  out.reserve(body.size());
  if (flags.bytes) {
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] & 0x80) {
        return LiteralError{"bytes can only contain ASCII literal characters",
                            static_cast<uint32_t>(i)};
      }
    }
    if (flags.raw) {
      copy_raw(body, false, out);
      return std::nullopt;
    }
    return decode_bytes(body, out);
  }
  if (flags.raw) {
    copy_raw(body, flags.fstring_middle, out);
    return std::nullopt;
  }
  return StrDecoder(body, flags.fstring_middle, out).run();
}

}  // namespace ivyc::parse
