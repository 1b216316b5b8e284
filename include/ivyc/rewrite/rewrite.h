// Rewriting: the mapped sites and the structural rules (in-place updates, grad modes, PRNG keys)
// become an EditSet on the original buffer: {range, text} pairs that never overlap. What is not
// edited stays byte-identical. Imports are settled afterwards, on the edited text (emit).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "ivyc/opmap/opmap.h"

namespace ivyc::rewrite {

struct Edit {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string text;
};

enum class Status : uint8_t {
  Converted,
  Unsupported,
  Assumed,  // converted, taking a receiver of unknown kind for a tensor
};

struct Finding {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string api;
  Status status = Status::Converted;
  std::string reason;
};

struct Result {
  std::vector<Edit> edits;  // sorted, non-overlapping
  std::vector<Finding> findings;  // in source order
  std::vector<std::string> definitions;  // backend definitions the output gets even unnamed (load_torch_weights)
};

auto rewrite(const parse::Tree& tree, const SourceBuffer& source, const sema::SemanticModel& model,
             const trace::Trace& trace, const opmap::OpMap& map, const ops::Tables& tables,
             std::string_view target) -> Result;

// Applies sorted, non-overlapping edits to `text`.
auto apply_edits(std::string_view text, std::span<const Edit> edits) -> std::string;

}  // namespace ivyc::rewrite
