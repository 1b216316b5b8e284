// Emitting: the edited text with its imports settled (framework imports that no longer have a use
// dropped, the target imports that the new code needs added once, in the file's style), checked
// to be valid Python; and the report of a file's findings.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ivyc/ops/tables.h"
#include "ivyc/rewrite/rewrite.h"
#include "ivyc/sema/semantic_model.h"
#include "ivyc/source/source_buffer.h"

namespace ivyc::emit {

struct Output {
  std::string text;   // UTF-8
  std::string error;  // non-empty: the converted text is not valid Python (an ivyc bug), "line:col: message"
};

// `edited` is the rewritten text; `frontend` the source framework whose unused imports are
// dropped; `target` the backend whose imports are added.
// `definitions`: backend definitions to add even where the code does not name them.
auto settle_imports(std::string_view edited, const ops::Tables& tables, std::string_view frontend,
                    std::string_view target, std::span<const std::string> definitions = {}) -> Output;

// The same from the first pass: the original text, its tree and model, and the rewrite's edits
// (sorted, not overlapping). The uses are the Names outside replaced ranges and the identifiers
// of the edits' texts; the imports are settled on the original text and applied with the edits in
// one pass; then what changed is parsed again to check it (the statements around the changes; the
// whole output where that does not apply, or with IVYC_CHECK_WHOLE=1). Where an edit touches an
// import's lines, or the check fails, the second parse above decides (IVYC_SETTLE_SLOW=1: always).
auto settle_imports(const parse::Tree& tree, const sema::SemanticModel& model, std::string_view text,
                    std::span<const rewrite::Edit> edits, const ops::Tables& tables, std::string_view frontend,
                    std::string_view target, std::span<const std::string> definitions = {}) -> Output;

struct FileReport {
  std::string path;
  std::string output_path;
  std::vector<rewrite::Finding> findings;
  const SourceBuffer* source = nullptr;
};

// The --report JSON for a run: per file, each site with its position, API and status, and the
// conversion rate; with totals.
auto report_json(const std::vector<FileReport>& files, std::string_view from, std::string_view to) -> std::string;

}  // namespace ivyc::emit
