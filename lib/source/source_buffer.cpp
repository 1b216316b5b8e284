#include "ivyc/source/source_buffer.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "ivyc/base/unicode.h"

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
  SourceBuffer buf;
  buf.name_ = std::move(name);
  buf.original_ = bytes;
  std::string_view text = bytes;
  if (text.starts_with("\xEF\xBB\xBF")) {
    buf.has_bom_ = true;
    text.remove_prefix(3);
  }
  // TODO(lexer): PEP 263 coding declarations, UTF-8 validation, NUL bytes.
  buf.text_.assign(text);
  buf.line_starts_.push_back(0);
  const std::string& t = buf.text_;
  for (uint32_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\n') {
      buf.line_starts_.push_back(i + 1);
    } else if (t[i] == '\r') {
      if (i + 1 < t.size() && t[i + 1] == '\n') ++i;
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
