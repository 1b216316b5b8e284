// The edits of one file while they are being made: non-overlapping {range, text}; replacing a
// range absorbs the edits inside it (their text is already in the replacement, which was rendered
// from them). Zero-length edits are insertions, kept in the order they were made.
#pragma once

#include <map>
#include <tuple>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivyc/rewrite/rewrite.h"

namespace ivyc::rewrite {

class EditBuffer {
 public:
  explicit EditBuffer(std::string_view text) : text_(text) {}

  // The text of [begin, end) with the edits inside it applied.
  auto render(uint32_t begin, uint32_t end) const -> std::string {
    std::string out;
    uint32_t pos = begin;
    for (auto it = edits_.lower_bound(Key{begin, 0, 0}); it != edits_.end() && std::get<0>(it->first) <= end; ++it) {
      const Edit& e = it->second;
      if (!inside(e, begin, end)) continue;
      out.append(text_.substr(pos, e.begin - pos));
      out += e.text;
      pos = e.end;
    }
    out.append(text_.substr(pos, end - pos));
    return out;
  }

  void replace(uint32_t begin, uint32_t end, std::string text) {
    for (auto it = edits_.lower_bound(Key{begin, 0, 0}); it != edits_.end() && std::get<0>(it->first) <= end;) {
      if (inside(it->second, begin, end)) {
        it = edits_.erase(it);
      } else {
        ++it;
      }
    }
    edits_.emplace(Key{begin, begin == end ? 0 : 1, seq_++}, Edit{begin, end, std::move(text)});
  }

  void insert(uint32_t pos, std::string text) {
    edits_.emplace(Key{pos, 0, seq_++}, Edit{pos, pos, std::move(text)});
  }

  auto list() const -> std::vector<Edit> {
    std::vector<Edit> out;
    for (const auto& [k, e] : edits_) out.push_back(e);
    return out;
  }

 private:
  // An insertion at either end of a range is outside it: at `begin` it belongs to what precedes
  // (a marker line before a statement), at `end` to what follows (a parameter added after the
  // last one, whose annotation may itself be replaced).
  static auto inside(const Edit& e, uint32_t begin, uint32_t end) -> bool {
    if (e.begin == e.end) return begin < e.begin && e.begin < end;
    return begin <= e.begin && e.end <= end;
  }

  std::string_view text_;
  // (begin, 0 for an insertion / 1 for a replacement, order made): insertions first at a position.
  using Key = std::tuple<uint32_t, int, uint32_t>;
  std::map<Key, Edit> edits_;
  uint32_t seq_ = 0;
};

}  // namespace ivyc::rewrite
