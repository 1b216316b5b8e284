// `ivyc INPUT --from torch --to {jax,numpy,tensorflow} [-o OUT] [--report R] [--check] [-j N]`:
// reads each file and converts it with ivyc::api::convert (include/ivyc/api/convert.h: the phases
// source, lex, parse, sema, trace, opmap, rewrite, emit; the Python extension's call too), files in
// parallel, and writes the outputs only when every input parsed. The output does not depend on
// the number of threads or their order: each file is converted alone and results are kept by path.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "convert.h"
#include "read_file.h"
#include "ivyc/api/convert.h"
#include "tables.h"

namespace ivyc::driver {

namespace fs = std::filesystem;

namespace {

struct Options {
  std::string input;
  std::string from;
  std::string to;
  std::string output;
  std::string report;
  std::string ops_dir;
  bool check = false;
  bool quiet = false;
  int jobs = 0;
};

struct FileJob {
  std::string path;      // as given / found
  std::string rel;       // relative to the input directory ("" for a single file)
  std::string out_path;  // where the output goes ("" for stdout)
  api::Result result;    // the conversion (ivyc/api: the same call as the Python extension's)
  bool failed = false;   // unreadable, unparsable, or an internal error
  double times[api::kPhases] = {};
  uintmax_t size = 0;    // the input's size, to take the large files first
};

void convert_one(FileJob& job, const Options& opt, const ops::Tables& tables) {
  std::string name = job.path == "-" ? "<stdin>" : job.path;
  std::string bytes;
  if (!read_bytes(job.path, bytes)) {  // a directory too
    job.failed = true;
    job.result.exit_status = 2;
    job.result.messages = render_diagnostic(nullptr, name, {DiagnosticKind::source_unreadable, 0, 0, "cannot read file"});
    return;
  }
  job.result = api::convert(std::move(bytes), name, opt.from, opt.to, tables, job.times, /*details=*/!opt.quiet);
  job.failed = job.result.exit_status == 2;
  // Only the report reads the decoded input and the findings' byte ranges: without one they go now
  // rather than stay until every file is converted.
  if (opt.report.empty()) {
    job.result.source.reset();
    job.result.findings = {};
  }
}

auto write_atomically(const std::string& path, const std::string& bytes, std::string& error) -> bool {
  std::error_code ec;
  fs::path p(path);
  auto status = fs::status(p, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    // /dev/stdout, a pipe: written in place (renaming over it would replace the device).
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) error = "cannot write " + path;
    return static_cast<bool>(out);
  }
  // An output that holds these bytes already stays as it is (its time stamp too).
  if (fs::is_regular_file(status)) {
    std::string existing;
    if (fs::file_size(p, ec) == bytes.size() && !ec && read_bytes(path, existing) && existing == bytes) return true;
  }
  if (p.has_parent_path() && !fs::is_directory(p.parent_path(), ec)) fs::create_directories(p.parent_path(), ec);
  std::string tmp = path + ".ivyc-tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    error = "cannot write " + path;
    return false;
  }
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      fs::remove(tmp, ec);
      error = "cannot write " + path;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    fs::remove(tmp, ec);
    error = "cannot write " + path;
    return false;
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    error = "cannot write " + path;
    return false;
  }
  return true;
}

// Calls fn(i) for i in [0, n) on `threads` threads, each taking the next index.
template <class Fn>
void for_each_parallel(size_t n, int threads, Fn fn) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < n;) fn(i);
  };
  if (threads <= 1) {
    worker();
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
}

auto same_file(const std::string& a, const std::string& b) -> bool {
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

}  // namespace

auto convert_main(int argc, char** argv) -> int {
  CLI::App app{"ivyc: converts Python machine-learning code between frameworks.\n"
               "  ivyc INPUT --from torch --to jax|numpy|tensorflow [-o OUT]   convert a file or a directory\n"
               "  ivyc ops [--to T] [--json] [--check]                         the supported APIs\n"
               "  ivyc parse FILE... [--dump-ast]                              the front end alone\n"};
  app.set_version_flag("--version", std::string("ivyc ") + IVYC_VERSION);
  Options opt;
  app.add_option("input", opt.input, "A Python file, a directory of them, or '-' (standard input)")->required();
  app.add_option("--from", opt.from, "The source framework")->required()->check(CLI::IsMember({"torch", "jax", "numpy", "tensorflow"}));
  app.add_option("--to", opt.to, "The target framework")->required()->check(CLI::IsMember({"torch", "jax", "numpy", "tensorflow"}));
  app.add_option("-o,--output", opt.output, "The output file (default, or -: standard output), or directory for a directory INPUT");
  app.add_option("--report", opt.report, "Write a JSON report of every converted and unconverted site");
  app.add_flag("--check", opt.check, "Write nothing; exit 1 and list the outputs that differ from what is in OUT");
  app.add_option("-j,--jobs", opt.jobs, "Files converted in parallel (default: the number of cores)")->check(CLI::Range(1, 256));
  app.add_option("--ops", opt.ops_dir, "Read the op tables from this directory instead of the built-in ones");
  app.add_flag("-q,--quiet", opt.quiet, "Print errors only, not warnings");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (opt.from != "torch" && opt.from != opt.to) {
    std::fprintf(stderr, "ivyc: error: --from %s is not supported yet: this version converts from torch\n", opt.from.c_str());
    return 2;
  }
  using Clock = std::chrono::steady_clock;
  auto t_start = Clock::now();
  auto tables = load_tables_for(opt.ops_dir, opt.to);
  if (!tables) return 2;
  auto t_tables = Clock::now();

  // The jobs.
  std::vector<FileJob> jobs;
  std::error_code ec;
  bool dir_mode = opt.input != "-" && fs::is_directory(opt.input, ec);
  if (dir_mode) {
    if (opt.output.empty()) {
      std::fprintf(stderr, "ivyc: error: a directory input needs -o DIR\n");
      return 2;
    }
    if (fs::exists(opt.output, ec) && !fs::is_directory(opt.output, ec)) {
      std::fprintf(stderr, "ivyc: error: %s is not a directory\n", opt.output.c_str());
      return 2;
    }
    fs::path in = fs::path(opt.input);
    // The output directory, when it exists inside the input, is not an input.
    fs::path out_abs = fs::exists(opt.output, ec) ? fs::path(opt.output) : fs::path();
    for (auto it = fs::recursive_directory_iterator(in, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      // Never descend into the output directory when it lies inside the input.
      if (it->is_directory() && !out_abs.empty() && fs::equivalent(it->path(), out_abs, ec)) {
        it.disable_recursion_pending();
        continue;
      }
      std::string fname = it->path().filename().string();
      if (it->is_directory() && (fname.starts_with(".") || fname == "__pycache__")) {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file() || it->path().extension() != ".py") continue;
      FileJob j;
      j.path = it->path().string();
      j.rel = it->path().lexically_relative(in).generic_string();
      j.out_path = (fs::path(opt.output) / j.rel).string();
      j.size = it->file_size(ec);
      jobs.push_back(std::move(j));
    }
    std::sort(jobs.begin(), jobs.end(), [](const FileJob& a, const FileJob& b) { return a.rel < b.rel; });
  } else {
    FileJob j;
    j.path = opt.input;
    if (opt.output == "-" && !opt.check) opt.output.clear();  // `-o -`: standard output, as without -o
    j.out_path = opt.output;
    if (!opt.output.empty() && fs::is_directory(opt.output, ec)) {
      std::fprintf(stderr, "ivyc: error: %s is a directory; give an output file\n", opt.output.c_str());
      return 2;
    }
    if (!opt.output.empty() && same_file(opt.input, opt.output) && !opt.check) {
      std::fprintf(stderr, "ivyc: error: the output %s is the input; ivyc does not overwrite its input\n", opt.output.c_str());
      return 2;
    }
    jobs.push_back(std::move(j));
  }
  if (opt.check && opt.output.empty()) {
    std::fprintf(stderr, "ivyc: error: --check needs -o OUT (the converted file or directory to compare with)\n");
    return 2;
  }

  auto t_walk = Clock::now();
  // Convert, in parallel.
  int threads = opt.jobs > 0 ? opt.jobs : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<int>(threads, static_cast<int>(jobs.size()));
  // The largest files first, so that no thread is left with a large one at the end; each result
  // stays in its job, in path order.
  std::vector<size_t> order(jobs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return jobs[a].size > jobs[b].size; });
  for_each_parallel(jobs.size(), threads, [&](size_t i) { convert_one(jobs[order[i]], opt, *tables); });

  auto t_convert = Clock::now();
  bool phase_times = std::getenv("IVYC_PHASE_TIMES") != nullptr;
  if (phase_times) {
    double sums[api::kPhases] = {}, total = 0;
    for (const auto& j : jobs) {
      for (int i = 0; i < api::kPhases; ++i) sums[i] += j.times[i];
    }
    for (int i = 0; i < api::kPhases; ++i) {
      std::fprintf(stderr, "ivyc: %-8s %.3f s\n", api::kPhaseNames[i], sums[i]);
      total += sums[i];
    }
    std::fprintf(stderr, "ivyc: %-8s %.3f s\n", "total", total);
  }
  // Messages in path order.
  bool failed = false;
  int unsupported = 0;
  for (const auto& j : jobs) {
    failed = failed || j.failed;
    unsupported += j.result.exit_status == 1 ? 1 : 0;
    const std::string& m = j.result.messages;
    if (!m.empty() && (j.failed || !opt.quiet)) std::fwrite(m.data(), 1, m.size(), stderr);
  }
  if (failed) {
    std::fprintf(stderr, "ivyc: nothing written: %s\n",
                 jobs.size() == 1 ? "the input could not be converted" : "some inputs could not be converted");
    return 2;
  }

  if (opt.check) {
    int stale = 0;
    for (const auto& j : jobs) {
      std::string existing;
      if (!read_bytes(j.out_path, existing) || existing != j.result.output) {
        std::printf("%s: stale (converted output differs from %s)\n", j.path.c_str(), j.out_path.c_str());
        ++stale;
      }
    }
    if (stale == 0) std::fprintf(stderr, "ivyc: %zu file(s) up to date\n", jobs.size());
    return stale ? 1 : 0;
  }

  // Writing, in parallel too (opening files dominates on slow file systems); directories are
  // made once, first.
  std::set<std::string> dirs;
  for (const auto& j : jobs) {
    if (j.out_path.empty()) {
      std::fwrite(j.result.output.data(), 1, j.result.output.size(), stdout);
    } else if (fs::path(j.out_path).has_parent_path()) {
      dirs.insert(fs::path(j.out_path).parent_path().string());
    }
  }
  for (const auto& d : dirs) fs::create_directories(d, ec);
  std::vector<std::string> write_errors(jobs.size());
  for_each_parallel(jobs.size(), threads, [&](size_t i) {
    if (!jobs[i].out_path.empty()) write_atomically(jobs[i].out_path, jobs[i].result.output, write_errors[i]);
  });
  if (phase_times) {
    auto ms = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
    std::fprintf(stderr, "ivyc: wall: tables %.3f s, finding files %.3f s, converting %.3f s, writing %.3f s\n",
                 ms(t_start, t_tables), ms(t_tables, t_walk), ms(t_walk, t_convert), ms(t_convert, Clock::now()));
  }
  for (const auto& e : write_errors) {
    if (!e.empty()) {
      std::fprintf(stderr, "ivyc: error: %s\n", e.c_str());
      return 2;
    }
  }
  if (!opt.report.empty()) {
    std::vector<api::ReportEntry> reports;
    for (const auto& j : jobs) reports.push_back({&j.result, j.path == "-" ? "<stdin>" : j.path, j.out_path});
    std::string err;
    if (!write_atomically(opt.report, api::report_json(reports, opt.from, opt.to), err)) {
      std::fprintf(stderr, "ivyc: error: %s\n", err.c_str());
      return 2;
    }
  }
  return unsupported > 0 ? 1 : 0;
}

}  // namespace ivyc::driver
