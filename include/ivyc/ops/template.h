// Backend templates (docs/op_tables.md, "Backend"): Python source with {param} placeholders,
// split into pieces once, so that rendering is a walk.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ivyc::ops {

struct TemplatePiece {
  bool placeholder = false;
  std::string text;  // the literal text, or the parameter's name
  // Placeholders: `name={p}` as a keyword argument (removed with its comma when p is absent).
  bool keyword = false;
  // `{p!}`: an absent argument is written as the canonical default instead of being removed.
  bool keep = false;
  // `{*p}`: p's packed arguments as they were written, comma separated (`*p` when p is one value).
  bool splice = false;
  // Placeholders: an operator is next to it, so a compound argument needs parentheses.
  bool operand = false;
};

struct TemplateScan {
  std::vector<TemplatePiece> pieces;
  std::vector<std::string> placeholders;  // distinct names, in order of first use
  std::vector<std::string> roots;         // identifiers the template needs bound (`jnp`, `tf`)
  // The template, placeholders taken as atoms, is a primary (a name, call, attribute or
  // subscript chain), so it can replace a call anywhere without parentheses.
  bool atomic = false;
};

auto scan_template(std::string_view text, std::string& error) -> std::optional<TemplateScan>;

}  // namespace ivyc::ops
