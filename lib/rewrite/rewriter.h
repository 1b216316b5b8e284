// The rewriter's state, shared by the site renderer (sites.cpp) and the structural rules
// (inplace.cpp, grad_mode.cpp, random_key.cpp).
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "edit_buffer.h"
#include "ivyc/ops/template.h"
#include "ivyc/rewrite/rewrite.h"

namespace ivyc::rewrite {

using parse::kNone;
using parse::NodeId;
using parse::NodeKind;

#define FIELD(kind, name) parse::field_index(NodeKind::kind, name)

auto split_tuple_display(std::string_view t) -> std::vector<std::string>;
auto text_is_atomic(std::string_view t) -> bool;

class Rewriter {
 public:
  Rewriter(const parse::Tree& tree, const SourceBuffer& source, const sema::SemanticModel& model,
           const trace::Trace& trace, const opmap::OpMap& map, const ops::Tables& tables, std::string_view target);

  auto run() -> Result;

  // --- shared helpers ---
  auto text(NodeId n) const -> std::string { return edits_.render(tree_.node(n).begin, tree_.node(n).end); }
  auto source_text(NodeId n) const -> std::string_view {
    return source_.text().substr(tree_.node(n).begin, tree_.node(n).end - tree_.node(n).begin);
  }
  auto is_atomic(NodeId n) const -> bool;
  auto is_cheap(NodeId n) const -> bool;
  // The text of `n`, parenthesized unless atomic.
  auto operand(NodeId n) const -> std::string { return is_atomic(n) ? text(n) : "(" + text(n) + ")"; }
  auto statement_of(NodeId n) const -> NodeId;
  // The indentation of the line where `stmt` begins, if only whitespace precedes it there.
  auto indent_of(NodeId stmt, std::string& indent) const -> bool;
  auto line_start(uint32_t offset) const -> uint32_t;
  // Renders a canonical op for the target; false with `reason` when the target cannot.
  // `site_node` decides the parentheses the result needs (kNone: none); `key_node` finds the PRNG
  // key the rendering gets (default: site_node).
  auto render_op(const std::string& op, const std::vector<opmap::CanonArg>& args, NodeId site_node,
                 std::string& out, std::string& reason, NodeId key_node = kNone) -> bool;
  auto fresh_name(std::string_view base) -> std::string;
  void keep_comments(const opmap::Site& site);
  auto unwrap(std::string text, NodeId node) const -> std::string;
  auto constant_text(const std::string& t) const -> std::string;
  auto render_reference(const opmap::Site& site, std::string& out, std::string& reason) -> bool;
  auto in_type_position(NodeId n) const -> bool;
  void report(NodeId node, const std::string& api, Status status, const std::string& reason);
  void mark_unsupported(NodeId node, const std::string& api, const std::string& reason);
  auto needs_key(const opmap::Site& site) const -> bool;
  auto choose_variant(const ops::CanonicalOp& op, const std::vector<ops::Variant>& variants,
                      const std::vector<opmap::CanonArg>& args) const -> const ops::Variant*;

  // Rules.
  void rule_inplace_method(const opmap::Site& site, const std::string& functional);
  void rule_subscript_assignments();
  auto subscript_update(NodeId target, const std::string& value, bool add) -> std::string;
  void rule_grad_mode(const opmap::Site& site);
  // The def or class that `node` decorates, or kNone.
  auto decorated_def(NodeId node) const -> NodeId;
  // Removes the line of a decorator; false when it does not stand on its own line.
  auto remove_decorator(NodeId node) -> bool;
  void rule_random_keys();
  // Module classes (modules.cpp): before the sites (bases, forward, rngs, self.training, layer
  // attributes) and after them (register_buffer, the nn.Module API on layers).
  void prepare_modules();
  auto method_key(NodeId def) -> std::string;
  void rule_modules_before_sites();
  void add_call_argument(NodeId call, const std::string& arg);
  void rule_modules_after_sites();
  auto rngs_text(NodeId site) const -> std::string;
  auto enclosing_def(NodeId n) const -> NodeId;
  auto params_close(NodeId def) const -> uint32_t;
  void add_parameter(NodeId def, const std::string& param, bool keyword_only);
  void insert_body_lines(NodeId def, const std::vector<std::string>& lines);
  auto layer_of(NodeId n) const -> const trace::Trace::LayerInfo*;
  auto class_defines(sema::ClassId c, std::string_view name) const -> bool;
  auto own_init(sema::ClassId c) const -> NodeId;
  static auto fill_layer(std::string tmpl, const std::string& layer) -> std::string;
  auto keras_initializer(const opmap::Site& site, std::string& reason) -> bool;
  void remove_statement(NodeId stmt);
  auto plain_tensor(NodeId v) const -> bool;
  static auto plain_attribute(std::string_view t) -> bool;

  const parse::Tree& tree_;
  const SourceBuffer& source_;
  const sema::SemanticModel& model_;
  const trace::Trace& trace_;
  const opmap::OpMap& map_;
  const ops::Tables& tables_;
  const ops::Backend* backend_;
  std::string target_;
  std::string newline_;  // the file's: \r\n where it has one, else \n
  EditBuffer edits_;
  std::vector<Finding> findings_;
  std::set<std::string> used_names_;
  std::map<std::string, int, std::less<>> fresh_next_;  // fresh_name: the next index to try, by base
  // Random sites (JAX): the key text each one gets, by site node.
  std::unordered_map<NodeId, std::string> key_text_;
  std::set<NodeId> random_sites_;
  // Values to wrap in a canonical op once every site is rendered (no_grad: stop_gradient).
  std::vector<std::pair<NodeId, std::string>> wraps_;
  std::vector<std::pair<uint32_t, uint32_t>> string_ranges_;
  // Regions whose lines starting with body_indent keep only its first `keep` characters (no_grad
  // blocks), applied after every other rule, innermost first.
  struct Dedent {
    uint32_t begin, end;
    std::string body_indent;
    size_t keep;
  };
  std::vector<Dedent> dedents_;
  // Module classes.
  bool module_file_ = false;
  std::set<NodeId> handled_;       // sites a module rule has rendered already
  std::set<NodeId> rngs_defs_;     // jax: the __init__s that received `rngs`
  std::set<NodeId> forward_defs_;  // the forward methods
  mutable std::vector<NodeId> calls_by_begin_;  // plain_tensor: the file's calls by where they begin
  std::set<NodeId> star_added_;    // defs given a `*` by add_parameter
  std::set<NodeId> removed_;       // statements remove_statement took out
  std::map<NodeId, sema::ClassId> method_class_;  // jax: methods of module classes with an __init__
  std::set<sema::ClassId> rngs_kept_;             // jax: classes whose methods draw from self.rngs
  std::vector<std::string> definitions_;  // definitions the output needs whether or not it names them  // string literals, for finding comments
};

}  // namespace ivyc::rewrite
