// The pipeline for one source text (include/ivyc/api/convert.h).
#include "ivyc/api/convert.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>

#include "ivyc/emit/emit.h"
#include "ivyc/lex/token.h"
#include "ivyc/opmap/opmap.h"
#include "ivyc/parse/first_error.h"
#include "ivyc/parse/parser.h"
#include "ivyc/sema/semantic_model.h"
#include "ivyc/trace/trace.h"

namespace ivyc::api {

const char* const kPhaseNames[kPhases] = {"parse", "sema", "trace", "opmap", "rewrite", "emit"};

auto frameworks() -> std::vector<std::string> { return {"torch", "jax", "numpy", "tensorflow"}; }
auto sources() -> std::vector<std::string> { return {"torch"}; }
auto targets() -> std::vector<std::string> { return {"jax", "numpy", "tensorflow"}; }

auto embedded_tables(std::vector<std::string>* errors) -> std::shared_ptr<const ops::Tables> {
  static std::once_flag once;
  static std::shared_ptr<const ops::Tables> tables;
  static std::vector<std::string> load_errors;
  std::call_once(once, [] {
    auto files = ops::embedded_table_files();
    tables = ops::load_tables(files, load_errors);
  });
  if (errors != nullptr) *errors = load_errors;
  return tables;
}

auto embedded_tables_for(std::string_view target, std::vector<std::string>* errors) -> std::shared_ptr<const ops::Tables> {
  struct Loaded {
    std::shared_ptr<const ops::Tables> tables;
    std::vector<std::string> errors;
  };
  static std::mutex mutex;
  static std::map<std::string, Loaded, std::less<>> by_target;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = by_target.find(target);
  if (it == by_target.end()) {
    // The schema, the canonical ops and the frontends; of the backends, the target's.
    std::vector<ops::TableFile> files;
    auto srcs = sources();
    for (const auto& f : ops::embedded_table_files()) {
      size_t slash = f.path.find('/');
      std::string_view dir = slash == std::string::npos ? std::string_view() : std::string_view(f.path).substr(0, slash);
      bool backend = slash != std::string::npos && dir != "canonical" &&
                     std::find(srcs.begin(), srcs.end(), dir) == srcs.end();
      if (backend && dir != target) continue;
      files.push_back(f);
    }
    Loaded l;
    l.tables = ops::load_tables(files, l.errors);
    it = by_target.emplace(std::string(target), std::move(l)).first;
  }
  if (errors != nullptr) *errors = it->second.errors;
  return it->second.tables;
}

auto status_name(rewrite::Status status) -> std::string_view {
  switch (status) {
    case rewrite::Status::Converted: return "converted";
    case rewrite::Status::Unsupported: return "unsupported";
    case rewrite::Status::Assumed: return "assumed";
  }
  return "converted";
}

namespace {

// CPU time of this thread, so that other load on the machine does not count.
struct PhaseClock {
  static auto now() -> double {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  explicit PhaseClock(double* times) : times_(times), last_(times != nullptr ? now() : 0) {}
  void lap(int phase) {
    if (times_ == nullptr) return;
    double t = now();
    times_[phase] += t - last_;
    last_ = t;
  }
  double* times_;
  double last_;
};

auto contains(const std::vector<std::string>& list, std::string_view name) -> bool {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// Fails `result` with one diagnostic (exit status 2).
void fail(Result& result, const std::string& name, const Diagnostic& d, const SourceBuffer* source) {
  result.exit_status = 2;
  result.output.clear();
  result.messages += render_diagnostic(source, name, d);
  Error e{name, 0, 0, d.message};
  if (source != nullptr) {
    auto lc = source->line_column(std::min<uint32_t>(d.begin, source->text().size()));
    e.line = lc.line;
    e.column = lc.column + 1;
  }
  if (!result.error) result.error = std::move(e);
}

}  // namespace

auto convert(std::string bytes, std::string_view path, std::string_view from, std::string_view to,
             const ops::Tables& tables, double* phase_times, bool details) -> Result {
  Result result;
  std::string name(path);
  auto all = frameworks();
  if (!contains(all, from) || !contains(all, to)) {
    std::string bad(contains(all, from) ? to : from);
    fail(result, name, {DiagnosticKind::convert_internal, 0, 0,
                        "unknown framework '" + bad + "' (known: torch, jax, numpy, tensorflow)"}, nullptr);
    return result;
  }
  if (from != to && !contains(sources(), from)) {
    fail(result, name, {DiagnosticKind::convert_internal, 0, 0,
                        "conversion from " + std::string(from) + " is not supported yet: this version converts from torch"},
         nullptr);
    return result;
  }
  std::vector<Diagnostic> diags;
  PhaseClock clock(phase_times);
  result.source = SourceBuffer::from_bytes(name, std::move(bytes), diags);
  if (!result.source) {
    for (const auto& d : diags) fail(result, name, d, nullptr);
    if (diags.empty()) fail(result, name, {DiagnosticKind::source_unreadable, 0, 0, "cannot decode the input"}, nullptr);
    return result;
  }
  const SourceBuffer& source = *result.source;
  auto tokens = lex::lex(source);
  auto parsed = parse::parse(tokens);
  if (auto error = parse::first_error(tokens, parsed.errors)) {
    fail(result, name, *error, &source);
    return result;
  }
  if (from == to) {
    result.output = std::string(source.original_bytes());  // the same framework: the same bytes
    return result;
  }
  clock.lap(0);
  auto model = sema::analyze(parsed.tree, source);
  clock.lap(1);
  auto tr = trace::trace(parsed.tree, model, tables, from);
  clock.lap(2);
  auto map = opmap::map_ops(parsed.tree, source, model, tr, tables, from);
  clock.lap(3);
  auto rw = rewrite::rewrite(parsed.tree, source, model, tr, map, tables, to);
  clock.lap(4);
  // Nothing edited: nothing to settle, and the input is the output.
  auto emitted = rw.edits.empty() ? emit::Output{std::string(source.text()), ""}
                                  : emit::settle_imports(parsed.tree, model, source.text(), rw.edits, tables, from, to,
                                                         rw.definitions);
  clock.lap(5);
  if (!emitted.error.empty()) {
    if (std::getenv("IVYC_DUMP_INVALID") != nullptr) {
      std::string edited = rewrite::apply_edits(source.text(), rw.edits);
      std::fwrite(edited.data(), 1, edited.size(), stderr);
    }
    fail(result, name,
         {DiagnosticKind::convert_internal, 0, 0,
          "internal error: the converted code is not valid Python (" + emitted.error + "); please report this input"},
         nullptr);
    return result;
  }
  result.output = source.encode(emitted.text);
  int unsupported = 0;
  for (const auto& f : rw.findings) {
    unsupported += f.status == rewrite::Status::Unsupported ? 1 : 0;
    if (!details) continue;
    auto b = source.line_column(f.begin);
    auto e = source.line_column(f.end);
    result.sites.push_back({b.line, b.column + 1, e.line, e.column + 1, f.api, f.status, f.reason});
    if (f.status != rewrite::Status::Unsupported) continue;
    result.messages += render_diagnostic(&source, name,
                                         {DiagnosticKind::convert_unsupported, f.begin, f.end,
                                          f.api + ": " + f.reason + " [unsupported]"});
  }
  result.findings = std::move(rw.findings);
  result.exit_status = unsupported > 0 ? 1 : 0;
  return result;
}

auto report_json(const std::vector<ReportEntry>& entries, std::string_view from, std::string_view to) -> std::string {
  std::vector<emit::FileReport> reports;
  for (const auto& e : entries) {
    if (e.result == nullptr || !e.result->source) continue;
    reports.push_back({e.path, e.output_path, e.result->findings, &*e.result->source});
  }
  return emit::report_json(reports, from, to);
}

}  // namespace ivyc::api
