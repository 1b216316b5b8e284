#include "ivyc/source/source_buffer.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "ivyc/base/unicode.h"
#include "encoding.h"

namespace ivyc {

auto SourceBuffer::from_file(const std::string& path, std::vector<Diagnostic>& diags)
    -> std::optional<SourceBuffer> {
  std::string bytes;
  if (path == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      diags.push_back({DiagnosticKind::source_unreadable, 0, 0, "cannot open file"});
      return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
      diags.push_back({DiagnosticKind::source_unreadable, 0, 0, "cannot read file"});
      return std::nullopt;
    }
    bytes = std::move(ss).str();
  }
  return from_bytes(path == "-" ? "<stdin>" : path, std::move(bytes), diags);
}

auto SourceBuffer::from_bytes(std::string name, std::string bytes, std::vector<Diagnostic>& diags)
    -> std::optional<SourceBuffer> {
  using namespace source_detail;
  SourceBuffer buf;
  buf.name_ = std::move(name);
  std::string_view body = bytes;
  uint32_t body_offset = 0;
  if (body.starts_with("\xEF\xBB\xBF")) {
    buf.has_bom_ = true;
    body.remove_prefix(3);
    body_offset = 3;
  }
  auto fail = [&](DiagnosticKind kind, std::string message, uint32_t begin = 0,
                  uint32_t end = 0) -> std::optional<SourceBuffer> {
    diags.push_back({kind, begin, end, std::move(message)});
    return std::nullopt;
  };
  // The line (1-based) of a byte offset in the body, for messages about undecodable bytes.
  auto line_of = [&](uint32_t offset) {
    uint32_t line = 1;
    for (uint32_t i = 0; i < offset && i < body.size(); ++i) {
      if (body[i] == '\n' || (body[i] == '\r' && (i + 1 >= body.size() || body[i + 1] != '\n'))) {
        ++line;
      }
    }
    return line;
  };

  Codec codec = Codec::Utf8;
  if (auto declared = find_coding_declaration(body)) {
    // A BOM says utf-8; a declaration must then agree (CPython: "encoding problem").
    if (buf.has_bom_ && *declared != "utf-8") {
      return fail(DiagnosticKind::source_decode_error,
                  fmt::format("encoding problem: {} with BOM", *declared));
    }
    bool known = false;
    auto found = lookup_codec(*declared, known);
    if (!found) {
      return fail(DiagnosticKind::source_unknown_encoding,
                  known ? fmt::format("unsupported encoding: {} (ivyc reads utf-8, latin-1, "
                                      "ascii, cp1252 and iso-8859-15)",
                                      *declared)
                        : fmt::format("unknown encoding: {}", *declared));
    }
    codec = *found;
  }

  std::optional<DecodeError> error;
  if (codec == Codec::Utf8) {
    error = validate_utf8(body);
    if (!error) buf.text_.assign(body);
  } else {
    error = decode_single_byte(codec, body, buf.text_);
  }
  if (error) {
    uint32_t at = error->offset + body_offset;
    if (error->kind == DecodeError::Kind::NullByte) {
      return fail(DiagnosticKind::source_null_byte, describe(*error, body_offset), at, at + 1);
    }
    // Positions count from the start of the file, as Python's codec counts them.
    return fail(codec == Codec::Utf8 ? DiagnosticKind::source_invalid_utf8
                                     : DiagnosticKind::source_decode_error,
                fmt::format("(unicode error) {} (line {})", describe(*error, body_offset),
                            line_of(error->offset)),
                at, at + error->length);
  }
  buf.encoding_ = std::string(codec_name(codec));
  buf.original_ = std::move(bytes);

  buf.line_starts_.push_back(0);
  const std::string& t = buf.text_;
  const auto size = static_cast<uint32_t>(t.size());
  for (uint32_t i = 0; i < size; ++i) {
    char c = t[i];
    if (c == '\n') {
      buf.line_starts_.push_back(i + 1);
    } else if (c == '\r') {
      if (i + 1 < size && t[i + 1] == '\n') ++i;
      buf.line_starts_.push_back(i + 1);
    }
  }
  return buf;
}

auto SourceBuffer::line_text(uint32_t line) const -> std::string_view {
  uint32_t b = line_starts_[line - 1];
  uint32_t e = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  while (e > b && (text_[e - 1] == '\n' || text_[e - 1] == '\r')) --e;
  return std::string_view(text_).substr(b, e - b);
}

auto SourceBuffer::line_column(uint32_t offset) const -> LineColumn {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<uint32_t>(it - line_starts_.begin());
  return LineColumn{line, offset - line_starts_[line - 1]};
}

auto SourceBuffer::encode(std::string_view utf8) const -> std::string {
  using namespace source_detail;
  bool known = false;
  auto codec = lookup_codec(encoding_, known);
  if (codec && *codec != Codec::Utf8) return encode_single_byte(*codec, utf8);
  std::string out = has_bom_ ? "\xEF\xBB\xBF" : "";
  out.append(utf8);
  return out;
}

auto render_diagnostic(const SourceBuffer* source, const std::string& file_name,
                       const Diagnostic& diag) -> std::string {
  const char* severity = "error";
  switch (diagnostic_kind_severity(diag.kind)) {
    case Severity::Note: severity = "note"; break;
    case Severity::Warning: severity = "warning"; break;
    case Severity::Error: severity = "error"; break;
  }
  if (source == nullptr) return fmt::format("{}: {}: {}\n", file_name, severity, diag.message);
  auto lc = source->line_column(std::min<uint32_t>(diag.begin, source->text().size()));
  std::string_view line = source->line_text(lc.line);
  // Column in characters, 1-based; the caret line keeps tabs so it lines up.
  std::string caret;
  uint32_t chars = 0;
  for (size_t pos = 0; pos < lc.column && pos < line.size();) {
    caret += line[pos] == '\t' ? '\t' : ' ';
    unicode::decode_utf8(line, pos);
    ++chars;
  }
  caret += '^';
  return fmt::format("{}:{}:{}: {}: {}\n{}\n{}\n", file_name, lc.line, chars + 1, severity,
                     diag.message, line, caret);
}

}  // namespace ivyc
