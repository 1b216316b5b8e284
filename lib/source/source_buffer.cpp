#include "ivyc/source/source_buffer.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "ivyc/base/unicode.h"
#include "codecs.h"
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
  if (body.starts_with("\xEF\xBB\xBF")) {
    buf.has_bom_ = true;
    buf.prefix_ = "\xEF\xBB\xBF";
    body.remove_prefix(3);
  }
  const auto body_offset = static_cast<uint32_t>(buf.prefix_.size());
  auto fail = [&](DiagnosticKind kind, std::string message, uint32_t begin = 0,
                  uint32_t end = 0) -> std::optional<SourceBuffer> {
    diags.push_back({kind, begin, end, std::move(message)});
    return std::nullopt;
  };
  // CPython refuses NUL bytes before it decodes anything (even in comments).
  if (size_t nul = body.find('\0'); nul != std::string_view::npos) {
    auto at = static_cast<uint32_t>(nul) + body_offset;
    return fail(DiagnosticKind::source_null_byte, "source code cannot contain null bytes", at, at + 1);
  }

  std::optional<std::string> declared = find_coding_declaration(body);
  // A BOM says utf-8; a declaration must then agree (CPython: "encoding problem").
  if (declared && buf.has_bom_ && *declared != "utf-8") {
    return fail(DiagnosticKind::source_decode_error,
                fmt::format("encoding problem: {} with BOM", *declared));
  }
  if (!declared || *declared == "utf-8") {
    // Decoded lazily by CPython: undecodable bytes stay, listed.
    buf.text_.assign(body);
    for (size_t at = 0; auto e = next_utf8_error(buf.text_, at);) {
      buf.invalid_utf8_.push_back(InvalidUtf8{e->offset, e->length});
      at = e->offset + e->length;
    }
  } else {
    // Decoded whole by the codec, before tokenizing; errors name the codec's position in the text
    // with its line ends made \n (CPython translates them first).
    auto decode_failure = [&](const DecodeError& e) {
      std::string_view before = body.substr(0, e.offset);
      uint32_t crlf = 0;
      uint32_t line = 1;
      for (size_t i = 0; i < before.size(); ++i) {
        if (before[i] == '\n') {
          ++line;
          if (i > 0 && before[i - 1] == '\r') ++crlf;
        } else if (before[i] == '\r' && (i + 1 >= body.size() || body[i + 1] != '\n')) {
          ++line;
        }
      }
      return fail(DiagnosticKind::source_decode_error,
                  fmt::format("{} (line {})", describe(e, e.offset - crlf), line),
                  e.offset + body_offset, e.offset + body_offset + e.length);
    };
    auto id = find_codec(*declared);
    if (!id) {
      return fail(DiagnosticKind::source_unknown_encoding,
                  fmt::format("unknown encoding: {}", *declared));
    }
    const CodecEntry& codec = codec_entry(*id);
    switch (codec.kind) {
      case CodecKind::Utf8:
      case CodecKind::Utf8Sig:
        if (auto e = next_utf8_error(body)) return decode_failure(*e);
        if (codec.kind == CodecKind::Utf8Sig && body.starts_with("\xEF\xBB\xBF")) {
          buf.prefix_ += "\xEF\xBB\xBF";
          body.remove_prefix(3);
        }
        buf.text_.assign(body);
        break;
      case CodecKind::Table:
        if (auto e = decode_table(*id, body, buf.text_)) return decode_failure(*e);
        buf.codec_ = *id;
        buf.table_codec_ = true;
        break;
      case CodecKind::NotText:
        return fail(DiagnosticKind::source_unknown_encoding,
                    fmt::format(fmt::runtime(codec.message), *declared));
      case CodecKind::Fails:
        return fail(DiagnosticKind::source_decode_error,
                    fmt::format(fmt::runtime(codec.message), *declared));
      case CodecKind::Unsupported:
        return fail(DiagnosticKind::source_unknown_encoding,
                    fmt::format("unsupported encoding: {} (ivyc cannot decode with Python's {} "
                                "codec)",
                                *declared, codec.name));
    }
    buf.encoding_ = std::string(codec.name);
  }
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
  // The file's own text: its own bytes (a codec may decode two sequences to one character).
  if (utf8 == text_) return original_;
  std::string out = prefix_;
  if (table_codec_) {
    out += source_detail::encode_table(codec_, utf8);
  } else {
    out.append(utf8);
  }
  return out;
}

auto describe_invalid_utf8(std::string_view bytes) -> std::optional<std::string> {
  auto e = source_detail::next_utf8_error(bytes);
  if (!e) return std::nullopt;
  return source_detail::describe(*e, e->offset);
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
