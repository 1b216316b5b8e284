// The ivyc command line. `ivyc INPUT --from torch --to T` converts (convert.cpp); `ivyc ops` lists
// the tables (ops_command.cpp); `ivyc parse FILE...` runs the front end (source, lex, parse) and prints
// the tree as ast.dump does, the file back from its tokens, or the tokens. For tools:
// `--files-from LIST` reads the paths from a file, `--quiet` parses and prints only errors,
// `--stats` reports the front end's throughput on stderr.
#include <CLI/CLI.hpp>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "convert.h"
#include "read_file.h"
#include "ivyc/lex/token.h"
#include "ivyc/parse/dump.h"
#include "ivyc/parse/first_error.h"
#include "ivyc/parse/parser.h"
#include "ivyc/source/source_buffer.h"

namespace {

using ivyc::driver::read_bytes;

struct ParseCommand {
  std::vector<std::string> files;
  std::string files_from;
  bool dump_ast = false;
  bool include_attributes = false;
  bool roundtrip = false;
  bool tokens = false;
  bool quiet = false;
  bool stats = false;
  std::string python_version = "3.12";
};

// What --stats reports: the bytes and files given to the front end and the time it spent on them
// (decoding the source, lexing, parsing; not reading files, not printing).
struct ParseStats {
  uint64_t files = 0;
  uint64_t failed = 0;
  uint64_t bytes = 0;
  double seconds = 0;
};

void print_diagnostics(const ivyc::SourceBuffer* source, const std::string& name,
                       const std::vector<ivyc::Diagnostic>& diags) {
  for (const auto& d : diags) {
    std::string text = ivyc::render_diagnostic(source, name, d);
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}


// Returns the exit code for one file: 0 parsed, 2 unreadable or not valid Python.
auto run_parse_file(const ParseCommand& cmd, const std::string& path, std::string& out,
                    ParseStats& stats) -> int {
  using Clock = std::chrono::steady_clock;
  std::vector<ivyc::Diagnostic> diags;
  std::string name = path == "-" ? "<stdin>" : path;
  ivyc::parse::ParseOptions options;
  options.version = cmd.python_version == "3.11" ? ivyc::parse::PythonVersion::Py311
                                                 : ivyc::parse::PythonVersion::Py312;
  ++stats.files;

  // The timed part: decode, lex, parse.
  std::optional<ivyc::SourceBuffer> source;
  std::string bytes;
  auto start = Clock::now();
  if (read_bytes(path, bytes)) {
    stats.bytes += bytes.size();
    start = Clock::now();
    source = ivyc::SourceBuffer::from_bytes(name, std::move(bytes), diags);
  } else {
    // SourceBuffer says why the file cannot be read, in its own words (a directory opens but
    // does not read: unreadable all the same).
    source = ivyc::SourceBuffer::from_file(path, diags);
    if (source || diags.empty()) {
      source.reset();
      diags.push_back({ivyc::DiagnosticKind::source_unreadable, 0, 0, "cannot read file"});
    }
  }
  if (!source) {
    stats.seconds += std::chrono::duration<double>(Clock::now() - start).count();
    ++stats.failed;
    print_diagnostics(nullptr, name, diags);
    return 2;
  }
  auto tokens = ivyc::lex::lex(*source);
  auto result = ivyc::parse::parse(tokens, options);
  stats.seconds += std::chrono::duration<double>(Clock::now() - start).count();

  if (cmd.roundtrip && !cmd.quiet) {
    // The file printed back from its tokens: each token preceded by the gap before it.
    std::string text;
    uint32_t at = 0;
    for (const auto& t : tokens.tokens) {
      text.append(source->text().substr(at, t.begin - at));
      text.append(tokens.text(t));
      at = t.end;
    }
    text.append(source->text().substr(at));
    out += source->encode(text);
  }
  if (cmd.tokens && !cmd.quiet) {
    for (const auto& t : tokens.tokens) {
      auto lc = source->line_column(t.begin);
      out += std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " +
             std::string(ivyc::lex::token_kind_name(t.kind)) + " ";
      std::string text(tokens.text(t));
      for (char c : text) {
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else out += c;
      }
      out += "\n";
    }
  }
  // One error, the one CPython 3.11 reports among the lexer's and the parser's.
  if (auto error = ivyc::parse::first_error(tokens, result.errors)) {
    print_diagnostics(&*source, name, {*error});
    ++stats.failed;
    return 2;
  }
  if (cmd.dump_ast && !cmd.quiet) {
    out += ivyc::parse::dump_tree(result.tree, *source, cmd.include_attributes);
    out += "\n";
  }
  return 0;
}

// Appends the paths listed in `list` (one per line; blank lines skipped; "-" reads standard
// input) to `files`; false when the list cannot be read.
auto read_file_list(const std::string& list, std::vector<std::string>& files) -> bool {
  std::ifstream in;
  std::istream* s = &std::cin;
  if (list != "-") {
    in.open(list);
    if (!in) return false;
    s = &in;
  }
  std::string line;
  while (std::getline(*s, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) files.push_back(line);
  }
  return !s->bad();
}

}  // namespace

auto main(int argc, char** argv) -> int {
#if defined(__GLIBC__)
  // Each file's working memory is freed when it is done; keeping it in the heap (rather than
  // handing it back to the kernel and faulting fresh pages in for the next file) halves the time
  // spent in page faults on a directory of files.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
#endif
  // `ivyc parse ...` and `ivyc ops ...` are subcommands; anything else is a conversion.
  std::string first = argc > 1 ? argv[1] : "";
  if (first == "ops") return ivyc::driver::ops_main(argc - 1, argv + 1);
  if (first != "parse") return ivyc::driver::convert_main(argc, argv);
  CLI::App app{"ivyc: converts Python machine-learning code between PyTorch, JAX, TensorFlow and NumPy"};
  app.set_version_flag("--version", std::string("ivyc ") + IVYC_VERSION);
  app.require_subcommand(1);

  ParseCommand parse_cmd;
  auto* parse = app.add_subcommand("parse", "Parse Python files and print their syntax tree");
  parse->add_option("files", parse_cmd.files, "Python files ('-' reads standard input)");
  parse->add_option("--files-from", parse_cmd.files_from,
                    "Also parse the files listed in this file, one path per line ('-': stdin)");
  parse->add_flag("--dump-ast", parse_cmd.dump_ast, "Print the tree as Python 3.11's ast.dump does");
  parse->add_flag("--include-attributes", parse_cmd.include_attributes,
                  "With --dump-ast: include line and column attributes");
  parse->add_flag("--roundtrip", parse_cmd.roundtrip, "Print the file back from its tokens");
  parse->add_flag("--tokens", parse_cmd.tokens, "Print the tokens");
  parse->add_flag("-q,--quiet", parse_cmd.quiet,
                  "Parse only: print nothing but errors (overrides the printing options)");
  parse->add_flag("--stats", parse_cmd.stats,
                  "Print files, bytes, seconds and MB/s of the front end (decode, lex, parse) "
                  "to stderr");
  parse->add_option("--python", parse_cmd.python_version,
                    "Grammar version: 3.12 (default) or 3.11 (rejects newer syntax)")
      ->check(CLI::IsMember({"3.11", "3.12"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  int status = 0;
  if (*parse) {
    if (!parse_cmd.files_from.empty() && !read_file_list(parse_cmd.files_from, parse_cmd.files)) {
      std::fprintf(stderr, "%s: error: cannot read the file list\n", parse_cmd.files_from.c_str());
      return 2;
    }
    if (parse_cmd.files.empty() && parse_cmd.files_from.empty()) {
      std::fprintf(stderr, "ivyc parse: error: no input files (give FILE... or --files-from LIST)\n");
      return 2;
    }
    ParseStats stats;
    for (const auto& file : parse_cmd.files) {
      std::string out;
      int rc = run_parse_file(parse_cmd, file, out, stats);
      std::fwrite(out.data(), 1, out.size(), stdout);
      status = std::max(status, rc);
    }
    if (parse_cmd.stats) {
      double mb_per_s = stats.seconds > 0 ? static_cast<double>(stats.bytes) / 1e6 / stats.seconds : 0;
      std::fprintf(stderr, "ivyc: parsed %llu files, %llu bytes in %.6f s: %.2f MB/s (%llu failed)\n",
                   static_cast<unsigned long long>(stats.files),
                   static_cast<unsigned long long>(stats.bytes), stats.seconds, mb_per_s,
                   static_cast<unsigned long long>(stats.failed));
    }
  }
  return status;
}
