// Unicode facts the front end needs, from tables generated out of CPython 3.11's unicodedata
// (Unicode 14.0) by tools/gen_unicode.py, so that ivyc agrees with CPython code point for code point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ivyc::unicode {

// Decodes one UTF-8 code point at text[pos]; returns the code point and advances pos. The caller
// guarantees valid UTF-8 (SourceBuffer validates). Surrogates encoded in 3 bytes (WTF-8, only in
// decoded string values) decode as themselves.
auto decode_utf8(std::string_view text, size_t& pos) -> char32_t;
// Appends the UTF-8 (WTF-8 for surrogates) encoding of cp.
void append_utf8(std::string& out, char32_t cp);

// PEP 3131 identifier classes, as CPython's tokenizer applies them after NFKC.
auto is_xid_start(char32_t cp) -> bool;
auto is_xid_continue(char32_t cp) -> bool;
// NFKC normalization of a UTF-8 string (identifiers: CPython normalizes non-ASCII ones).
auto nfkc(std::string_view utf8) -> std::string;
// str.isprintable() for one code point: what repr() leaves unescaped.
auto is_printable(char32_t cp) -> bool;
// unicodedata.lookup for \N{...} escapes: names and aliases (not named sequences).
auto lookup_name(std::string_view name) -> std::optional<char32_t>;

}  // namespace ivyc::unicode
