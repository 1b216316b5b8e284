// ast.dump of Python 3.11, over the flat tree: `Kind(field=value, ...)` with the fields in ASDL
// order, absent optional fields left out, lists as `[a, b]`, identifiers and constants through
// repr(), and with include_attributes the four position attributes of the kinds that have them.
//
// The walk keeps its own stack rather than recursing: a long chain such as `1+1+...+1` nests as
// deep as it is long. All output is appended to one string.
#include "ivyc/parse/dump.h"

#include <fmt/format.h>

#include <vector>

#include "literal_repr.h"

namespace ivyc::parse {
namespace {

class Dumper {
 public:
  Dumper(const Tree& tree, const SourceBuffer& source, bool include_attributes, std::string& out)
      : tree_(tree), source_(source), include_attributes_(include_attributes), out_(out) {}

  void run(NodeId root) {
    open(root);
    while (!stack_.empty()) step();
  }

 private:
  // One node being printed: the next field to print, and the position in a list field.
  struct Frame {
    NodeId node;
    uint32_t field = 0;
    uint32_t list_pos = 0;
    bool in_list = false;
    bool wrote_field = false;
  };

  void open(NodeId node) {
    if (node == kNone) {
      out_ += "None";
      return;
    }
    out_ += node_kind_info(tree_.kind(node)).name;
    out_ += '(';
    stack_.push_back(Frame{node});
  }

  void separate(Frame& f) {
    if (f.wrote_field) out_ += ", ";
    f.wrote_field = true;
  }

  void append_int(uint32_t slot) {
    fmt::format_to(std::back_inserter(out_), "{}", static_cast<int32_t>(slot));
  }

  void step() {
    size_t index = stack_.size() - 1;
    Frame& f = stack_[index];
    const NodeKindInfo& info = node_kind_info(tree_.kind(f.node));

    if (f.in_list) {
      auto items = tree_.list(tree_.slot(f.node, static_cast<int>(f.field)));
      if (f.list_pos < items.size()) {
        if (f.list_pos > 0) out_ += ", ";
        NodeId item = items[f.list_pos++];
        open(item);  // may reallocate the stack: `f` is not used after this
        return;
      }
      out_ += ']';
      f.in_list = false;
      ++f.field;
      return;
    }

    if (f.field < info.fields.size()) {
      const FieldSpec& spec = info.fields[f.field];
      uint32_t slot = tree_.slot(f.node, static_cast<int>(f.field));
      bool omit = false;
      switch (spec.type) {
        case FieldType::OptNode:
        case FieldType::OptIdent:
        case FieldType::OptString:
        case FieldType::OptInt: omit = slot == kNone; break;
        case FieldType::List312: omit = tree_.list(slot).empty(); break;
        default: break;
      }
      if (omit) {
        ++f.field;
        return;
      }
      separate(f);
      out_ += spec.name;
      out_ += '=';
      switch (spec.type) {
        case FieldType::Node:
        case FieldType::OptNode:
          ++f.field;
          open(slot);  // may reallocate the stack
          return;
        case FieldType::List:
        case FieldType::List312:
          out_ += '[';
          f.in_list = true;
          f.list_pos = 0;
          return;
        case FieldType::Ident:
        case FieldType::OptIdent:
        case FieldType::OptString: append_str_repr(tree_.string(slot), out_); break;
        case FieldType::IdentList: {
          out_ += '[';
          bool first = true;
          for (uint32_t s : tree_.list(slot)) {
            if (!first) out_ += ", ";
            first = false;
            append_str_repr(tree_.string(s), out_);
          }
          out_ += ']';
          break;
        }
        case FieldType::Const: append_constant_repr(tree_.constant(slot), out_); break;
        case FieldType::Int:
        case FieldType::OptInt: append_int(slot); break;
      }
      ++f.field;
      return;
    }

    if (include_attributes_ && info.has_position) {
      Position p = tree_.position(f.node, source_);
      separate(f);
      fmt::format_to(std::back_inserter(out_),
                     "lineno={}, col_offset={}, end_lineno={}, end_col_offset={}", p.lineno,
                     p.col_offset, p.end_lineno, p.end_col_offset);
    }
    out_ += ')';
    stack_.pop_back();
  }

  const Tree& tree_;
  const SourceBuffer& source_;
  bool include_attributes_;
  std::string& out_;
  std::vector<Frame> stack_;
};

}  // namespace

auto dump_tree(const Tree& tree, const SourceBuffer& source, bool include_attributes)
    -> std::string {
  std::string out;
  out.reserve(static_cast<size_t>(tree.size()) * (include_attributes ? 96 : 32));
  Dumper(tree, source, include_attributes, out).run(tree.root);
  return out;
}

}  // namespace ivyc::parse
