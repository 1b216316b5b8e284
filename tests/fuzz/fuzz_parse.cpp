// libFuzzer target for the front end: the input is a file's bytes. It runs what `ivyc parse`
// runs (SourceBuffer::from_bytes, lex, parse for both grammar versions, dump with and without
// attributes) and checks the front end's invariants, so that a crash, a sanitizer report or a
// broken invariant is a finding:
//   - decoding fails only with a diagnostic;
//   - the tokens lie in order inside the text and end with EndOfFile; when the lexer reports no
//     error, what lies between two tokens is only blanks and line continuations (after an error,
//     the bad bytes may lie between tokens);
//   - the file printed back from its tokens and gaps is the input, byte for byte;
//   - every diagnostic and every node range lies inside the text, and a node of a valid file
//     does not end before it begins.
// Build and run: scripts/fuzz.sh [SECONDS].
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ivyc/base/diagnostic.h"
#include "ivyc/lex/token.h"
#include "ivyc/parse/dump.h"
#include "ivyc/parse/first_error.h"
#include "ivyc/parse/parser.h"
#include "ivyc/source/source_buffer.h"

namespace {

[[noreturn]] void fail(const char* what, uint32_t offset) {
  std::fprintf(stderr, "fuzz_parse: invariant broken: %s (at byte %u of the decoded text)\n", what,
               offset);
  std::abort();
}

void expect(bool ok, const char* what, uint32_t offset = 0) {
  if (!ok) fail(what, offset);
}

// Between two tokens: spaces, tabs, form feeds, and backslash-newline continuations.
auto is_gap(std::string_view gap) -> bool {
  for (size_t i = 0; i < gap.size(); ++i) {
    char c = gap[i];
    if (c == ' ' || c == '\t' || c == '\f') continue;
    if (c != '\\' || i + 1 >= gap.size()) return false;
    if (gap[i + 1] == '\n') {
      ++i;
    } else if (gap[i + 1] == '\r') {
      ++i;
      if (i + 1 < gap.size() && gap[i + 1] == '\n') ++i;
    } else {
      return false;
    }
  }
  return true;
}

void check_diagnostics(const std::vector<ivyc::Diagnostic>& diags, size_t size) {
  for (const auto& d : diags) {
    if (d.begin > d.end || d.end > size || d.message.empty()) {
      // Name the culprit before failing.
      std::fprintf(stderr, "fuzz_parse: diagnostic %.*s [%u, %u): %s\n",
                   static_cast<int>(ivyc::diagnostic_kind_name(d.kind).size()),
                   ivyc::diagnostic_kind_name(d.kind).data(), d.begin, d.end, d.message.c_str());
    }
    expect(d.begin <= d.end, "diagnostic ends before it begins", d.begin);
    expect(d.end <= size, "diagnostic ends past the text", d.begin);
    expect(!d.message.empty(), "diagnostic without a message", d.begin);
  }
}

void check_tokens(const ivyc::SourceBuffer& source, const ivyc::lex::TokenizedBuffer& tokens) {
  std::string_view text = source.text();
  auto size = static_cast<uint32_t>(text.size());
  expect(!tokens.tokens.empty(), "no tokens");
  expect(tokens.tokens.back().kind == ivyc::lex::TokenKind::EndOfFile, "last token is not EndOfFile");
  bool clean = tokens.errors.empty();
  std::string printed;
  printed.reserve(text.size());
  uint32_t at = 0;
  for (const auto& t : tokens.tokens) {
    expect(t.begin <= t.end, "token ends before it begins", t.begin);
    expect(t.end <= size, "token ends past the text", t.begin);
    expect(at <= t.begin, "tokens overlap or are out of order", t.begin);
    expect(!clean || is_gap(text.substr(at, t.begin - at)), "text between tokens is not blank", at);
    printed.append(text.substr(at, t.begin - at));
    printed.append(tokens.text(t));
    at = t.end;
  }
  expect(!clean || is_gap(text.substr(at)), "text after the last token is not blank", at);
  printed.append(text.substr(at));
  expect(printed == text, "tokens do not print back the text");
  expect(source.encode(printed) == source.original_bytes(), "round trip changes the bytes");
  check_diagnostics(tokens.errors, size);
}

void check_tree(const ivyc::SourceBuffer& source, const ivyc::parse::ParseResult& result,
                bool clean) {
  auto size = static_cast<uint32_t>(source.text().size());
  const auto& tree = result.tree;
  expect(tree.root != ivyc::parse::kNone && tree.root < tree.size(), "no module node");
  expect(tree.kind(tree.root) == ivyc::parse::NodeKind::Module, "the root is not a Module");
  for (uint32_t id = 0; id < tree.size(); ++id) {
    const auto& n = tree.node(id);
    if (n.begin > size || n.end > size || (clean && n.begin > n.end)) {
      auto name = ivyc::parse::node_kind_info(n.kind).name;
      std::fprintf(stderr, "fuzz_parse: node %u %.*s [%u, %u)\n", id, static_cast<int>(name.size()),
                   name.data(), n.begin, n.end);
    }
    // Nodes made while recovering from an error may have odd ranges, but inside the text.
    expect(!clean || n.begin <= n.end, "node ends before it begins", n.begin);
    expect(n.begin <= size && n.end <= size, "node range past the text", n.begin);
  }
  check_diagnostics(result.errors, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<ivyc::Diagnostic> diags;
  auto source = ivyc::SourceBuffer::from_bytes(
      "<fuzz>", std::string(reinterpret_cast<const char*>(data), size), diags);
  if (!source) {
    expect(!diags.empty(), "decoding failed without a diagnostic");
    return 0;
  }
  auto text_size = source->text().size();
  check_diagnostics(diags, text_size);
  for (bool trivia : {true, false}) {
    ivyc::lex::LexOptions lex_options;
    lex_options.keep_trivia = trivia;
    auto tokens = ivyc::lex::lex(*source, lex_options);
    if (trivia) check_tokens(*source, tokens);
    for (auto version : {ivyc::parse::PythonVersion::Py312, ivyc::parse::PythonVersion::Py311}) {
      if (!trivia && version == ivyc::parse::PythonVersion::Py311) continue;
      ivyc::parse::ParseOptions options;
      options.version = version;
      auto result = ivyc::parse::parse(tokens, options);
      check_tree(*source, result, tokens.errors.empty() && result.errors.empty());
      // The error the driver reports: one whenever the lexer or the parser has any (also some
      // without: bytes that are not UTF-8 inside a string or a name), and well-formed.
      auto reported = ivyc::parse::first_error(tokens, result.errors);
      expect(reported.has_value() || (tokens.errors.empty() && result.errors.empty()),
             "first_error reports nothing though there are errors");
      if (reported) check_diagnostics({*reported}, text_size);
      if (tokens.errors.empty() && result.errors.empty()) {
        auto plain = ivyc::parse::dump_tree(result.tree, *source, false);
        auto full = ivyc::parse::dump_tree(result.tree, *source, true);
        expect(plain.starts_with("Module("), "dump does not start with Module(");
        expect(full.size() >= plain.size(), "dump with attributes is shorter than without");
      }
    }
  }
  return 0;
}
