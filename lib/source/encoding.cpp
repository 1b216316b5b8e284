#include "encoding.h"

#include <array>
#include <cstring>

#include <fmt/format.h>

namespace ivyc::source_detail {
namespace {

auto is_ascii_alnum(char c) -> bool {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

auto to_lower(char c) -> char { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// CPython's get_normal_name: its spelling of utf-8 and latin-1 in messages.
auto normal_name(std::string_view name) -> std::string {
  std::string head;
  for (size_t i = 0; i < name.size() && i < 12; ++i) head += name[i] == '_' ? '-' : to_lower(name[i]);
  if (head == "utf-8" || head.starts_with("utf-8-")) return "utf-8";
  if (head == "latin-1" || head == "iso-8859-1" || head == "iso-latin-1" ||
      head.starts_with("latin-1-") || head.starts_with("iso-8859-1-") ||
      head.starts_with("iso-latin-1-")) {
    return "iso-8859-1";
  }
  return std::string(name);
}

// CPython's get_coding_spec on one line (without its line end): the line must be a comment.
auto coding_spec(std::string_view line) -> std::optional<std::string> {
  // "coding" must fit inside the line: the positions searched are those before len - 5.
  size_t i = 0;
  for (; i + 6 <= line.size(); ++i) {
    if (line[i] == '#') break;
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\f') return std::nullopt;
  }
  for (; i + 6 <= line.size(); ++i) {
    if (line.compare(i, 6, "coding") != 0) continue;
    size_t t = i + 6;
    if (t >= line.size() || (line[t] != ':' && line[t] != '=')) continue;
    do {
      ++t;
    } while (t < line.size() && (line[t] == ' ' || line[t] == '\t'));
    size_t begin = t;
    while (t < line.size() &&
           (is_ascii_alnum(line[t]) || line[t] == '-' || line[t] == '_' || line[t] == '.')) {
      ++t;
    }
    if (begin < t) return normal_name(line.substr(begin, t - begin));
  }
  return std::nullopt;
}

// Only spaces, tabs and form feeds before a comment or the line end.
auto is_blank_or_comment(std::string_view line) -> bool {
  for (char c : line) {
    if (c == '#') return true;
    if (c != ' ' && c != '\t' && c != '\f') return false;
  }
  return true;
}

// The next line of `text` from `pos` without its line end (\n, \r\n or \r); advances pos.
auto next_line(std::string_view text, size_t& pos) -> std::string_view {
  size_t begin = pos;
  while (pos < text.size() && text[pos] != '\n' && text[pos] != '\r') ++pos;
  std::string_view line = text.substr(begin, pos - begin);
  if (pos < text.size()) {
    if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
    ++pos;
  }
  return line;
}

auto utf8_error(std::string_view bytes, size_t pos, size_t len, std::string_view reason)
    -> DecodeError {
  return DecodeError{static_cast<uint32_t>(pos), static_cast<uint32_t>(len),
                     static_cast<uint8_t>(bytes[pos]), "utf-8", reason};
}

// True when the 8 bytes at p are all ASCII.
auto plain_ascii_word(const char* p) -> bool {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return (w & 0x8080808080808080ULL) == 0;
}

}  // namespace

auto find_coding_declaration(std::string_view bytes) -> std::optional<std::string> {
  size_t pos = 0;
  std::string_view line1 = next_line(bytes, pos);
  if (auto spec = coding_spec(line1)) return spec;
  if (!is_blank_or_comment(line1) || pos >= bytes.size()) return std::nullopt;
  return coding_spec(next_line(bytes, pos));
}

auto next_utf8_error(std::string_view bytes, size_t from) -> std::optional<DecodeError> {
  const char* data = bytes.data();
  size_t n = bytes.size();
  size_t i = from;
  while (i < n) {
    if (i + 8 <= n && plain_ascii_word(data + i)) {
      i += 8;
      continue;
    }
    auto c = static_cast<uint8_t>(data[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c < 0xC2) return utf8_error(bytes, i, 1, "invalid start byte");
    if (c < 0xE0) {
      need = 1;
    } else if (c < 0xF0) {
      need = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c < 0xF5) {
      need = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return utf8_error(bytes, i, 1, "invalid start byte");
    }
    for (size_t k = 1; k <= need; ++k) {
      if (i + k >= n) return utf8_error(bytes, i, k, "unexpected end of data");
      auto b = static_cast<uint8_t>(data[i + k]);
      bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
      if (!ok) return utf8_error(bytes, i, k, "invalid continuation byte");
    }
    i += need + 1;
  }
  return std::nullopt;
}

auto describe(const DecodeError& e, uint32_t position) -> std::string {
  if (e.length <= 1) {
    return fmt::format("'{}' codec can't decode byte 0x{:02x} in position {}: {}", e.codec, e.byte,
                       position, e.reason);
  }
  return fmt::format("'{}' codec can't decode bytes in position {}-{}: {}", e.codec, position,
                     position + e.length - 1, e.reason);
}

}  // namespace ivyc::source_detail
