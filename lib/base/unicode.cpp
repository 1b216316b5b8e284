// STUB: to be replaced by tables generated from CPython's unicodedata.
#include "ivyc/base/unicode.h"

namespace ivyc::unicode {

auto decode_utf8(std::string_view text, size_t& pos) -> char32_t {
  auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) { ++pos; return c; }
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  char32_t cp = c & (0x3F >> n);
  for (int i = 1; i <= n; ++i) cp = (cp << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  pos += n + 1;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) { out += static_cast<char>(cp); return; }
  if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); }
  else if (cp < 0x10000) { out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); }
  else { out += static_cast<char>(0xF0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); }
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

auto is_xid_start(char32_t cp) -> bool { return cp >= 0x80; }
auto is_xid_continue(char32_t cp) -> bool { return cp >= 0x80; }
auto nfkc(std::string_view utf8) -> std::string { return std::string(utf8); }
auto is_printable(char32_t cp) -> bool { return cp >= 0x20 && cp != 0x7F; }
auto lookup_name(std::string_view name) -> std::optional<char32_t> { return std::nullopt; }

}  // namespace ivyc::unicode
