// Numeric literals, validated as CPython 3.12 validates them: underscores only between digits,
// no leading zeros in decimal integers, and a literal may not run into a name, except for the
// keywords that can follow a number in valid code (`1if x else 2`, `0in y`, `1or 2`), which
// CPython accepts with a warning.
#include <fmt/format.h>

#include "lexer_impl.h"

namespace ivyc::lex::detail {
namespace {

auto is_hex(char c) -> bool { return (char_class(c) & kHexDigit) != 0; }

// Whether `s` starts one of the keywords CPython lets follow a number directly: and, else, for,
// if, in, is, or, not (for "i" it looks at one more character only, as CPython does).
auto keyword_follows(const char* s) -> bool {
  auto word = [&](const char* rest) {
    const char* t = s + 1;
    for (; *rest != '\0'; ++rest, ++t) {
      if (*t != *rest) return false;
    }
    return !is_id_char(*t);
  };
  switch (s[0]) {
    case 'a': return word("nd");
    case 'e': return word("lse");
    case 'f': return word("or");
    case 'i': return s[1] == 'f' || s[1] == 'n' || s[1] == 's';
    case 'o': return word("r");
    case 'n': return word("ot");
    default: return false;
  }
}

}  // namespace

void Lexer::number_error(const char* start, const char* cur, std::string message) {
  error_before(DiagnosticKind::lex_invalid_number, cur, std::move(message));
  // The Error token takes the rest of the word.
  const char* end = cur;
  while (static_cast<uint8_t>(*end) < 0x80 && is_id_char(*end)) ++end;
  add(TokenKind::Error, start, end);
  p_ = end;
}

void Lexer::lex_number(const char* start) {
  const char* s = start;
  const char* e = nullptr;
  uint8_t flags = kTokenNone;
  const char* kind = "decimal";

  // Digits with single underscores between them; false (after the error) when an underscore is
  // not followed by a digit.
  auto decimal_tail = [&]() -> bool {
    for (;;) {
      while (is_digit(*s)) ++s;
      if (*s != '_') return true;
      ++s;
      if (!is_digit(*s)) {
        number_error(start, s, "invalid decimal literal");
        return false;
      }
    }
  };
  // Digits of base 2, 8 or 16 after their prefix.
  auto based_digits = [&](auto in_base, const char* name, bool report_digit) -> bool {
    do {
      if (*s == '_') ++s;
      if (!in_base(*s)) {
        if (report_digit && is_digit(*s)) {
          number_error(start, s + 1, fmt::format("invalid digit '{}' in {} literal", *s, name));
        } else {
          number_error(start, s, fmt::format("invalid {} literal", name));
        }
        return false;
      }
      while (in_base(*s)) ++s;
    } while (*s == '_');
    if (report_digit && is_digit(*s)) {
      number_error(start, s + 1, fmt::format("invalid digit '{}' in {} literal", *s, name));
      return false;
    }
    return true;
  };

  if (*s == '.') {
    ++s;
    goto fraction;
  }
  if (*s == '0') {
    ++s;
    char c = *s;
    if (c == 'x' || c == 'X') {
      ++s;
      if (!based_digits(is_hex, "hexadecimal", false)) return;
      kind = "hexadecimal";
      goto end;
    }
    if (c == 'o' || c == 'O') {
      ++s;
      if (!based_digits([](char d) { return d >= '0' && d <= '7'; }, "octal", true)) return;
      kind = "octal";
      goto end;
    }
    if (c == 'b' || c == 'B') {
      ++s;
      if (!based_digits([](char d) { return d == '0' || d == '1'; }, "binary", true)) return;
      kind = "binary";
      goto end;
    }
    // Zeros, maybe more digits: only a float or an imaginary may have leading zeros.
    bool nonzero = false;
    for (;;) {
      if (*s == '_') {
        ++s;
        if (!is_digit(*s)) {
          number_error(start, s, "invalid decimal literal");
          return;
        }
      }
      if (*s != '0') break;
      ++s;
    }
    const char* zeros_end = s;
    if (is_digit(*s)) {
      nonzero = true;
      if (!decimal_tail()) return;
    }
    if (*s == '.') {
      ++s;
      goto fraction;
    }
    if (*s == 'e' || *s == 'E') goto exponent;
    if (*s == 'j' || *s == 'J') goto imaginary;
    if (nonzero) {
      // CPython gives this range in bytes: from the literal to its first nonzero digit. Both ends
      // go through the same byte count to character mapping, so they stay in order.
      const char* line = line_start(start);
      error(DiagnosticKind::lex_invalid_number,
            byte_column_caret(start, static_cast<size_t>(start - line)),
            byte_column_caret(start, static_cast<size_t>(zeros_end - line)),
            "leading zeros in decimal integer literals are not permitted; use an 0o prefix for "
            "octal integers");
      const char* end_word = s;
      while (static_cast<uint8_t>(*end_word) < 0x80 && is_id_char(*end_word)) ++end_word;
      add(TokenKind::Error, start, end_word);
      p_ = end_word;
      return;
    }
    goto end;
  }

  if (!decimal_tail()) return;
  if (*s == '.') {
    ++s;
  fraction:
    flags |= kTokenFloat;
    if (is_digit(*s) && !decimal_tail()) return;
  }
  if (*s == 'e' || *s == 'E') {
  exponent:
    e = s;
    ++s;
    if (*s == '+' || *s == '-') {
      ++s;
      if (!is_digit(*s)) {
        number_error(start, s, "invalid decimal literal");
        return;
      }
    } else if (!is_digit(*s)) {
      // Not an exponent: the number ends before the 'e', which must start `else`.
      if (!keyword_follows(e)) {
        number_error(start, e, "invalid decimal literal");
        return;
      }
      add(TokenKind::Number, start, e, flags);
      p_ = e;
      return;
    }
    flags |= kTokenFloat;
    if (!decimal_tail()) return;
  }
  if (*s == 'j' || *s == 'J') {
  imaginary:
    ++s;
    flags |= kTokenImaginary;
    kind = "imaginary";
  }

end:
  if (!keyword_follows(s) && static_cast<uint8_t>(*s) < 0x80 && is_id_char(*s)) {
    number_error(start, s, fmt::format("invalid {} literal", kind));
    return;
  }
  add(TokenKind::Number, start, s, flags);
  p_ = s;
}

}  // namespace ivyc::lex::detail
