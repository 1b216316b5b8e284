// The Unicode tables and algorithms, against cases computed by CPython 3.11
// (tests/unit/data/gen_unicode_cases.py).
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "catch.h"
#include "ivyc/base/unicode.h"

using namespace ivyc;

namespace {

struct Cases {
  std::map<std::string, std::vector<std::pair<char32_t, char32_t>>> ranges;
  std::vector<std::pair<std::u32string, std::u32string>> nfkc;
  std::vector<std::pair<std::string, std::optional<char32_t>>> names;
};

auto parse_hex_list(std::string_view s) -> std::u32string {
  std::u32string out;
  std::istringstream in{std::string(s)};
  std::string word;
  while (in >> word) out += static_cast<char32_t>(std::stoul(word, nullptr, 16));
  return out;
}

auto load() -> const Cases& {
  static const Cases cases = [] {
    Cases c;
    std::ifstream in(std::filesystem::path(__FILE__).parent_path() / "data" / "unicode_cases.txt",
                     std::ios::binary);
    REQUIRE(in.good());
    std::string line;
    while (std::getline(in, line)) {
      auto t1 = line.find('\t');
      auto t2 = line.rfind('\t');
      REQUIRE((t1 != std::string::npos && t2 > t1));
      std::string kind = line.substr(0, t1);
      std::string a = line.substr(t1 + 1, t2 - t1 - 1);
      std::string b = line.substr(t2 + 1);
      if (kind == "nfkc") {
        c.nfkc.emplace_back(parse_hex_list(a), parse_hex_list(b));
      } else if (kind == "name") {
        std::optional<char32_t> cp;
        if (b != "-") cp = static_cast<char32_t>(std::stoul(b, nullptr, 16));
        c.names.emplace_back(a, cp);
      } else {
        c.ranges[kind].emplace_back(std::stoul(a, nullptr, 16), std::stoul(b, nullptr, 16));
      }
    }
    return c;
  }();
  return cases;
}

auto utf8(std::u32string_view s) -> std::string {
  std::string out;
  for (char32_t c : s) unicode::append_utf8(out, c);
  return out;
}

auto hex(std::u32string_view s) -> std::string {
  std::string out;
  char buf[16];
  for (char32_t c : s) {
    std::snprintf(buf, sizeof buf, "%s%X", out.empty() ? "" : " ", static_cast<unsigned>(c));
    out += buf;
  }
  return out;
}

template <typename Pred>
void check_predicate(const char* kind, Pred pred) {
  const auto& ranges = load().ranges.at(kind);
  std::vector<bool> expected(0x110000, false);
  for (auto [a, b] : ranges) {
    for (char32_t c = a; c <= b; ++c) expected[c] = true;
  }
  size_t failures = 0;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (pred(c) == expected[c]) continue;
    if (++failures <= 10) UNSCOPED_INFO(kind << " differs at U+" << std::hex << uint32_t(c));
  }
  CHECK(failures == 0);
}

}  // namespace

TEST_CASE("UTF-8 round trip, surrogates included", "[unicode]") {
  for (char32_t c : {0x0u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD800u, 0xDFFFu, 0xFFFFu, 0x10000u,
                     0x10FFFFu}) {
    std::string s;
    unicode::append_utf8(s, c);
    size_t pos = 0;
    CHECK(unicode::decode_utf8(s, pos) == c);
    CHECK(pos == s.size());
  }
}

TEST_CASE("identifier classes agree with str.isidentifier", "[unicode]") {
  check_predicate("xid_start", unicode::is_xid_start);
  check_predicate("xid_continue", unicode::is_xid_continue);
}

TEST_CASE("is_printable agrees with str.isprintable", "[unicode]") {
  check_predicate("printable", unicode::is_printable);
}

TEST_CASE("NFKC agrees with unicodedata.normalize", "[unicode]") {
  const auto& cases = load().nfkc;
  REQUIRE(cases.size() > 10000);
  // Single code points: those listed change, all others stay.
  std::map<char32_t, std::u32string> changed;
  for (const auto& [in, out] : cases) {
    if (in.size() == 1) changed[in[0]] = out;
  }
  size_t failures = 0;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    auto it = changed.find(c);
    std::u32string expected = it == changed.end() ? std::u32string(1, c) : it->second;
    if (unicode::nfkc(utf8(std::u32string(1, c))) == utf8(expected)) continue;
    if (++failures <= 10) UNSCOPED_INFO("nfkc differs for U+" << std::hex << uint32_t(c));
  }
  for (const auto& [in, out] : cases) {
    if (in.size() == 1) continue;
    if (unicode::nfkc(utf8(in)) == utf8(out)) continue;
    if (++failures <= 10) UNSCOPED_INFO("nfkc differs for " << hex(in) << ": expected " << hex(out));
  }
  CHECK(failures == 0);
  CHECK(unicode::nfkc("abc") == "abc");
  CHECK(unicode::nfkc("\xef\xac\x81") == "fi");          // U+FB01 LATIN SMALL LIGATURE FI
  CHECK(unicode::nfkc("\xe2\x84\x8c") == "H");           // U+210C BLACK-LETTER CAPITAL H
  CHECK(unicode::nfkc("e\xcc\x81") == "\xc3\xa9");       // e + U+0301 -> U+00E9
  CHECK(unicode::nfkc("\xe1\x84\x80\xe1\x85\xa1") == "\xea\xb0\x80");  // jamo G + A -> U+AC00
}

TEST_CASE("\\N{...} names agree with CPython", "[unicode]") {
  const auto& cases = load().names;
  REQUIRE(cases.size() > 1000);
  size_t failures = 0;
  for (const auto& [name, cp] : cases) {
    if (unicode::lookup_name(name) == cp) continue;
    if (++failures <= 10) UNSCOPED_INFO("lookup_name(\"" << name << "\") differs");
  }
  CHECK(failures == 0);
  CHECK(unicode::lookup_name("LATIN SMALL LETTER A") == U'a');
  CHECK(unicode::lookup_name("latin small letter a") == U'a');
  CHECK(unicode::lookup_name("LINE FEED") == U'\n');
  CHECK(unicode::lookup_name("HANGUL SYLLABLE GAG") == U'\uAC01');
  CHECK(unicode::lookup_name("CJK UNIFIED IDEOGRAPH-4E00") == U'\u4E00');
  CHECK(!unicode::lookup_name("CJK UNIFIED IDEOGRAPH-4e00"));
  CHECK(!unicode::lookup_name("LATIN CAPITAL LETTER A WITH MACRON AND GRAVE"));  // a sequence
  CHECK(!unicode::lookup_name(""));
}
