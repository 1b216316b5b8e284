// Source encodings (internal to lib/source): PEP 263 coding declarations found as CPython finds
// them, strict UTF-8 validation, and decoding errors worded as Python words them. The codecs
// themselves are in codecs.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ivyc::source_detail {

// The coding declaration of `bytes` (BOM already removed), as CPython's tokenizer reads it: a
// comment line matching `coding[:=]\s*([-\w.]+)` on line 1, or on line 2 when line 1 is blank or a
// comment. The name is returned as CPython normalizes it (get_normal_name): "utf-8" for utf_8 and
// utf-8-*, "iso-8859-1" for the Latin-1 spellings, otherwise as written.
auto find_coding_declaration(std::string_view bytes) -> std::optional<std::string>;

// A decoding failure as Python's UnicodeDecodeError states it: where (offset and length in the
// input decoded), the first byte, the codec's name and the reason.
struct DecodeError {
  uint32_t offset = 0;
  uint32_t length = 1;
  uint8_t byte = 0;
  std::string_view codec = "utf-8";
  std::string_view reason;
};

// str(UnicodeDecodeError), the error's position given as `position`.
auto describe(const DecodeError& error, uint32_t position) -> std::string;

// The first place at or after `from` where `bytes` is not UTF-8, as Python's strict codec finds it
// (no surrogates, no overlong forms, nothing above U+10FFFF).
auto next_utf8_error(std::string_view bytes, size_t from = 0) -> std::optional<DecodeError>;

}  // namespace ivyc::source_detail
