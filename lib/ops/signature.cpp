// Parsing the signatures written in the tables: Python parameter lists without annotations.
#include <cctype>

#include "ivyc/ops/tables.h"

namespace ivyc::ops {
namespace {

// Splits at top-level commas (brackets and quotes respected).
auto split_top(std::string_view text) -> std::vector<std::string> {
  std::vector<std::string> parts;
  int depth = 0;
  char quote = 0;
  std::string cur;
  for (char c : text) {
    if (quote) {
      cur += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  parts.push_back(cur);
  return parts;
}

auto trim(std::string_view s) -> std::string_view {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

auto is_identifier(std::string_view s) -> bool {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

}  // namespace

auto parse_signature(std::string_view text, std::string& error) -> std::optional<Signature> {
  Signature sig;
  sig.text = std::string(text);
  if (trim(text).empty()) return sig;
  bool keyword_only = false;
  bool seen_default = false;
  for (const std::string& raw : split_top(text)) {
    std::string_view part = trim(raw);
    if (part == "/") {
      for (auto& p : sig.params) p.kind = ParamKind::PositionalOnly;
      continue;
    }
    if (part == "*") {
      keyword_only = true;
      continue;
    }
    SigParam p;
    if (part.starts_with("**")) {
      p.kind = ParamKind::VarKeyword;
      part.remove_prefix(2);
    } else if (part.starts_with("*")) {
      p.kind = ParamKind::VarPositional;
      part.remove_prefix(1);
      keyword_only = true;
    } else {
      p.kind = keyword_only ? ParamKind::KeywordOnly : ParamKind::PositionalOrKeyword;
    }
    size_t eq = part.find('=');
    std::string_view name = trim(part.substr(0, eq));
    if (eq != std::string_view::npos) {
      p.default_text = std::string(trim(part.substr(eq + 1)));
      if (p.default_text->empty()) {
        error = "empty default for '" + std::string(name) + "'";
        return std::nullopt;
      }
      if (p.kind == ParamKind::PositionalOrKeyword) seen_default = true;
    } else if (p.kind == ParamKind::PositionalOrKeyword && seen_default) {
      error = "parameter '" + std::string(name) + "' without a default follows one with a default";
      return std::nullopt;
    }
    if (!is_identifier(name)) {
      error = "bad parameter '" + std::string(part) + "'";
      return std::nullopt;
    }
    for (const auto& q : sig.params) {
      if (q.name == name) {
        error = "duplicate parameter '" + std::string(name) + "'";
        return std::nullopt;
      }
    }
    p.name = std::string(name);
    sig.params.push_back(std::move(p));
  }
  return sig;
}

}  // namespace ivyc::ops
