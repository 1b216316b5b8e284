// The ivyc command line. `ivyc parse FILE...` runs the front end (source, lex, parse) and prints
// the tree as ast.dump does, the file back from its tokens, or the tokens.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "ivyc/lex/token.h"
#include "ivyc/parse/dump.h"
#include "ivyc/parse/parser.h"
#include "ivyc/source/source_buffer.h"

namespace {

struct ParseCommand {
  std::vector<std::string> files;
  bool dump_ast = false;
  bool include_attributes = false;
  bool roundtrip = false;
  bool tokens = false;
  std::string python_version = "3.12";
};

void print_diagnostics(const ivyc::SourceBuffer* source, const std::string& name,
                       const std::vector<ivyc::Diagnostic>& diags) {
  for (const auto& d : diags) {
    std::string text = ivyc::render_diagnostic(source, name, d);
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}

// Returns the exit code for one file: 0 parsed, 2 unreadable or not valid Python.
auto run_parse_file(const ParseCommand& cmd, const std::string& path, std::string& out) -> int {
  std::vector<ivyc::Diagnostic> diags;
  auto source = ivyc::SourceBuffer::from_file(path, diags);
  std::string name = path == "-" ? "<stdin>" : path;
  if (!source) {
    print_diagnostics(nullptr, name, diags);
    return 2;
  }
  auto tokens = ivyc::lex::lex(*source);
  if (cmd.roundtrip) {
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
  if (cmd.tokens) {
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
  ivyc::parse::ParseOptions options;
  options.version = cmd.python_version == "3.11" ? ivyc::parse::PythonVersion::Py311
                                                 : ivyc::parse::PythonVersion::Py312;
  auto result = ivyc::parse::parse(tokens, options);
  // The earliest error first: lexer and parser errors merged by position.
  std::vector<ivyc::Diagnostic> errors = tokens.errors;
  errors.insert(errors.end(), result.errors.begin(), result.errors.end());
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(),
                     [](const auto& a, const auto& b) { return a.begin < b.begin; });
    errors.resize(1);
    print_diagnostics(&*source, name, errors);
    return 2;
  }
  if (cmd.dump_ast) {
    out += ivyc::parse::dump_tree(result.tree, *source, cmd.include_attributes);
    out += "\n";
  }
  return 0;
}

}  // namespace

auto main(int argc, char** argv) -> int {
  CLI::App app{"ivyc: converts Python machine-learning code between PyTorch, JAX, TensorFlow and NumPy"};
  app.set_version_flag("--version", std::string("ivyc ") + IVYC_VERSION);
  app.require_subcommand(1);

  ParseCommand parse_cmd;
  auto* parse = app.add_subcommand("parse", "Parse Python files and print their syntax tree");
  parse->add_option("files", parse_cmd.files, "Python files ('-' reads standard input)")->required();
  parse->add_flag("--dump-ast", parse_cmd.dump_ast, "Print the tree as Python 3.11's ast.dump does");
  parse->add_flag("--include-attributes", parse_cmd.include_attributes,
                  "With --dump-ast: include line and column attributes");
  parse->add_flag("--roundtrip", parse_cmd.roundtrip, "Print the file back from its tokens");
  parse->add_flag("--tokens", parse_cmd.tokens, "Print the tokens");
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
    for (const auto& file : parse_cmd.files) {
      std::string out;
      int rc = run_parse_file(parse_cmd, file, out);
      std::fwrite(out.data(), 1, out.size(), stdout);
      status = std::max(status, rc);
    }
  }
  return status;
}
