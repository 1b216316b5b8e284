// Python's codecs as ivyc decodes source files with them (internal to lib/source): the lookup of a
// codec by name (encodings.aliases, then the module name, normalized as codecs.lookup normalizes
// them) and the table codecs, single-byte and multibyte, generated from Python 3.11 by
// tools/gen_codecs.py into codec_tables.inc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ivyc::source_detail {

struct DecodeError;

enum class CodecKind : uint8_t {
  Utf8,         // strict UTF-8 (utf_8 reached by a name the tokenizer does not take for utf-8)
  Utf8Sig,      // the same, a leading BOM dropped
  Table,        // a table codec: single-byte (charmap, ascii, latin-1) or multibyte (CJK)
  NotText,      // not a text encoding (hex, rot13, ...): CPython always fails, `message` says how
  Fails,        // a text encoding that fails on any source ("undefined", punycode)
  Unsupported,  // Python can decode with it, ivyc cannot (utf-16, utf-7, iso2022, ...)
};

struct CodecEntry {
  std::string_view name;  // codecs.lookup(...).name
  CodecKind kind;
  std::string_view error_name;  // the codec's name in UnicodeDecodeError messages ("charmap")
  // Table: the reason of a decoding error. NotText, Fails: CPython's message, "{}" standing for
  // the declared name.
  std::string_view message;
  int16_t table;  // Table: index in the generated kTables; otherwise -1
};

using CodecId = uint16_t;

// normalize_encoding as codecs.lookup applies it: lower case, runs of characters other than ASCII
// alphanumerics and '.' become one '_', none at either end.
auto normalize_codec_name(std::string_view name) -> std::string;

// The codec Python finds for `name`; nullopt where codecs.lookup raises LookupError.
auto find_codec(std::string_view name) -> std::optional<CodecId>;
auto codec_entry(CodecId id) -> const CodecEntry&;

// Decodes `bytes` with a Table codec, appending UTF-8 to `out`. Returns the first error, as
// Python's codec reports it (offset and length in `bytes`, reason).
auto decode_table(CodecId id, std::string_view bytes, std::string& out) -> std::optional<DecodeError>;

// Encodes UTF-8 text with a Table codec; a character the codec cannot encode becomes '?'.
auto encode_table(CodecId id, std::string_view utf8) -> std::string;

}  // namespace ivyc::source_detail
