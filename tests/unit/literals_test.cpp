// Literal values and their repr, checked against cases whose expected values CPython 3.11 computed
// (tests/unit/data/gen_literal_cases.py), plus hand-written cases.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

#include "catch.h"
#include "ivyc/parse/literals.h"

using namespace ivyc::parse;

namespace {

struct Case {
  std::string source;
  std::string expected;
};

auto data_dir() -> std::filesystem::path {
  return std::filesystem::path(__FILE__).parent_path() / "data";
}

auto percent_decode(std::string_view s) -> std::string {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

auto read_cases(const char* name) -> std::vector<Case> {
  std::ifstream in(data_dir() / name, std::ios::binary);
  REQUIRE(in.good());
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    cases.push_back({percent_decode(std::string_view(line).substr(0, tab)), line.substr(tab + 1)});
  }
  return cases;
}

// What ivyc makes of a number: its repr, or "error: " and the message ("error: " alone when the
// text is not a number).
auto eval_number(const std::string& source) -> std::string {
  LiteralError error;
  auto c = parse_number(source, error);
  if (!c) return "error: " + error.message;
  return constant_repr(*c);
}

// What ivyc makes of a string literal (prefix, quotes, body): its repr, or "error: " and the message.
auto eval_string(const std::string& source) -> std::string {
  size_t p = 0;
  StringFlags flags;
  while (p < source.size() && source[p] != '\'' && source[p] != '"') {
    char c = static_cast<char>(source[p] | 0x20);
    flags.raw |= c == 'r';
    flags.bytes |= c == 'b';
    flags.fstring_middle |= c == 'f';
    ++p;
  }
  size_t quote = source.compare(p, 3, std::string(3, source[p])) == 0 ? 3 : 1;
  auto body = std::string_view(source).substr(p + quote, source.size() - p - 2 * quote);
  std::string value;
  if (auto err = decode_string_body(body, flags, value)) return "error: " + err->message;
  return constant_repr(Constant{flags.bytes ? ConstantKind::Bytes : ConstantKind::Str, 0, value});
}

template <typename Eval>
void check_file(const char* name, Eval eval) {
  auto cases = read_cases(name);
  REQUIRE(!cases.empty());
  size_t failures = 0;
  for (const auto& c : cases) {
    auto got = eval(c.source);
    if (got == c.expected) continue;
    if (++failures <= 20) {
      UNSCOPED_INFO(name << ": " << c.source << "\n  expected " << c.expected << "\n  got      "
                         << got);
    }
  }
  INFO(failures << " of " << cases.size() << " cases differ");
  CHECK(failures == 0);
}

auto str(std::string_view body, StringFlags flags = {}) -> std::string {
  std::string out;
  auto err = decode_string_body(body, flags, out);
  REQUIRE(!err);
  return out;
}

auto float_repr(double v) -> std::string { return constant_repr(Constant{ConstantKind::Float, v, {}}); }

}  // namespace

TEST_CASE("float literals agree with CPython", "[literals]") { check_file("floats.txt", eval_number); }
TEST_CASE("int literals agree with CPython", "[literals]") { check_file("ints.txt", eval_number); }
TEST_CASE("str and bytes literals agree with CPython", "[literals]") {
  check_file("strings.txt", eval_string);
}
TEST_CASE("literal errors agree with CPython", "[literals]") {
  check_file("string_errors.txt", eval_string);
}

TEST_CASE("float repr switches to exponents as Python does", "[literals]") {
  CHECK(float_repr(1e16) == "1e+16");
  CHECK(float_repr(1e15) == "1000000000000000.0");
  CHECK(float_repr(1e-5) == "1e-05");
  CHECK(float_repr(1e-4) == "0.0001");
  CHECK(float_repr(1.0) == "1.0");
  CHECK(float_repr(0.1) == "0.1");
  CHECK(float_repr(1.5e300) == "1.5e+300");
  CHECK(float_repr(5e-324) == "5e-324");
  CHECK(float_repr(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(float_repr(std::nan("")) == "nan");
  CHECK(float_repr(-0.0) == "-0.0");
  CHECK(constant_repr(Constant{ConstantKind::Complex, 1.0, {}}) == "1j");
  CHECK(constant_repr(Constant{ConstantKind::Complex, 1e16, {}}) == "1e+16j");
  CHECK(constant_repr(Constant{ConstantKind::Complex, 2.5, {}}) == "2.5j");
  CHECK(constant_repr(Constant{ConstantKind::Complex, std::numeric_limits<double>::infinity(), {}}) ==
        "infj");
}

TEST_CASE("singletons and ints print as Python does", "[literals]") {
  CHECK(constant_repr(Constant{ConstantKind::None, 0, {}}) == "None");
  CHECK(constant_repr(Constant{ConstantKind::True, 0, {}}) == "True");
  CHECK(constant_repr(Constant{ConstantKind::False, 0, {}}) == "False");
  CHECK(constant_repr(Constant{ConstantKind::Ellipsis, 0, {}}) == "Ellipsis");
  CHECK(eval_number("0x_ff") == "255");
  CHECK(eval_number("0b" + std::string(64, '1')) == "18446744073709551615");
  CHECK(eval_number("1__0") == "10");  // the lexer rejects it; the value is still clear
  CHECK(eval_number("0x") == "error: ");
  CHECK(eval_number("0b2") == "error: ");
  CHECK(eval_number(std::string(4300, '7')) == std::string(4300, '7'));
  CHECK(eval_number(std::string(4301, '7')).starts_with("error: Exceeds the limit (4300 digits)"));
  CHECK(eval_number(std::string(5000, '0')) == "0");
}

TEST_CASE("str repr picks quotes and escapes", "[literals]") {
  auto r = [](std::string_view s) {
    return constant_repr(Constant{ConstantKind::Str, 0, std::string(s)});
  };
  CHECK(r("a'b") == "\"a'b\"");
  CHECK(r("a'\"b") == "'a\\'\"b'");
  CHECK(r("\t\n\r\\") == "'\\t\\n\\r\\\\'");
  CHECK(r("\x01\x7f") == "'\\x01\\x7f'");
  CHECK(r("\xc2\x85\xc2\xa0") == "'\\x85\\xa0'");        // U+0085 and U+00A0 are not printable
  CHECK(r("\xe2\x80\xa8\xc3\xa9") == "'\\u2028\xc3\xa9'");  // U+2028; é is
  CHECK(r("\xed\xa0\x80") == "'\\ud800'");               // a lone surrogate (WTF-8)
  CHECK(r("\xf3\xa0\x80\x81") == "'\\U000e0001'");
  CHECK(r("\xf0\x9f\x98\x80") == "'\xf0\x9f\x98\x80'");
}

TEST_CASE("bytes repr", "[literals]") {
  auto r = [](std::string_view s) {
    return constant_repr(Constant{ConstantKind::Bytes, 0, std::string(s)});
  };
  CHECK(r(std::string("a\0\xff'", 4)) == "b\"a\\x00\\xff'\"");
  CHECK(r("\t\n\r\\\"") == "b'\\t\\n\\r\\\\\"'");
}

TEST_CASE("string bodies: escapes, line ends, braces", "[literals]") {
  CHECK(str("a\\\r\nb") == "ab");
  CHECK(str("a\r\nb\rc") == "a\nb\nc");
  CHECK(str("\\777") == "\xc7\xbf");
  CHECK(str("\\ud800") == "\xed\xa0\x80");
  CHECK(str("\\N{LATIN SMALL LETTER A}\\N{latin small letter b}") == "ab");
  CHECK(str("\\q\\8") == "\\q\\8");
  CHECK(str("\\n\\x", {.raw = true}) == "\\n\\x");
  CHECK(str("\\777", {.bytes = true}) == "\xff");
  CHECK(str("\\u00e9\\N{X}", {.bytes = true}) == "\\u00e9\\N{X}");
  CHECK(str("a{{b}}c", {.fstring_middle = true}) == "a{b}c");
  CHECK(str("\\{{", {.fstring_middle = true}) == "\\{");
  CHECK(str("\\", {.fstring_middle = true}) == "\\");  // the piece before `{` in f"\{x}"
  CHECK(str("\\N{LEFT CURLY BRACKET}{{", {.fstring_middle = true}) == "{{");
  CHECK(str("{{", {.raw = true, .fstring_middle = true}) == "{");
  std::string out;
  auto err = decode_string_body("ab\xc3\xa9", {.bytes = true}, out);
  REQUIRE(err);
  CHECK(err->message == "bytes can only contain ASCII literal characters");
  CHECK(err->offset == 2);
  err = decode_string_body("ab\\x1", {}, out);
  REQUIRE(err);
  CHECK(err->offset == 2);
}
