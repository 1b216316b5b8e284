#include "codecs.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "encoding.h"
#include "ivyc/base/unicode.h"

namespace ivyc::source_detail {
namespace {

struct CodecName {
  std::string_view key;
  CodecId codec;
};

struct ByteRange {
  uint8_t lo;
  uint8_t hi;
};

struct TableEntry {
  const char* stream;
  size_t stream_size;
  uint32_t flat_size;  // 256: single bytes only; 65536: two-byte sequences too
  uint8_t box_prefix;  // the long box: how many leading bytes select it (0: no box)
  uint8_t box_length;  // its sequence length
  ByteRange box[4];
  bool makeup;  // euc_kr's make-up sequences
};

#include "codec_tables.inc"

// Values of the tables above 0x10FFFF (see tools/gen_codecs.py).
constexpr uint32_t kPairBase = 0x110000;
constexpr uint32_t kLeadValue = 0x120000;
constexpr uint32_t kLongValue = 0x120001;
constexpr uint32_t kMakeupValue = 0x120002;
constexpr uint32_t kIllegal = 0xFFFFFFFF;
constexpr uint32_t kBoxBase = 0x10000;

constexpr size_t kCodecCount = std::size(kCodecEntries);
constexpr size_t kTableCount = std::size(kTables);

// A run of box indices whose values rise by one.
struct Run {
  uint32_t index;
  uint32_t length;
  uint32_t value;
};

// A table codec as decoding and encoding use it, built from its stream on first use.
struct Table {
  std::vector<uint32_t> flat;  // value of each index below flat_size; kIllegal where none
  std::vector<Run> box;        // sorted by index
  // For encoding: code point -> the first index that decodes to it; box runs sorted by value.
  std::unordered_map<char32_t, uint32_t> encode;
  std::vector<Run> box_by_value;
};

constexpr auto base64_values() -> std::array<int8_t, 256> {
  std::array<int8_t, 256> v{};
  for (auto& x : v) x = -1;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kAlphabet.size(); ++i) v[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return v;
}
constexpr auto kBase64 = base64_values();

class StreamReader {
 public:
  explicit StreamReader(std::string_view s) : s_(s) {}
  auto done() const -> bool { return pos_ >= s_.size(); }
  auto number() -> uint64_t {
    uint64_t n = 0;
    int shift = 0;
    for (;;) {
      int v = kBase64[static_cast<uint8_t>(s_[pos_++])];
      n |= static_cast<uint64_t>(v & 31) << shift;
      shift += 5;
      if ((v & 32) == 0) return n;
    }
  }
  auto delta() -> int64_t {
    uint64_t z = number();
    return (z & 1) != 0 ? -static_cast<int64_t>((z + 1) / 2) : static_cast<int64_t>(z / 2);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

auto build_table(const TableEntry& entry) -> std::unique_ptr<Table> {
  auto t = std::make_unique<Table>();
  t->flat.assign(entry.flat_size, kIllegal);
  auto put = [&](uint32_t index, uint32_t value) {
    if (index < kBoxBase) {
      t->flat[index] = value;
      return;
    }
    uint32_t box_index = index - kBoxBase;
    if (!t->box.empty()) {
      Run& last = t->box.back();
      if (last.index + last.length == box_index && last.value + last.length == value) {
        ++last.length;
        return;
      }
    }
    t->box.push_back(Run{box_index, 1, value});
  };
  StreamReader in(std::string_view(entry.stream, entry.stream_size));
  uint32_t index = 0;
  int64_t value = 0;
  while (!in.done()) {
    index += static_cast<uint32_t>(in.number());
    uint64_t header = in.number();
    auto count = static_cast<uint32_t>(header / 2);
    if ((header & 1) != 0) {
      value += in.delta();
      for (uint32_t k = 0; k < count; ++k) put(index + k, static_cast<uint32_t>(value + k));
      value += count - 1;
    } else {
      for (uint32_t k = 0; k < count; ++k) {
        value += in.delta();
        put(index + k, static_cast<uint32_t>(value));
      }
    }
    index += count;
  }
  // Encoding: the first index of each code point (single bytes before two-byte sequences).
  for (uint32_t i = 0; i < t->flat.size(); ++i) {
    uint32_t v = t->flat[i];
    if (v < kPairBase) t->encode.emplace(static_cast<char32_t>(v), i);
  }
  t->box_by_value = t->box;
  std::stable_sort(t->box_by_value.begin(), t->box_by_value.end(),
                   [](const Run& a, const Run& b) { return a.value < b.value; });
  return t;
}

auto table_of(CodecId id) -> const Table& {
  static std::array<std::unique_ptr<Table>, kTableCount> tables;
  static std::array<std::once_flag, kTableCount> once;
  auto index = static_cast<size_t>(kCodecEntries[id].table);
  std::call_once(once[index], [&] { tables[index] = build_table(kTables[index]); });
  return *tables[index];
}

auto box_value(const Table& t, uint32_t box_index) -> uint32_t {
  auto it = std::upper_bound(t.box.begin(), t.box.end(), box_index,
                             [](uint32_t i, const Run& r) { return i < r.index; });
  if (it == t.box.begin()) return kIllegal;
  --it;
  if (box_index >= it->index + it->length) return kIllegal;
  return it->value + (box_index - it->index);
}

void append_value(std::string& out, uint32_t v) {
  if (v >= kPairBase) {
    unicode::append_utf8(out, kPairs[v - kPairBase][0]);
    unicode::append_utf8(out, kPairs[v - kPairBase][1]);
    return;
  }
  unicode::append_utf8(out, static_cast<char32_t>(v));
}

}  // namespace

auto normalize_codec_name(std::string_view name) -> std::string {
  std::string out;
  bool punct = false;
  for (char c : name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '.') {
      if (punct && !out.empty()) out += '_';
      out += c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      punct = false;
    } else {
      punct = true;
    }
  }
  return out;
}

auto find_codec(std::string_view name) -> std::optional<CodecId> {
  auto find = [](const auto& table, std::string_view key) -> std::optional<CodecId> {
    auto it = std::lower_bound(std::begin(table), std::end(table), key,
                               [](const CodecName& e, std::string_view k) { return e.key < k; });
    if (it != std::end(table) && it->key == key) return it->codec;
    return std::nullopt;
  };
  // encodings.search_function: an alias of the name (or of it with '.' as '_'), else the name
  // itself as a module of the encodings package.
  std::string norm = normalize_codec_name(name);
  if (auto hit = find(kCodecAliases, norm)) return hit;
  std::string dotless = norm;
  std::replace(dotless.begin(), dotless.end(), '.', '_');
  if (auto hit = find(kCodecAliases, dotless)) return hit;
  if (norm.find('.') == std::string::npos) return find(kCodecModules, norm);
  return std::nullopt;
}

auto codec_entry(CodecId id) -> const CodecEntry& { return kCodecEntries[id]; }

auto decode_table(CodecId id, std::string_view bytes, std::string& out) -> std::optional<DecodeError> {
  const CodecEntry& codec = kCodecEntries[id];
  const TableEntry& entry = kTables[static_cast<size_t>(codec.table)];
  const Table& t = table_of(id);
  const auto n = bytes.size();
  auto byte = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  auto error = [&](size_t at, size_t length, std::string_view reason) {
    return DecodeError{static_cast<uint32_t>(at), static_cast<uint32_t>(length), byte(at),
                       codec.error_name, reason};
  };
  auto illegal = [&](size_t at) { return error(at, 1, codec.message); };
  auto incomplete = [&](size_t at) { return error(at, n - at, "incomplete multibyte sequence"); };
  out.reserve(out.size() + n + n / 2);
  for (size_t i = 0; i < n;) {
    uint8_t b = byte(i);
    if (b < 0x80 && t.flat[b] == b) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    uint32_t v = t.flat[b];
    size_t prefix = 1;
    if (v == kLeadValue) {
      if (i + 1 >= n) return incomplete(i);
      v = t.flat.size() > 256 ? t.flat[(uint32_t{b} << 8) | byte(i + 1)] : kIllegal;
      prefix = 2;
    }
    if (v == kIllegal) return illegal(i);
    if (v == kMakeupValue) {
      if (i + 8 > n) return incomplete(i);
      int cho = kMakeup[0][byte(i + 3)];
      int jung = kMakeup[1][byte(i + 5)];
      int jong = kMakeup[2][byte(i + 7)];
      if (byte(i + 2) != 0xA4 || byte(i + 4) != 0xA4 || byte(i + 6) != 0xA4 || cho < 0 ||
          jung < 0 || jong < 0) {
        return illegal(i);
      }
      unicode::append_utf8(out, static_cast<char32_t>(0xAC00 + (cho * 21 + jung) * 28 + jong));
      i += 8;
      continue;
    }
    if (v == kLongValue) {
      size_t len = entry.box_length;
      if (i + len > n) return incomplete(i);
      uint32_t index = 0;
      for (size_t k = 0; k < len; ++k) {
        uint8_t c = byte(i + k);
        if (c < entry.box[k].lo || c > entry.box[k].hi) return illegal(i);
        index = index * (entry.box[k].hi - entry.box[k].lo + 1) + (c - entry.box[k].lo);
      }
      v = box_value(t, index);
      if (v == kIllegal) return illegal(i);
      append_value(out, v);
      i += len;
      continue;
    }
    append_value(out, v);
    i += prefix;
  }
  return std::nullopt;
}

auto encode_table(CodecId id, std::string_view utf8) -> std::string {
  const TableEntry& entry = kTables[static_cast<size_t>(kCodecEntries[id].table)];
  const Table& t = table_of(id);
  std::string out;
  out.reserve(utf8.size());
  for (size_t pos = 0; pos < utf8.size();) {
    char32_t cp = unicode::decode_utf8(utf8, pos);
    if (auto it = t.encode.find(cp); it != t.encode.end()) {
      uint32_t index = it->second;
      if (index >= 0x100) out += static_cast<char>(index >> 8);
      out += static_cast<char>(index & 0xFF);
      continue;
    }
    auto run = std::upper_bound(t.box_by_value.begin(), t.box_by_value.end(), static_cast<uint32_t>(cp),
                                [](uint32_t v, const Run& r) { return v < r.value; });
    if (run != t.box_by_value.begin() && cp < std::prev(run)->value + std::prev(run)->length) {
      --run;
      uint32_t index = run->index + (static_cast<uint32_t>(cp) - run->value);
      char seq[4];
      for (size_t k = entry.box_length; k-- > 0;) {
        uint32_t size = entry.box[k].hi - entry.box[k].lo + 1u;
        seq[k] = static_cast<char>(entry.box[k].lo + index % size);
        index /= size;
      }
      out.append(seq, entry.box_length);
      continue;
    }
    out += '?';
  }
  return out;
}

}  // namespace ivyc::source_detail
