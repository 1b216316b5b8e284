// Source encodings (internal to lib/source): PEP 263 coding declarations found as CPython finds
// them, codec lookup by Python's names and aliases, and the codecs ivyc reads: UTF-8 and the
// single-byte ASCII, Latin-1, CP1252 and ISO-8859-15, decoded to UTF-8 and encoded back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ivyc::source_detail {

enum class Codec : uint8_t { Utf8, Ascii, Latin1, Cp1252, Latin9 };

// The coding declaration of `bytes` (BOM already removed), as CPython's tokenizer reads it: a
// comment line matching `coding[:=]\s*([-\w.]+)` on line 1, or on line 2 when line 1 is blank or a
// comment. The name is returned as CPython normalizes it for its messages ("utf-8" for utf_8 and
// utf-8-*, "iso-8859-1" for the Latin-1 spellings, otherwise as written).
auto find_coding_declaration(std::string_view bytes) -> std::optional<std::string>;

// Python's codec lookup (case, '-', ' ' and '_' insensitive, aliases included). nullopt when the
// name is not one of the codecs above; `known` then says whether Python has such a codec at all.
auto lookup_codec(std::string_view name, bool& known) -> std::optional<Codec>;

// The canonical name of a codec ("utf-8", "latin-1", ...), as SourceBuffer::encoding() returns it.
auto codec_name(Codec codec) -> std::string_view;

// A decoding failure: where (byte offset and length in the input) and why.
struct DecodeError {
  enum class Kind : uint8_t { NullByte, Utf8, Ascii, Charmap };
  Kind kind = Kind::Utf8;
  uint32_t offset = 0;
  uint32_t length = 1;
  uint8_t byte = 0;
  const char* reason = "";  // utf-8: "invalid start byte", ...
};

// Python's message for a decoding failure, positions counted from `base` (the BOM's length).
auto describe(const DecodeError& error, uint32_t base) -> std::string;

// Checks that `bytes` is valid UTF-8 (strict, as Python's codec: no surrogates, no overlong forms,
// nothing above U+10FFFF) and has no NUL byte. On failure returns the first problem.
auto validate_utf8(std::string_view bytes) -> std::optional<DecodeError>;

// Decodes a single-byte codec to UTF-8 (appending to `out`); NUL bytes are errors too.
auto decode_single_byte(Codec codec, std::string_view bytes, std::string& out)
    -> std::optional<DecodeError>;

// Encodes UTF-8 text to a single-byte codec; a character the codec lacks becomes '?'.
auto encode_single_byte(Codec codec, std::string_view utf8) -> std::string;

}  // namespace ivyc::source_detail
