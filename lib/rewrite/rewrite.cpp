// The rewriter: renders each mapped site through the target's templates, runs the structural
// rules, and collects findings for the report.
#include <algorithm>

#include "rewriter.h"

namespace ivyc::rewrite {

using opmap::ArgKind;
using opmap::CanonArg;
using opmap::Site;
using opmap::SiteKind;

Rewriter::Rewriter(const parse::Tree& tree, const SourceBuffer& source, const sema::SemanticModel& model,
                   const trace::Trace& trace, const opmap::OpMap& map, const ops::Tables& tables, std::string_view target)
    : tree_(tree), source_(source), model_(model), trace_(trace), map_(map), tables_(tables),
      backend_(tables.backend(target)), target_(target),
      newline_(source.text().find("\r\n") != std::string_view::npos ? "\r\n" : "\n"), edits_(source.text()) {}

auto Rewriter::is_atomic(NodeId n) const -> bool { return parse::is_atom(tree_, n, source_text(n)); }

// A name, attribute chain, number or string, or a tuple or list of them: evaluating it twice costs
// nothing and changes nothing.
auto Rewriter::is_cheap(NodeId n) const -> bool {
  switch (tree_.kind(n)) {
    case NodeKind::Name:
    case NodeKind::Constant:
      return true;
    case NodeKind::Attribute:
      return is_cheap(tree_.slot(n, FIELD(Attribute, "value")));
    case NodeKind::UnaryOp:
      return tree_.kind(tree_.slot(n, FIELD(UnaryOp, "operand"))) == NodeKind::Constant;
    case NodeKind::Tuple:
    case NodeKind::List:
      for (NodeId e : tree_.list(tree_.slot(n, tree_.kind(n) == NodeKind::Tuple ? FIELD(Tuple, "elts") : FIELD(List, "elts")))) {
        if (!is_cheap(e)) return false;
      }
      return true;
    default:
      return false;
  }
}

// A primary (name, call, attribute, subscript, display) by its text: at bracket depth 0 only
// identifier characters, dots and string literals.
auto text_is_atomic(std::string_view t) -> bool {
  if (t.empty() || t.starts_with("lambda") || t.starts_with("not ") || t.starts_with("await ")) return false;
  int depth = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\'' || c == '"') {
      size_t j = t.find(c, i + 1);
      if (j == std::string_view::npos) return false;
      i = j;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (depth == 0 && !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) {
      return false;
    }
  }
  return depth == 0;
}

auto Rewriter::statement_of(NodeId n) const -> NodeId {
  while (n != kNone && parse::node_kind_info(tree_.kind(n)).category != parse::NodeCategory::Stmt) n = trace_.parent(n);
  return n;
}

auto Rewriter::line_start(uint32_t offset) const -> uint32_t {
  std::string_view t = source_.text();
  while (offset > 0 && t[offset - 1] != '\n' && t[offset - 1] != '\r') --offset;
  return offset;
}

auto Rewriter::indent_of(NodeId stmt, std::string& indent) const -> bool {
  uint32_t b = tree_.node(stmt).begin;
  uint32_t ls = line_start(b);
  indent = std::string(source_.text().substr(ls, b - ls));
  return std::all_of(indent.begin(), indent.end(), [](char c) { return c == ' ' || c == '\t' || c == '\f'; });
}

auto Rewriter::fresh_name(std::string_view base) -> std::string {
  if (used_names_.empty()) {  // every name of the file, collected on first need
    for (sema::ScopeId s = 0; s < model_.scopes().size(); ++s) {
      for (sema::SymbolId sym : model_.symbols_of(s)) used_names_.insert(std::string(model_.text(model_.symbol(sym).name)));
    }
    used_names_.insert("");
  }
  // Names only ever become used: the search for a base goes on from where it stopped last.
  int& i = fresh_next_[std::string(base)];
  for (;; ++i) {
    std::string name = i == 0 ? std::string(base) : std::string(base) + std::to_string(i);
    if (!used_names_.count(name)) {
      used_names_.insert(name);
      return name;
    }
  }
}

void Rewriter::report(NodeId node, const std::string& api, Status status, const std::string& reason) {
  findings_.push_back({tree_.node(node).begin, tree_.node(node).end, api, status, reason});
}

void Rewriter::mark_unsupported(NodeId node, const std::string& api, const std::string& reason) {
  report(node, api, Status::Unsupported, reason);
  NodeId stmt = statement_of(node);
  if (stmt == kNone) return;
  std::string indent;
  uint32_t ls = line_start(tree_.node(stmt).begin);
  std::string_view line = source_.text().substr(ls);
  size_t w = 0;
  while (w < line.size() && (line[w] == ' ' || line[w] == '\t')) ++w;
  indent = std::string(line.substr(0, w));
  edits_.insert(ls, indent + "# ivyc: unsupported: " + reason + newline_);
}

namespace {

auto is_simple_text(std::string_view t) -> bool {
  // A name, an attribute chain or a number (evaluating it twice costs nothing and changes nothing).
  if (t.starts_with("-") && t.size() > 1 && std::isdigit(static_cast<unsigned char>(t[1]))) t.remove_prefix(1);
  if (t.empty()) return false;
  for (char c : t) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  }
  return true;
}

}  // namespace

auto Rewriter::render_op(const std::string& op_name, const std::vector<CanonArg>& args, NodeId site_node,
                         std::string& out, std::string& reason, NodeId key_node) -> bool {
  if (key_node == kNone) key_node = site_node;
  const ops::CanonicalOp* op = tables_.op(op_name);
  if (op == nullptr) {
    reason = "unknown op " + op_name;
    return false;
  }
  auto it = backend_->ops.find(op_name);
  if (it == backend_->ops.end()) {
    reason = "no " + target_ + " mapping for " + op_name;
    return false;
  }
  const ops::Variant* chosen = choose_variant(*op, it->second, args);
  if (chosen == nullptr) {
    reason = "no " + target_ + " variant of " + op_name + " fits these arguments";
    return false;
  }
  if (!chosen->unsupported.empty()) {
    reason = chosen->unsupported;
    return false;
  }
  const ops::TemplateScan* scan = chosen->scan.get();
  if (scan == nullptr) {
    reason = "bad template for " + op_name;
    return false;
  }
  // A definition the output would add under a name the file binds itself: not silently shadowed.
  for (const auto& r : scan->roots) {
    if (!backend_->definitions.count(r)) continue;
    sema::SymbolId sym = model_.find_symbol(model_.module_scope(), r);
    if (sym != kNone && !model_.bindings_of(model_.symbol(sym).target == kNone ? sym : model_.symbol(sym).target).empty()) {
      reason = "the " + target_ + " form of " + op_name + " is a class named " + r + ", which this file defines itself: rename the file's " + r;
      return false;
    }
  }
  // Argument texts.
  std::map<std::string, std::string> texts;
  std::map<std::string, bool> atomic;
  std::map<std::string, bool> absent;
  std::map<std::string, bool> cheap;  // a literal or name: repeated as it is
  std::map<std::string, bool> genexp;
  for (const auto& name : scan->placeholders) {
    if (name == "rngs") {
      texts[name] = rngs_text(site_node == kNone ? key_node : site_node);
      atomic[name] = true;
      absent[name] = false;
      continue;
    }
    if (name == "key") {
      auto k = key_text_.find(key_node);
      if (k == key_text_.end()) {
        reason = op_name + " needs a PRNG key here, which cannot be threaded (a random op outside a function, or in a lambda or comprehension)";
        return false;
      }
      texts[name] = k->second;
      atomic[name] = true;
      absent[name] = false;
      continue;
    }
    int i = op->param_index(name);
    const CanonArg& a = args[i];
    absent[name] = a.kind == ArgKind::Absent;
    switch (a.kind) {
      case ArgKind::Absent:
        texts[name] = op->params[i].default_text.value_or("None");
        atomic[name] = !texts[name].starts_with("-");
        break;
      case ArgKind::Text:
        texts[name] = constant_text(a.text);
        atomic[name] = is_simple_text(a.text) || (a.text.starts_with("(") && a.text.ends_with(")"));
        break;
      case ArgKind::Node:
        texts[name] = unwrap(text(a.node), a.node);
        // Converted text (`lambda x: ...` for `F.relu`) is judged as text.
        atomic[name] = texts[name] == source_text(a.node) ? is_atomic(a.node) : text_is_atomic(texts[name]);
        cheap[name] = is_cheap(a.node) && texts[name] == source_text(a.node);
        genexp[name] = tree_.kind(a.node) == NodeKind::GeneratorExp;
        break;
      case ArgKind::Pack: {
        if (a.pack.size() == 1 && tree_.kind(a.pack[0]) == NodeKind::Starred) {
          // `f(*xs)` packed: the sequence itself, as a tuple.
          texts[name] = "tuple(" + text(tree_.slot(a.pack[0], FIELD(Starred, "value"))) + ")";
          atomic[name] = true;
          break;
        }
        std::string t = "(";
        for (size_t k = 0; k < a.pack.size(); ++k) t += (k ? ", " : "") + text(a.pack[k]);
        t += a.pack.size() == 1 ? ",)" : ")";
        texts[name] = t;
        atomic[name] = true;
        break;
      }
    }
  }
  // Uses per placeholder (keyword placeholders of absent arguments are dropped).
  std::map<std::string, int> uses;
  for (const auto& p : scan->pieces) {
    if (p.placeholder && !p.splice && !(p.keyword && !p.keep && absent[p.text])) ++uses[p.text];
  }
  std::map<std::string, std::string> temp;
  // Where the template evaluates conditionally or out of textual order (`a if c else b`, `and`,
  // `or`, lambda and comprehension bodies), a repeated argument cannot be bound by `:=` at its
  // first use: it becomes a parameter of a lambda applied to it.
  bool order_unsafe = false;
  {
    std::string flat;
    for (const auto& p : scan->pieces) flat += p.placeholder ? std::string("_") : " " + p.text + " ";
    for (std::string_view kw : {" if ", " and ", " or ", "lambda ", " for "}) order_unsafe = order_unsafe || flat.find(kw) != std::string::npos;
  }
  // `:=` is a syntax error in a comprehension's iterable: bind by a lambda there too.
  for (NodeId n = key_node, child = kNone; n != kNone && !order_unsafe; child = n, n = trace_.parent(n)) {
    if (tree_.kind(n) == NodeKind::comprehension && child != kNone && tree_.slot(n, FIELD(comprehension, "iter")) == child) {
      order_unsafe = true;
    }
  }
  std::vector<std::pair<std::string, std::string>> lambda_args;
  std::string result;
  bool skip_comma = false;
  for (const auto& p : scan->pieces) {
    if (!p.placeholder) {
      std::string_view lit = p.text;
      if (skip_comma) {
        size_t i = 0;
        while (i < lit.size() && lit[i] == ' ') ++i;
        if (i < lit.size() && lit[i] == ',') {
          ++i;
          while (i < lit.size() && lit[i] == ' ') ++i;
          lit.remove_prefix(i);
        }
        skip_comma = false;
      }
      result += lit;
      continue;
    }
    if (p.keyword && !p.keep && absent[p.text]) {
      // Remove `name=` and the comma before it; after `(`, the comma after it.
      size_t e = result.size();
      size_t s = e;
      while (s > 0 && result[s - 1] != ',' && result[s - 1] != '(') --s;
      if (s > 0 && result[s - 1] == ',') {
        result.erase(s - 1);
      } else {
        result.erase(s);
        skip_comma = true;
      }
      continue;
    }
    if (p.splice) {
      const CanonArg& a = args[op->param_index(p.text)];
      if (a.kind == ArgKind::Pack) {
        for (size_t i = 0; i < a.pack.size(); ++i) result += (i ? ", " : "") + text(a.pack[i]);
      } else if (a.kind == ArgKind::Node) {
        result += "*" + operand(a.node);
      } else if (a.kind == ArgKind::Text) {
        result += "*" + a.text;
      }
      continue;
    }
    std::string t = texts[p.text];
    bool at = atomic[p.text];
    // A generator expression that is a call's only argument keeps the call's parentheses as its own
    // (`f(x for x in y)`): inside the template's call it needs no second pair.
    if (size_t k = static_cast<size_t>(&p - scan->pieces.data()); genexp[p.text] && result.ends_with("(") &&
        k + 1 < scan->pieces.size() && !scan->pieces[k + 1].placeholder && scan->pieces[k + 1].text.starts_with(")") &&
        t.starts_with("(") && t.ends_with(")")) {
      t = t.substr(1, t.size() - 2);
      at = true;
    }
    if (uses[p.text] > 1 && !is_simple_text(t) && !cheap[p.text] && p.text != "key") {
      auto tm = temp.find(p.text);
      if (tm == temp.end()) {
        std::string name = fresh_name("_" + p.text);
        temp[p.text] = name;
        if (order_unsafe) {
          lambda_args.push_back({name, t});
          t = name;
        } else {
          t = "(" + name + " := " + t + ")";
        }
        at = true;
      } else {
        t = tm->second;
        at = true;
      }
    }
    if (p.operand && !at) t = "(" + t + ")";
    result += t;
  }
  bool result_atomic = scan->atomic;
  if (!lambda_args.empty()) {
    std::string names, values;
    for (size_t i = 0; i < lambda_args.size(); ++i) {
      names += (i ? ", " : "") + lambda_args[i].first;
      values += (i ? ", " : "") + lambda_args[i].second;
    }
    result = "(lambda " + names + ": " + result + ")(" + values + ")";
    result_atomic = true;
  }
  // The result in the site's context.
  if (scan->pieces.size() == 1 && scan->pieces[0].placeholder) result_atomic = atomic[scan->pieces[0].text];
  if (!result_atomic && site_node != kNone) {
    NodeId parent = trace_.parent(site_node);
    bool safe = false;
    if (parent != kNone) {
      switch (tree_.kind(parent)) {
        case NodeKind::Expr:
        case NodeKind::Assign:
        case NodeKind::AugAssign:
        case NodeKind::AnnAssign:
        case NodeKind::Return:
        case NodeKind::keyword:
        case NodeKind::List:
        case NodeKind::Set:
        case NodeKind::Dict:
        case NodeKind::FormattedValue:
        case NodeKind::NamedExpr:
        case NodeKind::Tuple:
          safe = true;
          break;
        case NodeKind::Call:
          safe = tree_.slot(parent, FIELD(Call, "func")) != site_node;
          break;
        case NodeKind::Subscript:
          safe = tree_.slot(parent, FIELD(Subscript, "slice")) == site_node;
          break;
        default:
          break;
      }
    }
    // Already in parentheses in the source.
    std::string_view src = source_.text();
    uint32_t b = tree_.node(site_node).begin, e = tree_.node(site_node).end;
    while (b > 0 && (src[b - 1] == ' ')) --b;
    while (e < src.size() && src[e] == ' ') ++e;
    if (b > 0 && src[b - 1] == '(' && e < src.size() && src[e] == ')') safe = true;
    if (!safe) result = "(" + result + ")";
  }
  out = std::move(result);
  return true;
}

// The elements of a parenthesized tuple display "(a, b)" at top level; empty when it is not one.
auto split_tuple_display(std::string_view t) -> std::vector<std::string> {
  std::vector<std::string> parts;
  if (t.size() < 2 || t.front() != '(' || t.back() != ')') return parts;
  int depth = 0;
  size_t start = 1;
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    char c = t[i];
    if (c == '\'' || c == '"') {
      size_t j = t.find(c, i + 1);
      if (j == std::string_view::npos) return {};
      i = j;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth < 0) return {};
    }
    if (c == ',' && depth == 0) {
      parts.emplace_back(t.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0 || parts.empty()) return {};
  parts.emplace_back(t.substr(start, t.size() - 1 - start));
  for (auto& p : parts) {
    while (!p.empty() && p.front() == ' ') p.erase(0, 1);
    while (!p.empty() && p.back() == ' ') p.pop_back();
  }
  if (!parts.empty() && parts.back().empty()) parts.pop_back();
  return parts;
}

// `act = torch.relu`: the target's function where the template is a plain call of the required
// parameters, else a lambda of them.
// Whether an expression stands for a type: an annotation, or what isinstance/issubclass test against.
auto Rewriter::in_type_position(NodeId n) const -> bool {
  NodeId p = trace_.parent(n);
  while (p != kNone && tree_.kind(p) == NodeKind::Tuple) {
    n = p;
    p = trace_.parent(p);
  }
  if (p == kNone) return false;
  switch (tree_.kind(p)) {
    case NodeKind::arg: return tree_.slot(p, FIELD(arg, "annotation")) == n;
    case NodeKind::FunctionDef:
    case NodeKind::AsyncFunctionDef: return tree_.slot(p, FIELD(FunctionDef, "returns")) == n;
    case NodeKind::AnnAssign: return tree_.slot(p, FIELD(AnnAssign, "annotation")) == n;
    case NodeKind::Call: {
      NodeId f = tree_.slot(p, FIELD(Call, "func"));
      auto args = tree_.list(tree_.slot(p, FIELD(Call, "args")));
      if (tree_.kind(f) != NodeKind::Name || args.size() != 2 || args[1] != n) return false;
      std::string_view name = tree_.string(tree_.slot(f, FIELD(Name, "id")));
      return (name == "isinstance" || name == "issubclass") && model_.resolve(f).kind == sema::NameKind::Builtin;
    }
    default: return false;
  }
}

auto Rewriter::render_reference(const Site& site, std::string& out, std::string& reason) -> bool {
  const ops::CanonicalOp* op = tables_.op(site.op);
  if (op == nullptr || site.entry == nullptr || site.entry->sigs.empty()) {
    reason = "no mapping for " + site.api + " used as a value";
    return false;
  }
  if (op->returns == ops::ReturnKind::Layer || in_type_position(site.node)) {
    // A layer class as a value (`isinstance(m, nn.Linear)`, `-> nn.Sequential`): the target's class,
    // the callee of its template where that is a plain dotted name.
    auto it = backend_->ops.find(site.op);
    if (it != backend_->ops.end()) {
      std::string t = it->second.back().template_text;
      size_t paren = t.find('(');
      std::string callee = paren == std::string::npos ? "" : t.substr(0, paren);
      bool same = true;
      for (const auto& v : it->second) same = same && v.template_text.substr(0, v.template_text.find('(')) == callee;
      if (!callee.empty() && same && is_simple_text(callee) && !std::isdigit(static_cast<unsigned char>(callee[0]))) {
        out = callee;
        return true;
      }
    }
    reason = "the " + target_ + " form of " + site.api + " is not a class";
    if (op->returns == ops::ReturnKind::Layer) return false;
  }
  const ops::Signature& sig = site.entry->sigs[0];
  std::vector<CanonArg> args(op->params.size());
  std::vector<std::string> names;
  for (const auto& p : sig.params) {
    if (p.kind == ops::ParamKind::VarPositional || p.kind == ops::ParamKind::VarKeyword) {
      reason = site.api + " used as a value takes *args, which a converted reference cannot forward";
      return false;
    }
    if (p.default_text) continue;
    auto m = site.entry->args.find(p.name);
    if (m == site.entry->args.end()) continue;
    int i = op->param_index(m->second.to);
    if (i < 0) continue;
    args[i].kind = ArgKind::Text;
    args[i].text = p.name;
    names.push_back(p.name);
  }
  for (const auto& [k, v] : site.entry->set) {
    int i = op->param_index(k);
    if (i >= 0) {
      args[i].kind = ArgKind::Text;
      args[i].text = v;
    }
  }
  std::string body;
  if (!render_op(site.op, args, kNone, body, reason)) return false;
  std::string call_args;
  for (size_t i = 0; i < names.size(); ++i) call_args += (i ? ", " : "") + names[i];
  if (body == call_args && names.size() == 1 && decorated_def(site.node) != kNone) {
    // An identity decorator (`@torch.jit.script`): the decorator goes.
    if (remove_decorator(site.node)) {
      out = "";
      return true;
    }
  }
  size_t paren = body.find('(');
  if (paren != std::string::npos && body.substr(paren) == "(" + call_args + ")" &&
      is_simple_text(body.substr(0, paren))) {
    out = body.substr(0, paren);
  } else {
    out = "(lambda " + call_args + ": " + body + ")";
    NodeId parent = trace_.parent(site.node);
    if (parent != kNone && (tree_.kind(parent) == NodeKind::Assign || tree_.kind(parent) == NodeKind::keyword)) {
      out = "lambda " + call_args + ": " + body;
    }
  }
  return true;
}

// Comments inside a replaced call that are not inside an argument (whose text is kept) would be
// lost: they move, verbatim, to lines of their own before the statement.
void Rewriter::keep_comments(const Site& site) {
  const auto& n = tree_.node(site.node);
  std::string_view src = source_.text();
  if (src.substr(n.begin, n.end - n.begin).find('#') == std::string_view::npos) return;
  if (string_ranges_.empty()) {
    // The file's string literals, sorted and merged (an f-string holds its parts), once.
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    for (NodeId id = 0; id < tree_.size(); ++id) {
      NodeKind k = tree_.kind(id);
      if (k == NodeKind::Constant || k == NodeKind::JoinedStr) ranges.push_back({tree_.node(id).begin, tree_.node(id).end});
    }
    std::sort(ranges.begin(), ranges.end());
    for (const auto& r : ranges) {
      if (!string_ranges_.empty() && r.first < string_ranges_.back().second) {
        string_ranges_.back().second = std::max(string_ranges_.back().second, r.second);
      } else {
        string_ranges_.push_back(r);
      }
    }
    string_ranges_.push_back({UINT32_MAX, UINT32_MAX});
  }
  auto in_string = [&](uint32_t i) {
    auto it = std::upper_bound(string_ranges_.begin(), string_ranges_.end(), std::make_pair(i, UINT32_MAX));
    return it != string_ranges_.begin() && i < std::prev(it)->second;
  };
  std::vector<std::pair<uint32_t, uint32_t>> kept;
  auto keep = [&](NodeId a) {
    if (a != kNone) kept.push_back({tree_.node(a).begin, tree_.node(a).end});
  };
  keep(site.receiver);
  for (const auto& a : site.args) {
    keep(a.kind == ArgKind::Node ? a.node : kNone);
    for (NodeId p : a.pack) keep(p);
  }
  std::vector<std::string> lost;
  for (uint32_t i = n.begin; i < n.end; ++i) {
    if (src[i] != '#' || in_string(i)) continue;
    uint32_t e = i;
    while (e < src.size() && src[e] != '\n' && src[e] != '\r') ++e;
    bool inside_arg = false;
    for (const auto& [b, ke] : kept) inside_arg = inside_arg || (b <= i && i < ke);
    if (!inside_arg) lost.emplace_back(src.substr(i, e - i));
    i = e;
  }
  if (lost.empty()) return;
  NodeId stmt = statement_of(site.node);
  std::string indent;
  if (stmt == kNone || !indent_of(stmt, indent)) return;
  std::string block;
  for (const auto& c : lost) block += indent + c + newline_;
  edits_.insert(line_start(tree_.node(stmt).begin), block);
}

// The parentheses a converted argument got for its old context, which the template may not need:
// "(x + y)" from "torch.add(x, y)" is "x + y" again where the template places its argument.
auto Rewriter::unwrap(std::string text, NodeId node) const -> std::string {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')' || source_text(node).starts_with("(")) return text;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      size_t j = text.find(c, i + 1);
      if (j == std::string::npos) return text;
      i = j;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (depth == 0 && i + 1 < text.size()) return text;  // the first '(' closes early
    if (depth == 1 && c == ',') return text;             // a tuple
  }
  return text.substr(1, text.size() - 2);
}

// A fixed argument text from the tables (`set`, `map`, a default): a source constant such as
// `torch.float32` is spelled as the target spells it.
auto Rewriter::constant_text(const std::string& t) const -> std::string {
  const ops::Frontend* fe = tables_.frontend("torch");
  if (fe == nullptr || !t.starts_with("torch.")) return t;
  auto c = fe->constants.find(t);
  if (c == fe->constants.end()) return t;
  auto b = backend_->constants.find(c->second);
  return b == backend_->constants.end() ? t : b->second;
}

auto Rewriter::needs_key(const Site& site) const -> bool {
  if (!site.reason.empty() || site.op.empty() || site.kind == SiteKind::Constant) return false;
  const ops::CanonicalOp* op = tables_.op(site.op);
  if (op == nullptr || backend_ == nullptr) return false;
  auto it = backend_->ops.find(site.op);
  if (it == backend_->ops.end()) return false;
  auto has_key = [](const ops::Variant& v) {
    return v.scan != nullptr && std::find(v.scan->placeholders.begin(), v.scan->placeholders.end(), "key") != v.scan->placeholders.end();
  };
  if (std::none_of(it->second.begin(), it->second.end(), has_key)) return false;  // no variant takes a key
  const ops::Variant* v = choose_variant(*op, it->second, site.args);
  return v != nullptr && has_key(*v);
}

// The first variant whose `when` holds for these arguments, or null.
auto Rewriter::choose_variant(const ops::CanonicalOp& op, const std::vector<ops::Variant>& variants,
                              const std::vector<CanonArg>& args) const -> const ops::Variant* {
  for (const auto& v : variants) {
    if (opmap::condition_holds(tree_, source_, trace_, op, args, v.when)) return &v;
  }
  return nullptr;
}

auto Rewriter::run() -> Result {
  prepare_modules();
  if (target_ == "jax") rule_random_keys();
  rule_modules_before_sites();
  for (const Site& site : map_.sites) {
    if (handled_.count(site.node)) continue;
    if (site.op == "__grad_mode") {
      rule_grad_mode(site);
      continue;
    }
    if (!site.reason.empty()) {
      mark_unsupported(site.node, site.api, site.reason);
      continue;
    }
    const auto& n = tree_.node(site.node);
    if (site.kind == SiteKind::Constant) {
      auto c = backend_->constants.find(site.op);
      if (c == backend_->constants.end()) {
        mark_unsupported(site.node, site.api, "no " + target_ + " spelling for " + site.api);
        continue;
      }
      if (c->second != source_text(site.node)) edits_.replace(n.begin, n.end, c->second);
      report(site.node, site.api, Status::Converted, "");
      continue;
    }
    if (site.kind == SiteKind::Attribute && site.field >= 0) {
      // A field of a result: the element itself where the result is a tuple display.
      std::string whole = text(site.receiver);
      // An element alone only when no element binds a name (`:=`) that another one uses.
      auto parts = whole.find(":=") == std::string::npos ? split_tuple_display(whole) : std::vector<std::string>{};
      std::string out = static_cast<size_t>(site.field) < parts.size() ? parts[site.field]
                                                                      : operand(site.receiver) + "[" + std::to_string(site.field) + "]";
      edits_.replace(n.begin, n.end, out);
      report(site.node, site.api, Status::Converted, "");
      continue;
    }
    if (site.reference) {
      std::string out, reason;
      if (!render_reference(site, out, reason)) {
        mark_unsupported(site.node, site.api, reason);
        continue;
      }
      if (!out.empty()) edits_.replace(n.begin, n.end, out);
      report(site.node, site.api, Status::Converted, "");
      continue;
    }
    std::string out, reason;
    if (!render_op(site.op, site.args, site.inplace ? kNone : site.node, out, reason, site.node)) {
      mark_unsupported(site.node, site.api, reason);
      continue;
    }
    if (site.inplace) {
      rule_inplace_method(site, out);
      continue;
    }
    if (edits_.render(n.begin, n.end) != out) {
      keep_comments(site);
      edits_.replace(n.begin, n.end, out);
    }
    report(site.node, site.api, site.assumed_tensor ? Status::Assumed : Status::Converted,
           site.assumed_tensor ? "the receiver's kind is unknown; taken for a tensor" : "");
  }
  for (const auto& [node, op] : wraps_) {
    std::string out, reason;
    opmap::CanonArg a;
    a.kind = ArgKind::Node;
    a.node = node;
    if (render_op(op, {a}, node, out, reason)) {
      const auto& n = tree_.node(node);
      if (edits_.render(n.begin, n.end) != out) edits_.replace(n.begin, n.end, out);
    }
  }
  if (target_ == "jax" || target_ == "tensorflow") rule_subscript_assignments();
  rule_modules_after_sites();
  // Last: blocks whose lines move left (no_grad), over the text every other rule has made.
  // Innermost first: an outer block's replacement then renders the inner one's.
  std::stable_sort(dedents_.begin(), dedents_.end(), [](const Dedent& a, const Dedent& b) { return a.end - a.begin < b.end - b.begin; });
  for (const auto& d : dedents_) {
    std::string body = edits_.render(d.begin, d.end);
    std::string out;
    size_t pos = 0;
    while (pos < body.size()) {
      size_t le = body.find('\n', pos);
      le = le == std::string::npos ? body.size() : le + 1;
      std::string_view line(body.data() + pos, le - pos);
      if (line.starts_with(d.body_indent)) {
        out += d.body_indent.substr(0, d.keep);
        out += line.substr(d.body_indent.size());
      } else {
        out += line;
      }
      pos = le;
    }
    edits_.replace(d.begin, d.end, out);
  }
  Result r;
  r.edits = edits_.list();
  r.findings = std::move(findings_);
  r.definitions = std::move(definitions_);
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  return r;
}

auto rewrite(const parse::Tree& tree, const SourceBuffer& source, const sema::SemanticModel& model,
             const trace::Trace& trace, const opmap::OpMap& map, const ops::Tables& tables, std::string_view target) -> Result {
  Rewriter rw(tree, source, model, trace, map, tables, target);
  if (rw.backend_ == nullptr) return {};
  return rw.run();
}

auto apply_edits(std::string_view text, std::span<const Edit> edits) -> std::string {
  std::string out;
  uint32_t pos = 0;
  for (const Edit& e : edits) {
    out.append(text.substr(pos, e.begin - pos));
    out += e.text;
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace ivyc::rewrite
