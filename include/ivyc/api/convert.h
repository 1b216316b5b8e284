// In-process conversion of one source text: the whole pipeline (source, lex, parse, sema, trace,
// opmap, rewrite, emit) behind one call, used by the command line for each file
// (tools/driver/convert.cpp) and by the Python extension (python/ivyc/_engine.cpp), so that both
// are the same code path. It reads and writes no files; it is safe to call from several threads
// at once with the same tables.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ivyc/ops/tables.h"
#include "ivyc/rewrite/rewrite.h"
#include "ivyc/source/source_buffer.h"

namespace ivyc::api {

// The frameworks ivyc knows, and which of them it converts from and to today.
auto frameworks() -> std::vector<std::string>;  // torch, jax, numpy, tensorflow
auto sources() -> std::vector<std::string>;     // torch
auto targets() -> std::vector<std::string>;     // jax, numpy, tensorflow (and the source itself)

// The tables built into this binary, loaded and validated once per process (the first call;
// thread-safe). Null when they are invalid, with the loader's messages in `errors` (every call).
auto embedded_tables(std::vector<std::string>* errors = nullptr) -> std::shared_ptr<const ops::Tables>;
// The same with one backend only (`target`, a framework of targets()), with the canonical ops and
// the frontends: what a conversion to it reads, in about half the time. Loaded once per process
// and target. The source framework itself (`torch`) as target: no backend.
auto embedded_tables_for(std::string_view target, std::vector<std::string>* errors = nullptr)
    -> std::shared_ptr<const ops::Tables>;

// One site of the conversion, located in the input (lines 1-based, columns 1-based in UTF-8
// bytes of the line, as the --report JSON gives them).
struct Site {
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  std::string api;
  rewrite::Status status = rewrite::Status::Converted;
  std::string reason;  // why it is unsupported, or the note of an assumed tensor
};

auto status_name(rewrite::Status status) -> std::string_view;  // converted, unsupported, assumed

// The error that stopped a conversion (exit status 2): where, and the message alone. Line and
// column are 0 when the error has no position (an unreadable input, an internal error).
struct Error {
  std::string path;
  uint32_t line = 0;
  uint32_t column = 0;  // 1-based
  std::string message;
};

struct Result {
  // What the command line would exit with for this input alone: 0 everything converted, 1 some
  // sites unsupported (the output is still complete), 2 the input could not be converted
  // (`output` is empty and `error` says why).
  int exit_status = 0;
  std::string output;    // the converted file, encoded as the input was
  std::string messages;  // the diagnostics as the command line prints them (file:line:col: ...)
  std::optional<Error> error;
  std::vector<Site> sites;                 // in source order
  std::vector<rewrite::Finding> findings;  // the same, as byte ranges of `source`
  std::optional<SourceBuffer> source;      // the decoded input (absent when it could not be decoded)
};

// CPU seconds per phase (parse, sema, trace, opmap, rewrite, emit), for IVYC_PHASE_TIMES.
constexpr int kPhases = 6;
extern const char* const kPhaseNames[kPhases];

// Converts `bytes` (a whole Python file) from framework `from` to `to`. `path` names the input in
// messages and errors only. `phase_times`, when given, gets each phase's CPU seconds added.
// An unknown or unsupported framework is an error (exit status 2), as is an input that cannot be
// decoded or parsed.
// `details` false: `messages` gets errors only, not the warnings of unsupported sites, and `sites`
// stays empty (the command line with -q: what it would not print is not made).
auto convert(std::string bytes, std::string_view path, std::string_view from, std::string_view to,
             const ops::Tables& tables, double* phase_times = nullptr, bool details = true) -> Result;

// The --report JSON of one or more results, under the paths (and output paths) given.
struct ReportEntry {
  const Result* result = nullptr;
  std::string path;
  std::string output_path;
};
auto report_json(const std::vector<ReportEntry>& entries, std::string_view from, std::string_view to) -> std::string;

}  // namespace ivyc::api
