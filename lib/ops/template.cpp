// Splitting templates into literal text and placeholders, and finding the names they need bound.
#include <algorithm>
#include <cctype>
#include <set>

#include "ivyc/ops/template.h"

namespace ivyc::ops {
namespace {

auto is_ident_start(char c) -> bool { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
auto is_ident_char(char c) -> bool { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

const std::set<std::string, std::less<>> kBuiltins = {
    "abs", "all", "any", "bool", "complex", "dict", "divmod", "enumerate", "filter", "float",
    "getattr", "hasattr", "int", "isinstance", "len", "list", "map", "max", "min", "pow", "range",
    "reversed", "round", "set", "slice", "sorted", "str", "sum", "tuple", "type", "zip", "None",
    "True", "False", "Ellipsis", "object", "iter", "next", "id", "callable", "print", "bytes"};
const std::set<std::string, std::less<>> kKeywords = {
    "and", "or", "not", "in", "is", "if", "else", "for", "lambda", "None", "True", "False", "await"};

// Whether the last non-space character of `s` leaves the next operand separated (an opening
// bracket, a comma, a keyword `=`, a colon, or nothing).
auto left_safe(std::string_view s) -> bool {
  size_t i = s.size();
  while (i > 0 && s[i - 1] == ' ') --i;
  if (i == 0) return true;
  char c = s[i - 1];
  if (c == '(' || c == '[' || c == ',' || c == '{' || c == ':') return true;
  if (c == '=') return i < 2 || (s[i - 2] != '=' && s[i - 2] != '<' && s[i - 2] != '>' && s[i - 2] != '!');
  return false;
}
auto right_safe(std::string_view s) -> bool {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i == s.size()) return true;
  char c = s[i];
  if (c == ')' || c == ']' || c == ',' || c == '}') return true;
  if (c == ':') return true;
  if (s.substr(i).starts_with("for ") || s.substr(i).starts_with("if ")) return true;
  return false;
}

// Calls fn(word, end) for each identifier of `flat` that starts a name (not an attribute, not
// inside a string literal).
template <class Fn>
void for_each_word(const std::string& flat, Fn fn) {
  for (size_t i = 0; i < flat.size();) {
    char c = flat[i];
    if (c == '\'' || c == '"') {
      size_t j = flat.find(c, i + 1);
      i = j == std::string::npos ? flat.size() : j + 1;
      continue;
    }
    if (!is_ident_start(c) || (i > 0 && (is_ident_char(flat[i - 1]) || flat[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < flat.size() && is_ident_char(flat[j])) ++j;
    fn(flat.substr(i, j - i), j);
    i = j;
  }
}

}  // namespace

auto scan_template(std::string_view text, std::string& error) -> std::optional<TemplateScan> {
  TemplateScan scan;
  std::string literal;
  // First pass: pieces.
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      size_t j = text.find(c, i + 1);
      if (j == std::string_view::npos) {
        error = "unterminated string";
        return std::nullopt;
      }
      literal.append(text.substr(i, j + 1 - i));
      i = j + 1;
      continue;
    }
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      i += 2;
      continue;
    }
    if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal += '}';
      i += 2;
      continue;
    }
    if (c == '{') {
      size_t j = text.find('}', i);
      std::string_view name = text.substr(i + 1, j == std::string_view::npos ? 0 : j - i - 1);
      bool keep = name.ends_with("!");  // `{p!}`: the default where the argument is absent, never removed
      if (keep) name.remove_suffix(1);
      bool splice = name.starts_with("*");  // `{*p}`: packed arguments spliced in, comma separated
      if (splice) name.remove_prefix(1);
      if (j == std::string_view::npos || name.empty() || !is_ident_start(name[0]) ||
          !std::all_of(name.begin(), name.end(), is_ident_char)) {
        error = "bad placeholder at offset " + std::to_string(i) + " (write {{ for a literal brace)";
        return std::nullopt;
      }
      if (!literal.empty()) scan.pieces.push_back({false, literal});
      literal.clear();
      TemplatePiece p;
      p.placeholder = true;
      p.keep = keep;
      p.splice = splice;
      p.text = std::string(name);
      scan.pieces.push_back(p);
      if (std::find(scan.placeholders.begin(), scan.placeholders.end(), p.text) == scan.placeholders.end()) {
        scan.placeholders.push_back(p.text);
      }
      i = j + 1;
      continue;
    }
    if (c == '}') {
      error = "unmatched '}' at offset " + std::to_string(i) + " (write }} for a literal brace)";
      return std::nullopt;
    }
    literal += c;
    ++i;
  }
  if (!literal.empty()) scan.pieces.push_back({false, literal});

  // Placeholder contexts.
  for (size_t k = 0; k < scan.pieces.size(); ++k) {
    TemplatePiece& p = scan.pieces[k];
    if (!p.placeholder) continue;
    std::string before = k > 0 && !scan.pieces[k - 1].placeholder ? scan.pieces[k - 1].text : "";
    std::string after = k + 1 < scan.pieces.size() && !scan.pieces[k + 1].placeholder ? scan.pieces[k + 1].text : "";
    bool before_is_start = k == 0;
    bool after_is_end = k + 1 == scan.pieces.size();
    // keyword: the literal before ends with `ident=` (not ==, <=, ...).
    size_t e = before.size();
    if (e > 0 && before[e - 1] == '=' && (e < 2 || (before[e - 2] != '=' && before[e - 2] != '<' &&
                                                   before[e - 2] != '>' && before[e - 2] != '!'))) {
      size_t s = e - 1;
      while (s > 0 && is_ident_char(before[s - 1])) --s;
      if (s < e - 1 && is_ident_start(before[s])) {
        size_t t = s;
        while (t > 0 && before[t - 1] == ' ') --t;
        if (t > 0 && (before[t - 1] == ',' || before[t - 1] == '(')) p.keyword = true;
      }
    }
    bool lsafe = before_is_start ? true : (k > 0 && scan.pieces[k - 1].placeholder ? false : left_safe(before));
    bool rsafe = after_is_end ? true : (k + 1 < scan.pieces.size() && scan.pieces[k + 1].placeholder ? false : right_safe(after));
    // At the very start or end, the template's own context decides: the rewriter parenthesizes a
    // non-atomic template result, so an operand there is safe.
    p.operand = !(lsafe && rsafe);
  }

  // Roots, names bound inside the template (for/lambda), atomicity.
  std::set<std::string> bound;
  std::string flat;  // placeholders replaced by `_`
  for (const auto& p : scan.pieces) flat += p.placeholder ? std::string("_") : p.text;
  // Names bound in the template: `name := ...`, for targets, lambda parameters.
  for_each_word(flat, [&](const std::string& word, size_t j) {
    size_t k = j;
    while (k < flat.size() && flat[k] == ' ') ++k;
    if (flat.compare(k, 2, ":=") == 0) bound.insert(word);
    if (word != "for" && word != "lambda") return;
    size_t stop = word == "for" ? flat.find(" in ", j) : flat.find(':', j);
    std::string names = flat.substr(j, stop == std::string::npos ? 0 : stop - j);
    for (size_t a = 0; a < names.size();) {
      if (is_ident_start(names[a])) {
        size_t b = a;
        while (b < names.size() && is_ident_char(names[b])) ++b;
        bound.insert(names.substr(a, b - a));
        a = b;
      } else {
        ++a;
      }
    }
  });
  // Roots: names followed by `.` or `(` that nothing in the template binds.
  for_each_word(flat, [&](const std::string& word, size_t j) {
    bool followed = j < flat.size() && (flat[j] == '.' || flat[j] == '(');
    // A keyword argument's name is not a use.
    bool kwname = j < flat.size() && flat[j] == '=' && (j + 1 >= flat.size() || flat[j + 1] != '=');
    if (followed && !kwname && word != "_" && !kBuiltins.count(word) && !kKeywords.count(word) &&
        !bound.count(word) &&
        std::find(scan.roots.begin(), scan.roots.end(), word) == scan.roots.end()) {
      scan.roots.push_back(word);
    }
  });
  // Atomic: at bracket depth 0 only identifier characters, dots and brackets.
  {
    int depth = 0;
    bool atomic = !flat.empty();
    for (size_t i = 0; i < flat.size() && atomic; ++i) {
      char c = flat[i];
      if (c == '\'' || c == '"') {
        size_t j = flat.find(c, i + 1);
        i = j == std::string::npos ? flat.size() : j;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        if (depth == 0 && i == 0 && c != '(') {
          // A display at the start: atomic as a whole if it closes at the end.
        }
        ++depth;
        continue;
      }
      if (c == ')' || c == ']' || c == '}') {
        --depth;
        continue;
      }
      if (depth == 0 && !(is_ident_char(c) || c == '.')) atomic = false;
    }
    scan.atomic = atomic;
  }
  return scan;
}

}  // namespace ivyc::ops
