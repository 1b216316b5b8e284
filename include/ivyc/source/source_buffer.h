// A source file as the front end sees it: its name, its text decoded to UTF-8 (as CPython 3.11's
// ast.parse decodes bytes: BOM, PEP 263 coding declaration with any of Python's codecs, default
// UTF-8) and a line table. Offsets everywhere in ivyc are byte offsets into `text()`; CPython's
// col_offset is counted in the same UTF-8 bytes.
//
// Without a declaration (or with one that CPython takes for utf-8) CPython does not decode the
// file up front: bytes that are not UTF-8 are an error only where a token needs them decoded (a
// name, a string), never in a comment. SourceBuffer does the same: it keeps such bytes in `text()`
// as they are and lists them in `invalid_utf8()`; the front end decides which are errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ivyc/base/diagnostic.h"

namespace ivyc {

// Bytes of `text()` that are not UTF-8: where, how many (as Python's codec counts them, 1 to 3).
struct InvalidUtf8 {
  uint32_t begin;
  uint32_t length;
};

struct LineColumn {
  uint32_t line;    // 1-based, as CPython's lineno
  uint32_t column;  // 0-based UTF-8 byte offset in the line, as CPython's col_offset
};

class SourceBuffer {
 public:
  // Decodes `bytes` (a whole file). On failure returns nullopt and appends the error to `diags`.
  static auto from_bytes(std::string name, std::string bytes, std::vector<Diagnostic>& diags)
      -> std::optional<SourceBuffer>;
  // Reads a file; "-" reads standard input.
  static auto from_file(const std::string& path, std::vector<Diagnostic>& diags)
      -> std::optional<SourceBuffer>;

  auto name() const -> const std::string& { return name_; }
  // The decoded text, UTF-8, BOM removed. Line ends as in the file (\n, \r\n or \r).
  auto text() const -> std::string_view { return text_; }
  // The bytes as read, for a lossless round trip of files not in UTF-8.
  auto original_bytes() const -> std::string_view { return original_; }
  // The encoding: "utf-8", or the declared codec's name as codecs.lookup(...).name gives it
  // ("iso8859-1", "koi8-r", "euc_kr", ...).
  auto encoding() const -> const std::string& { return encoding_; }
  auto has_bom() const -> bool { return has_bom_; }
  // Undecodable bytes left in text() (UTF-8 files only), in order.
  auto invalid_utf8() const -> const std::vector<InvalidUtf8>& { return invalid_utf8_; }

  auto line_count() const -> uint32_t { return static_cast<uint32_t>(line_starts_.size()); }
  // Byte offset where 1-based `line` starts.
  auto line_start(uint32_t line) const -> uint32_t { return line_starts_[line - 1]; }
  // The text of 1-based `line` without its line end.
  auto line_text(uint32_t line) const -> std::string_view;
  auto line_column(uint32_t offset) const -> LineColumn;

  // Encodes UTF-8 text back to this file's encoding (for --roundtrip of non-UTF-8 files): the
  // file's own bytes for its own text; otherwise a character the codec lacks becomes '?'.
  auto encode(std::string_view utf8) const -> std::string;

 private:
  std::string name_;
  std::string original_;
  std::string text_;
  std::string encoding_ = "utf-8";
  std::string prefix_;  // bytes before text() in the file: a BOM, or a codec's signature
  uint16_t codec_ = 0;  // the declared table codec (when encoding_ is not utf-8)
  bool table_codec_ = false;
  bool has_bom_ = false;
  std::vector<InvalidUtf8> invalid_utf8_;
  std::vector<uint32_t> line_starts_;
};

// Python's words for the first bytes of `bytes` that are not UTF-8, as decoding exactly these bytes
// reports them ("'utf-8' codec can't decode byte 0xff in position 1: invalid start byte").
auto describe_invalid_utf8(std::string_view bytes) -> std::optional<std::string>;

// Renders `file:line:col: severity: message`, the source line and a caret (col is 1-based, in
// characters), as compilers print it.
auto render_diagnostic(const SourceBuffer* source, const std::string& file_name,
                       const Diagnostic& diag) -> std::string;

}  // namespace ivyc
