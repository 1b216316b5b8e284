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

// encodings.normalize_encoding, lowercased: runs of other characters than alphanumerics and '.'
// become one '_', leading and trailing ones are dropped.
auto python_normalize(std::string_view name) -> std::string {
  std::string out;
  bool punct = false;
  for (char c : name) {
    if (is_ascii_alnum(c) || c == '.') {
      if (punct && !out.empty()) out += '_';
      out += to_lower(c);
      punct = false;
    } else {
      punct = true;
    }
  }
  return out;
}

struct CodecName {
  std::string_view name;
  Codec codec;
};

// Module names and aliases of Python's encodings package for the codecs ivyc decodes.
constexpr CodecName kCodecNames[] = {
    {"utf_8", Codec::Utf8},
    {"utf8", Codec::Utf8},
    {"u8", Codec::Utf8},
    {"utf", Codec::Utf8},
    {"utf8_ucs2", Codec::Utf8},
    {"utf8_ucs4", Codec::Utf8},
    {"cp65001", Codec::Utf8},
    {"utf_8_sig", Codec::Utf8},
    {"ascii", Codec::Ascii},
    {"646", Codec::Ascii},
    {"ansi_x3.4_1968", Codec::Ascii},
    {"ansi_x3_4_1968", Codec::Ascii},
    {"ansi_x3.4_1986", Codec::Ascii},
    {"cp367", Codec::Ascii},
    {"csascii", Codec::Ascii},
    {"ibm367", Codec::Ascii},
    {"iso646_us", Codec::Ascii},
    {"iso_646.irv_1991", Codec::Ascii},
    {"iso_ir_6", Codec::Ascii},
    {"us", Codec::Ascii},
    {"us_ascii", Codec::Ascii},
    {"latin_1", Codec::Latin1},
    {"8859", Codec::Latin1},
    {"cp819", Codec::Latin1},
    {"csisolatin1", Codec::Latin1},
    {"ibm819", Codec::Latin1},
    {"iso8859", Codec::Latin1},
    {"iso8859_1", Codec::Latin1},
    {"iso_8859_1", Codec::Latin1},
    {"iso_8859_1_1987", Codec::Latin1},
    {"iso_ir_100", Codec::Latin1},
    {"l1", Codec::Latin1},
    {"latin", Codec::Latin1},
    {"latin1", Codec::Latin1},
    {"cp1252", Codec::Cp1252},
    {"windows_1252", Codec::Cp1252},
    {"1252", Codec::Cp1252},
    {"iso8859_15", Codec::Latin9},
    {"iso_8859_15", Codec::Latin9},
    {"l9", Codec::Latin9},
    {"latin9", Codec::Latin9},
};

// Python's other codec modules: a declaration naming one is valid Python that ivyc cannot read.
constexpr std::string_view kOtherCodecs =
    " big5 big5hkscs cp037 cp1006 cp1026 cp1125 cp1140 cp1250 cp1251 cp1253 cp1254 cp1255 cp1256"
    " cp1257 cp1258 cp273 cp424 cp437 cp500 cp720 cp737 cp775 cp850 cp852 cp855 cp856 cp857 cp858"
    " cp860 cp861 cp862 cp863 cp864 cp865 cp866 cp869 cp874 cp875 cp932 cp949 cp950 euc_jis_2004"
    " euc_jisx0213 euc_jp euc_kr gb18030 gb2312 gbk hp_roman8 hz iso2022_jp iso2022_jp_1"
    " iso2022_jp_2 iso2022_jp_2004 iso2022_jp_3 iso2022_jp_ext iso2022_kr iso8859_10 iso8859_11"
    " iso8859_13 iso8859_14 iso8859_16 iso8859_2 iso8859_3 iso8859_4 iso8859_5 iso8859_6 iso8859_7"
    " iso8859_8 iso8859_9 johab koi8_r koi8_t koi8_u kz1048 mac_arabic mac_croatian mac_cyrillic"
    " mac_farsi mac_greek mac_iceland mac_latin2 mac_roman mac_romanian mac_turkish ptcp154"
    " shift_jis shift_jis_2004 shift_jisx0213 tis_620 utf_16 utf_16_be utf_16_le utf_32 utf_32_be"
    " utf_32_le utf_7 ";

// CP1252 bytes 0x80..0x9F; 0 where the byte is undefined.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Where ISO-8859-15 differs from Latin-1.
struct ByteChar {
  uint8_t byte;
  char16_t cp;
};
constexpr ByteChar kLatin9Diff[] = {{0xA4, 0x20AC}, {0xA6, 0x0160}, {0xA8, 0x0161},
                                    {0xB4, 0x017D}, {0xB8, 0x017E}, {0xBC, 0x0152},
                                    {0xBD, 0x0153}, {0xBE, 0x0178}};

// The code point of byte b in a single-byte codec; -1 when undefined.
auto single_byte_char(Codec codec, uint8_t b) -> int32_t {
  if (b < 0x80) return b;
  switch (codec) {
    case Codec::Ascii: return -1;
    case Codec::Cp1252:
      if (b < 0xA0) return kCp1252High[b - 0x80] == 0 ? -1 : kCp1252High[b - 0x80];
      return b;
    case Codec::Latin9:
      for (const auto& d : kLatin9Diff) {
        if (d.byte == b) return d.cp;
      }
      return b;
    case Codec::Latin1:
    case Codec::Utf8: return b;
  }
  return b;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

auto utf8_error(std::string_view bytes, size_t pos, size_t len, const char* reason)
    -> DecodeError {
  return DecodeError{DecodeError::Kind::Utf8, static_cast<uint32_t>(pos),
                     static_cast<uint32_t>(len), static_cast<uint8_t>(bytes[pos]), reason};
}

auto null_error(size_t pos) -> DecodeError {
  return DecodeError{DecodeError::Kind::NullByte, static_cast<uint32_t>(pos), 1, 0, ""};
}

// True when the 8 bytes at p are all ASCII and none is NUL.
auto plain_ascii_word(const char* p) -> bool {
  uint64_t w;
  std::memcpy(&w, p, 8);
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  return ((w | ((w - kOnes) & ~w)) & kHighs) == 0;
}

}  // namespace

auto find_coding_declaration(std::string_view bytes) -> std::optional<std::string> {
  size_t pos = 0;
  std::string_view line1 = next_line(bytes, pos);
  if (auto spec = coding_spec(line1)) return spec;
  if (!is_blank_or_comment(line1) || pos >= bytes.size()) return std::nullopt;
  return coding_spec(next_line(bytes, pos));
}

auto lookup_codec(std::string_view name, bool& known) -> std::optional<Codec> {
  std::string norm = python_normalize(name);
  std::string dotless = norm;
  for (char& c : dotless) {
    if (c == '.') c = '_';
  }
  for (const auto& entry : kCodecNames) {
    if (entry.name == norm || entry.name == dotless) {
      known = true;
      return entry.codec;
    }
  }
  // Python's aliases mostly differ from the module names by underscores (iso_8859_5, koi8-r).
  std::string bare;
  for (char c : dotless) {
    if (c != '_') bare += c;
  }
  known = false;
  for (size_t i = 0; !bare.empty() && i < kOtherCodecs.size();) {
    size_t j = kOtherCodecs.find(' ', i);
    if (j == std::string_view::npos) j = kOtherCodecs.size();
    std::string name;
    for (char c : kOtherCodecs.substr(i, j - i)) {
      if (c != '_') name += c;
    }
    if (name == bare) known = true;
    i = j + 1;
  }
  return std::nullopt;
}

auto codec_name(Codec codec) -> std::string_view {
  switch (codec) {
    case Codec::Utf8: return "utf-8";
    case Codec::Ascii: return "ascii";
    case Codec::Latin1: return "latin-1";
    case Codec::Cp1252: return "cp1252";
    case Codec::Latin9: return "iso8859-15";
  }
  return "utf-8";
}

auto validate_utf8(std::string_view bytes) -> std::optional<DecodeError> {
  const char* data = bytes.data();
  size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n && plain_ascii_word(data + i)) {
      i += 8;
      continue;
    }
    auto c = static_cast<uint8_t>(data[i]);
    if (c < 0x80) {
      if (c == 0) {
        return null_error(i);
      }
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

auto decode_single_byte(Codec codec, std::string_view bytes, std::string& out)
    -> std::optional<DecodeError> {
  out.reserve(out.size() + bytes.size() + bytes.size() / 8);
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<uint8_t>(bytes[i]);
    if (b == 0) {
      return null_error(i);
    }
    int32_t cp = single_byte_char(codec, b);
    if (cp < 0) {
      return DecodeError{codec == Codec::Ascii ? DecodeError::Kind::Ascii : DecodeError::Kind::Charmap,
                         static_cast<uint32_t>(i), 1, b, ""};
    }
    append_utf8(out, static_cast<uint32_t>(cp));
  }
  return std::nullopt;
}

auto describe(const DecodeError& e, uint32_t base) -> std::string {
  uint32_t pos = e.offset + base;
  switch (e.kind) {
    case DecodeError::Kind::NullByte: return "source code cannot contain null bytes";
    case DecodeError::Kind::Ascii:
      return fmt::format(
          "'ascii' codec can't decode byte 0x{:02x} in position {}: ordinal not in range(128)",
          e.byte, pos);
    case DecodeError::Kind::Charmap:
      return fmt::format(
          "'charmap' codec can't decode byte 0x{:02x} in position {}: character maps to "
          "<undefined>",
          e.byte, pos);
    case DecodeError::Kind::Utf8:
      if (e.length <= 1) {
        return fmt::format("'utf-8' codec can't decode byte 0x{:02x} in position {}: {}", e.byte,
                           pos, e.reason);
      }
      return fmt::format("'utf-8' codec can't decode bytes in position {}-{}: {}", pos,
                         pos + e.length - 1, e.reason);
  }
  return "";
}

auto encode_single_byte(Codec codec, std::string_view utf8) -> std::string {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<uint8_t>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<uint8_t>(utf8[i + k]) & 0x3F);
    }
    i += len;
    char byte = '?';
    for (uint32_t b = 0x80; b < 0x100; ++b) {
      if (single_byte_char(codec, static_cast<uint8_t>(b)) == static_cast<int32_t>(cp)) {
        byte = static_cast<char>(b);
        break;
      }
    }
    out += byte;
  }
  return out;
}

}  // namespace ivyc::source_detail
