// repr() of constants, character for character as Python 3.11 prints them.
#include <charconv>
#include <cmath>

#include "ivyc/base/unicode.h"
#include "ivyc/parse/literals.h"
#include "literal_repr.h"

namespace ivyc::parse {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, char prefix, uint32_t value, int digits) {
  out += '\\';
  out += prefix;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

// The quote repr() uses: ' unless the text has a ' and no ".
auto choose_quote(std::string_view text) -> char {
  bool single = text.find('\'') != std::string_view::npos;
  bool dbl = text.find('"') != std::string_view::npos;
  return single && !dbl ? '"' : '\'';
}

void str_repr(std::string_view text, std::string& out) {
  char quote = choose_quote(text);
  out += quote;
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp = unicode::decode_utf8(text, pos);
    if (cp == static_cast<char32_t>(quote) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      append_hex(out, 'x', cp, 2);
    } else if (cp < 0x7F || unicode::is_printable(cp)) {
      unicode::append_utf8(out, cp);
    } else if (cp <= 0xFF) {
      append_hex(out, 'x', cp, 2);
    } else if (cp <= 0xFFFF) {
      append_hex(out, 'u', cp, 4);
    } else {
      append_hex(out, 'U', cp, 8);
    }
  }
  out += quote;
}

void bytes_repr(std::string_view bytes, std::string& out) {
  char quote = choose_quote(bytes);
  out += 'b';
  out += quote;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7F) {
      append_hex(out, 'x', c, 2);
    } else {
      out += ch;
    }
  }
  out += quote;
}

// float.__repr__ (add_dot_0: "1.0"), and the imaginary part of complex.__repr__ (no ".0").
// Python prints the shortest digits that round-trip, positionally while the decimal point falls
// in -4 < decpt <= 16, else in exponent form with a sign and at least two exponent digits.
void float_repr(double value, bool add_dot_0, std::string& out) {
  if (std::isnan(value)) {
    out += "nan";
    return;
  }
  if (std::signbit(value)) {
    out += '-';
    value = -value;
  }
  if (std::isinf(value)) {
    out += "inf";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);  // d[.ddd]e(+|-)XX
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp10);
  int decpt = exp10 + 1;  // value = 0.DIGITS * 10^decpt
  auto n = static_cast<int>(digits.size());
  if (decpt <= -4 || decpt > 16) {
    out += digits[0];
    if (n > 1) {
      out += '.';
      out.append(digits, 1);
    }
    int x = decpt - 1;
    out += 'e';
    out += x < 0 ? '-' : '+';
    x = std::abs(x);
    if (x < 10) out += '0';
    out += std::to_string(x);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(-decpt, '0');
    out += digits;
  } else if (decpt < n) {
    out.append(digits, 0, decpt);
    out += '.';
    out.append(digits, decpt);
  } else {
    out += digits;
    out.append(decpt - n, '0');
    if (add_dot_0) out += ".0";
  }
}

}  // namespace

void append_constant_repr(const Constant& c, std::string& out) {
  switch (c.kind) {
    case ConstantKind::None: out += "None"; return;
    case ConstantKind::True: out += "True"; return;
    case ConstantKind::False: out += "False"; return;
    case ConstantKind::Ellipsis: out += "Ellipsis"; return;
    case ConstantKind::Int: out += c.text; return;
    case ConstantKind::Float: float_repr(c.number, true, out); return;
    case ConstantKind::Complex:
      float_repr(c.number, false, out);
      out += 'j';
      return;
    case ConstantKind::Str: str_repr(c.text, out); return;
    case ConstantKind::Bytes: bytes_repr(c.text, out); return;
  }
}

void append_str_repr(std::string_view text, std::string& out) { str_repr(text, out); }

auto constant_repr(const Constant& c) -> std::string {
  std::string out;
  append_constant_repr(c, out);
  return out;
}

}  // namespace ivyc::parse
