// ast.dump format on trees built by hand. Each expected string is what Python 3.11's
// ast.dump(ast.parse(SOURCE)) (and with include_attributes=True) printed for the same source.
#include <chrono>

#include "catch.h"
#include "ivyc/parse/dump.h"

using namespace ivyc;
using namespace ivyc::parse;

namespace {

struct Fixture {
  SourceBuffer source;
  Tree t;

  explicit Fixture(std::string text) : source(make_source(std::move(text))) {}

  static auto make_source(std::string text) -> SourceBuffer {
    std::vector<Diagnostic> diags;
    auto buf = SourceBuffer::from_bytes("t.py", std::move(text), diags);
    REQUIRE(buf);
    return std::move(*buf);
  }

  auto list(std::initializer_list<uint32_t> items) -> ListId {
    return t.add_list(std::span<const uint32_t>(items.begin(), items.size()));
  }
  auto name(std::string_view id, NodeKind ctx, uint32_t b, uint32_t e) -> NodeId {
    return t.add_node(NodeKind::Name, b, e, {t.intern(id), t.singleton(ctx)});
  }
  auto constant(Constant c, uint32_t b, uint32_t e, uint32_t kind = kNone) -> NodeId {
    return t.add_node(NodeKind::Constant, b, e, {t.add_constant(std::move(c)), kind});
  }
  auto int_const(std::string digits, uint32_t b, uint32_t e) -> NodeId {
    return constant(Constant{ConstantKind::Int, 0, std::move(digits)}, b, e);
  }
  auto str_const(std::string s, uint32_t b, uint32_t e, uint32_t kind = kNone) -> NodeId {
    return constant(Constant{ConstantKind::Str, 0, std::move(s)}, b, e, kind);
  }
  auto expr_stmt(NodeId value, uint32_t b, uint32_t e) -> NodeId {
    return t.add_node(NodeKind::Expr, b, e, {value});
  }
  void module(std::initializer_list<uint32_t> body) {
    t.root = t.add_node(NodeKind::Module, 0, static_cast<uint32_t>(source.text().size()),
                        {list(body), t.empty_list()});
  }
  auto dump(bool attributes = false) -> std::string { return dump_tree(t, source, attributes); }
};

}  // namespace

TEST_CASE("dump: assignment, with and without attributes", "[dump]") {
  Fixture f("x = 1");
  NodeId x = f.name("x", NodeKind::Store, 0, 1);
  NodeId one = f.int_const("1", 4, 5);
  f.module({f.t.add_node(NodeKind::Assign, 0, 5, {f.list({x}), one, kNone})});
  CHECK(f.dump() ==
        "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], "
        "type_ignores=[])");
  CHECK(f.dump(true) ==
        "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, "
        "end_lineno=1, end_col_offset=1)], value=Constant(value=1, lineno=1, col_offset=4, "
        "end_lineno=1, end_col_offset=5), lineno=1, col_offset=0, end_lineno=1, "
        "end_col_offset=5)], type_ignores=[])");
}

TEST_CASE("dump: absent optional fields are left out, present ints are not", "[dump]") {
  Fixture f("from . import a as b");
  NodeId alias = f.t.add_node(NodeKind::alias, 14, 20, {f.t.intern("a"), f.t.intern("b")});
  f.module({f.t.add_node(NodeKind::ImportFrom, 0, 20, {kNone, f.list({alias}), 1})});
  CHECK(f.dump() ==
        "Module(body=[ImportFrom(names=[alias(name='a', asname='b')], level=1)], type_ignores=[])");
  CHECK(f.dump(true) ==
        "Module(body=[ImportFrom(names=[alias(name='a', asname='b', lineno=1, col_offset=14, "
        "end_lineno=1, end_col_offset=20)], level=1, lineno=1, col_offset=0, end_lineno=1, "
        "end_col_offset=20)], type_ignores=[])");
}

TEST_CASE("dump: arguments, None inside lists, 3.12 fields", "[dump]") {
  Fixture f("def f(a, *, b, c=1):\n    return");
  auto& t = f.t;
  NodeId a = t.add_node(NodeKind::arg, 6, 7, {t.intern("a"), kNone, kNone});
  NodeId b = t.add_node(NodeKind::arg, 12, 13, {t.intern("b"), kNone, kNone});
  NodeId c = t.add_node(NodeKind::arg, 15, 16, {t.intern("c"), kNone, kNone});
  NodeId one = f.int_const("1", 17, 18);
  NodeId args = t.add_node(NodeKind::arguments, 0, 0,
                           {t.empty_list(), f.list({a}), kNone, f.list({b, c}),
                            f.list({kNone, one}), kNone, t.empty_list()});
  NodeId ret = t.add_node(NodeKind::Return, 25, 31, {kNone});
  NodeId def = t.add_node(NodeKind::FunctionDef, 0, 31,
                          {t.intern("f"), args, f.list({ret}), t.empty_list(), kNone, kNone,
                           t.empty_list()});
  f.module({def});
  CHECK(f.dump() ==
        "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[arg(arg='a')], "
        "kwonlyargs=[arg(arg='b'), arg(arg='c')], kw_defaults=[None, Constant(value=1)], "
        "defaults=[]), body=[Return()], decorator_list=[])], type_ignores=[])");
  CHECK(f.dump(true) ==
        "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[arg(arg='a', "
        "lineno=1, col_offset=6, end_lineno=1, end_col_offset=7)], kwonlyargs=[arg(arg='b', "
        "lineno=1, col_offset=12, end_lineno=1, end_col_offset=13), arg(arg='c', lineno=1, "
        "col_offset=15, end_lineno=1, end_col_offset=16)], kw_defaults=[None, Constant(value=1, "
        "lineno=1, col_offset=17, end_lineno=1, end_col_offset=18)], defaults=[]), "
        "body=[Return(lineno=2, col_offset=4, end_lineno=2, end_col_offset=10)], "
        "decorator_list=[], lineno=1, col_offset=0, end_lineno=2, end_col_offset=10)], "
        "type_ignores=[])");
  // A 3.12 field is printed when it is not empty (Python 3.12 prints it last).
  NodeId tv = t.add_node(NodeKind::TypeVar, 0, 0, {t.intern("T"), kNone});
  t.set_slot(def, field_index(NodeKind::FunctionDef, "type_params"), f.list({tv}));
  CHECK(f.dump().find("decorator_list=[], type_params=[TypeVar(name='T')])") !=
        std::string::npos);
}

TEST_CASE("dump: dict unpacking, f-strings, identifier lists, kinds", "[dump]") {
  {
    Fixture f("{**d, 'k': 'v'}");
    NodeId d = f.name("d", NodeKind::Load, 3, 4);
    NodeId k = f.str_const("k", 6, 9);
    NodeId v = f.str_const("v", 11, 14);
    NodeId dict = f.t.add_node(NodeKind::Dict, 0, 15, {f.list({kNone, k}), f.list({d, v})});
    f.module({f.expr_stmt(dict, 0, 15)});
    CHECK(f.dump() ==
          "Module(body=[Expr(value=Dict(keys=[None, Constant(value='k')], values=[Name(id='d', "
          "ctx=Load()), Constant(value='v')]))], type_ignores=[])");
  }
  {
    Fixture f("f'{x!r:>10}{y}'");
    auto& t = f.t;
    NodeId x = f.name("x", NodeKind::Load, 3, 4);
    NodeId spec_text = f.str_const(">10", 0, 0);
    t.override_position(spec_text, {1, 0, 1, 15});
    NodeId spec = t.add_node(NodeKind::JoinedStr, 0, 0, {f.list({spec_text})});
    t.override_position(spec, {1, 0, 1, 15});
    NodeId fv1 = t.add_node(NodeKind::FormattedValue, 0, 15, {x, 114, spec});
    NodeId y = f.name("y", NodeKind::Load, 12, 13);
    NodeId fv2 = t.add_node(NodeKind::FormattedValue, 0, 15, {y, static_cast<uint32_t>(-1), kNone});
    NodeId js = t.add_node(NodeKind::JoinedStr, 0, 15, {f.list({fv1, fv2})});
    f.module({f.expr_stmt(js, 0, 15)});
    CHECK(f.dump() ==
          "Module(body=[Expr(value=JoinedStr(values=[FormattedValue(value=Name(id='x', "
          "ctx=Load()), conversion=114, format_spec=JoinedStr(values=[Constant(value='>10')])), "
          "FormattedValue(value=Name(id='y', ctx=Load()), conversion=-1)]))], type_ignores=[])");
    CHECK(f.dump(true) ==
          "Module(body=[Expr(value=JoinedStr(values=[FormattedValue(value=Name(id='x', "
          "ctx=Load(), lineno=1, col_offset=3, end_lineno=1, end_col_offset=4), conversion=114, "
          "format_spec=JoinedStr(values=[Constant(value='>10', lineno=1, col_offset=0, "
          "end_lineno=1, end_col_offset=15)], lineno=1, col_offset=0, end_lineno=1, "
          "end_col_offset=15), lineno=1, col_offset=0, end_lineno=1, end_col_offset=15), "
          "FormattedValue(value=Name(id='y', ctx=Load(), lineno=1, col_offset=12, end_lineno=1, "
          "end_col_offset=13), conversion=-1, lineno=1, col_offset=0, end_lineno=1, "
          "end_col_offset=15)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=15), "
          "lineno=1, col_offset=0, end_lineno=1, end_col_offset=15)], type_ignores=[])");
  }
  {
    Fixture f("global a, b");
    uint32_t names[] = {f.t.intern("a"), f.t.intern("b")};
    f.module({f.t.add_node(NodeKind::Global, 0, 11, {f.t.add_list(names)})});
    CHECK(f.dump() == "Module(body=[Global(names=['a', 'b'])], type_ignores=[])");
  }
  {
    Fixture f("u'x'");
    f.module({f.expr_stmt(f.str_const("x", 0, 4, f.t.intern("u")), 0, 4)});
    CHECK(f.dump(true) ==
          "Module(body=[Expr(value=Constant(value='x', kind='u', lineno=1, col_offset=0, "
          "end_lineno=1, end_col_offset=4), lineno=1, col_offset=0, end_lineno=1, "
          "end_col_offset=4)], type_ignores=[])");
  }
}

TEST_CASE("dump: non-ASCII names and strings, columns in bytes", "[dump]") {
  Fixture f("\xc3\xa9 = '\xc3\xbc'\n");  // é = 'ü'
  NodeId target = f.name("\xc3\xa9", NodeKind::Store, 0, 2);
  NodeId value = f.str_const("\xc3\xbc", 5, 9);
  f.module({f.t.add_node(NodeKind::Assign, 0, 9, {f.list({target}), value, kNone})});
  CHECK(f.dump(true) ==
        "Module(body=[Assign(targets=[Name(id='\xc3\xa9', ctx=Store(), lineno=1, col_offset=0, "
        "end_lineno=1, end_col_offset=2)], value=Constant(value='\xc3\xbc', lineno=1, "
        "col_offset=5, end_lineno=1, end_col_offset=9), lineno=1, col_offset=0, end_lineno=1, "
        "end_col_offset=9)], type_ignores=[])");
}

TEST_CASE("dump: patterns and complex constants", "[dump]") {
  {
    Fixture f("match x:\n    case None | _:\n        pass");
    auto& t = f.t;
    NodeId x = f.name("x", NodeKind::Load, 6, 7);
    NodeId none = t.add_node(NodeKind::MatchSingleton, 18, 22,
                             {t.add_constant(Constant{ConstantKind::None, 0, {}})});
    NodeId any = t.add_node(NodeKind::MatchAs, 25, 26, {kNone, kNone});
    NodeId alt = t.add_node(NodeKind::MatchOr, 18, 26, {f.list({none, any})});
    NodeId pass = t.add_node(NodeKind::Pass, 36, 40, {});
    NodeId mc = t.add_node(NodeKind::match_case, 0, 0, {alt, kNone, f.list({pass})});
    f.module({t.add_node(NodeKind::Match, 0, 40, {x, f.list({mc})})});
    CHECK(f.dump() ==
          "Module(body=[Match(subject=Name(id='x', ctx=Load()), cases=[match_case("
          "pattern=MatchOr(patterns=[MatchSingleton(value=None), MatchAs()]), "
          "body=[Pass()])])], type_ignores=[])");
    CHECK(f.dump(true) ==
          "Module(body=[Match(subject=Name(id='x', ctx=Load(), lineno=1, col_offset=6, "
          "end_lineno=1, end_col_offset=7), cases=[match_case(pattern=MatchOr(patterns=["
          "MatchSingleton(value=None, lineno=2, col_offset=9, end_lineno=2, end_col_offset=13), "
          "MatchAs(lineno=2, col_offset=16, end_lineno=2, end_col_offset=17)], lineno=2, "
          "col_offset=9, end_lineno=2, end_col_offset=17), body=[Pass(lineno=3, col_offset=8, "
          "end_lineno=3, end_col_offset=12)])], lineno=1, col_offset=0, end_lineno=3, "
          "end_col_offset=12)], type_ignores=[])");
  }
  {
    Fixture f("-1.5e300j");
    NodeId c = f.constant(Constant{ConstantKind::Complex, 1.5e300, {}}, 1, 9);
    NodeId neg = f.t.add_node(NodeKind::UnaryOp, 0, 9, {f.t.singleton(NodeKind::USub), c});
    f.module({f.expr_stmt(neg, 0, 9)});
    CHECK(f.dump() ==
          "Module(body=[Expr(value=UnaryOp(op=USub(), operand=Constant(value=1.5e+300j)))], "
          "type_ignores=[])");
  }
}

TEST_CASE("dump: a deep left-leaning chain is printed without recursion, in linear time",
          "[dump]") {
  constexpr int kTerms = 200000;
  std::string text = "1";
  for (int i = 1; i < kTerms; ++i) text += "+1";
  Fixture f(text);
  NodeId left = f.int_const("1", 0, 1);
  NodeId add = f.t.singleton(NodeKind::Add);
  for (int i = 1; i < kTerms; ++i) {
    NodeId right = f.int_const("1", 2 * i, 2 * i + 1);
    left = f.t.add_node(NodeKind::BinOp, 0, 2 * i + 1, {left, add, right});
  }
  f.module({f.expr_stmt(left, 0, 2 * kTerms - 1)});
  auto start = std::chrono::steady_clock::now();
  std::string out = f.dump(true);
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(out.starts_with("Module(body=[Expr(value=BinOp(left=BinOp(left=BinOp("));
  CHECK(out.ends_with(", lineno=1, col_offset=0, end_lineno=1, end_col_offset=399999)], "
                      "type_ignores=[])"));
  CHECK(elapsed < std::chrono::seconds(2));
}
