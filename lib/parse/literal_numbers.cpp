// NUMBER tokens to values, as CPython 3.11's parser computes them: integers of any size in any
// base (kept as decimal digits), correctly rounded floats, imaginary numbers.
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "ivyc/parse/literals.h"

namespace ivyc::parse {
namespace {

// CPython 3.11 refuses decimal integer literals of more digits than this
// (sys.int_info.default_max_str_digits).
constexpr size_t kMaxDecimalDigits = 4300;

auto digit_value(char c) -> int {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Digits of a power-of-two base to decimal: a little-endian number in limbs of 10^9, multiplied
// and added a chunk of input digits at a time.
auto to_decimal(std::string_view digits, int base) -> std::string {
  constexpr uint32_t kLimb = 1000000000;
  int bits = base == 2 ? 1 : base == 8 ? 3 : 4;
  int chunk = 28 / bits;  // base^chunk <= 2^28, so limb * multiplier + carry fits in 64 bits
  std::vector<uint32_t> limbs;
  for (size_t i = 0; i < digits.size();) {
    size_t n = std::min<size_t>(chunk, digits.size() - i);
    uint64_t mult = uint64_t{1} << (bits * n);
    uint64_t carry = 0;
    for (size_t k = 0; k < n; ++k) carry = carry * base + digit_value(digits[i + k]);
    i += n;
    for (auto& limb : limbs) {
      uint64_t v = limb * mult + carry;
      limb = static_cast<uint32_t>(v % kLimb);
      carry = v / kLimb;
    }
    while (carry) {
      limbs.push_back(static_cast<uint32_t>(carry % kLimb));
      carry /= kLimb;
    }
  }
  if (limbs.empty()) return "0";
  std::string out = fmt::format("{}", limbs.back());
  for (size_t i = limbs.size() - 1; i-- > 0;) fmt::format_to(std::back_inserter(out), "{:09}", limbs[i]);
  return out;
}

auto strip_underscores(std::string_view text) -> std::string {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '_') out += c;
  }
  return out;
}

// A decimal float literal (underscores removed) to the nearest double; overflow gives inf and
// underflow 0, as CPython's strtod does.
auto parse_float(const std::string& s) -> std::optional<double> {
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
  if (end != s.data() + s.size()) return std::nullopt;
  if (ec == std::errc()) return value;
  if (ec != std::errc::result_out_of_range) return std::nullopt;
  // Out of range: the magnitude is that of the first non-zero digit.
  long exponent = 0;
  size_t e = s.find_first_of("eE");
  std::string_view mantissa(s.data(), e == std::string::npos ? s.size() : e);
  if (e != std::string::npos) {
    std::string_view exp(s.data() + e + 1, s.size() - e - 1);
    bool negative = !exp.empty() && exp[0] == '-';
    if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) exp.remove_prefix(1);
    for (char c : exp) exponent = std::min(exponent * 10 + (c - '0'), 100000000L);
    if (negative) exponent = -exponent;
  }
  size_t dot = mantissa.find('.');
  long int_digits = static_cast<long>(dot == std::string_view::npos ? mantissa.size() : dot);
  long index = 0;  // index of the first non-zero digit among the digits
  for (char c : mantissa) {
    if (c == '.') continue;
    if (c != '0') break;
    ++index;
  }
  long magnitude = int_digits - index - 1 + exponent;  // value ~ 10^magnitude
  return magnitude >= 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

}  // namespace

auto parse_number(std::string_view text, LiteralError& error) -> std::optional<Constant> {
  error = LiteralError{};
  if (text.empty()) return std::nullopt;
  char last = text.back();
  if (last == 'j' || last == 'J') {
    auto value = parse_float(strip_underscores(text.substr(0, text.size() - 1)));
    if (!value) return std::nullopt;
    return Constant{ConstantKind::Complex, *value, {}};
  }
  if (text.size() > 1 && text[0] == '0' && text[1] != '.' && digit_value(text[1]) > 9 &&
      text[1] != 'e' && text[1] != 'E' && text[1] != '_') {
    int base = (text[1] | 0x20) == 'x' ? 16 : (text[1] | 0x20) == 'o' ? 8 : (text[1] | 0x20) == 'b' ? 2 : 0;
    if (base == 0) return std::nullopt;
    std::string digits = strip_underscores(text.substr(2));
    if (digits.empty()) return std::nullopt;
    for (char c : digits) {
      if (digit_value(c) >= base) return std::nullopt;
    }
    size_t nonzero = digits.find_first_not_of('0');
    if (nonzero == std::string::npos) return Constant{ConstantKind::Int, 0, "0"};
    return Constant{ConstantKind::Int, 0, to_decimal(std::string_view(digits).substr(nonzero), base)};
  }
  std::string digits = strip_underscores(text);
  if (digits.find_first_of(".eE") != std::string::npos) {
    auto value = parse_float(digits);
    if (!value) return std::nullopt;
    return Constant{ConstantKind::Float, *value, {}};
  }
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  size_t nonzero = digits.find_first_not_of('0');
  if (nonzero == std::string::npos) return Constant{ConstantKind::Int, 0, "0"};
  if (digits.size() > kMaxDecimalDigits) {
    error.message = fmt::format(
        "Exceeds the limit ({} digits) for integer string conversion: value has {} digits; use "
        "sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge "
        "integer literals to avoid decimal conversion limits.",
        kMaxDecimalDigits, digits.size());
    return std::nullopt;
  }
  return Constant{ConstantKind::Int, 0, digits.substr(nonzero)};
}

auto parse_number(std::string_view text) -> std::optional<Constant> {
  LiteralError error;
  return parse_number(text, error);
}

}  // namespace ivyc::parse
