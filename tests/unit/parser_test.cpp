// The parser: tree shapes and positions against what CPython 3.11's ast.dump prints (the
// expectations were produced by python3.11 and are checked in here), the errors CPython reports
// at parse time, 3.11-versus-3.12 syntax, the depth limit, and that parsing always ends.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "catch.h"
#include "ivyc/lex/token.h"
#include "ivyc/parse/dump.h"
#include "ivyc/parse/parser.h"
#include "ivyc/source/source_buffer.h"

using namespace ivyc;
using namespace ivyc::parse;

namespace {

struct Parsed {
  std::unique_ptr<SourceBuffer> source;
  lex::TokenizedBuffer tokens;
  ParseResult result;
  auto ok() const -> bool { return tokens.errors.empty() && result.errors.empty(); }
  auto first_error() const -> std::string {
    if (!tokens.errors.empty()) return tokens.errors.front().message;
    if (!result.errors.empty()) return result.errors.front().message;
    return "";
  }
  auto dump(bool attributes = false) const -> std::string {
    return dump_tree(result.tree, *source, attributes);
  }
};

auto parse_text(std::string text, PythonVersion version = PythonVersion::Py311) -> Parsed {
  std::vector<Diagnostic> diags;
  auto source = SourceBuffer::from_bytes("t.py", std::move(text), diags);
  REQUIRE(source);
  Parsed out;
  out.source = std::make_unique<SourceBuffer>(std::move(*source));
  out.tokens = lex::lex(*out.source);
  ParseOptions options;
  options.version = version;
  out.result = ivyc::parse::parse(out.tokens, options);
  return out;
}

// The parser needs the lexer; while lib/lex is a stub (it emits only EndOfFile) these tests have
// nothing to check.
auto lexer_ready() -> bool {
  static bool ready = [] {
    std::vector<Diagnostic> diags;
    auto source = SourceBuffer::from_bytes("t.py", "x\n", diags);
    return source && lex::lex(*source).tokens.size() > 1;
  }();
  return ready;
}

struct Case {
  const char* source;
  const char* expected;
};

const Case kShapeCases[] = {
    {"x = 1, 2,",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[Constant(value=1), Constant(value=2)], ctx=Load()))], type_ignores=[])"},
    {"a and b and c or d",
     "Module(body=[Expr(value=BoolOp(op=Or(), values=[BoolOp(op=And(), values=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load()), Name(id='c', ctx=Load())]), Name(id='d', ctx=Load())]))], type_ignores=[])"},
    {"-1",
     "Module(body=[Expr(value=UnaryOp(op=USub(), operand=Constant(value=1)))], type_ignores=[])"},
    {"a < b < c",
     "Module(body=[Expr(value=Compare(left=Name(id='a', ctx=Load()), ops=[Lt(), Lt()], comparators=[Name(id='b', ctx=Load()), Name(id='c', ctx=Load())]))], type_ignores=[])"},
    {"del a, (b, c), d[0], e.f",
     "Module(body=[Delete(targets=[Name(id='a', ctx=Del()), Tuple(elts=[Name(id='b', ctx=Del()), Name(id='c', ctx=Del())], ctx=Del()), Subscript(value=Name(id='d', ctx=Load()), slice=Constant(value=0), ctx=Del()), Attribute(value=Name(id='e', ctx=Load()), attr='f', ctx=Del())])], type_ignores=[])"},
    {"def f(a, b=1, /, c=2, *d, e, f=3, **g): pass",
     "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[arg(arg='a'), arg(arg='b')], args=[arg(arg='c')], vararg=arg(arg='d'), kwonlyargs=[arg(arg='e'), arg(arg='f')], kw_defaults=[None, Constant(value=3)], kwarg=arg(arg='g'), defaults=[Constant(value=1), Constant(value=2)]), body=[Pass()], decorator_list=[])], type_ignores=[])"},
    {"lambda *, k=None: k",
     "Module(body=[Expr(value=Lambda(args=arguments(posonlyargs=[], args=[], kwonlyargs=[arg(arg='k')], kw_defaults=[Constant(value=None)], defaults=[]), body=Name(id='k', ctx=Load())))], type_ignores=[])"},
    {"f(a, *b, c=1, **d)",
     "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='a', ctx=Load()), Starred(value=Name(id='b', ctx=Load()), ctx=Load())], keywords=[keyword(arg='c', value=Constant(value=1)), keyword(value=Name(id='d', ctx=Load()))]))], type_ignores=[])"},
    {"f(x for x in y)",
     "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[GeneratorExp(elt=Name(id='x', ctx=Load()), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[], is_async=0)])], keywords=[]))], type_ignores=[])"},
    {"from ..a import b as c, d",
     "Module(body=[ImportFrom(module='a', names=[alias(name='b', asname='c'), alias(name='d')], level=2)], type_ignores=[])"},
    {"from ... import x",
     "Module(body=[ImportFrom(names=[alias(name='x')], level=3)], type_ignores=[])"},
    {"import a.b.c as d, e",
     "Module(body=[Import(names=[alias(name='a.b.c', asname='d'), alias(name='e')])], type_ignores=[])"},
    {"x: int = 1\n(y): int\nz.w: str",
     "Module(body=[AnnAssign(target=Name(id='x', ctx=Store()), annotation=Name(id='int', ctx=Load()), value=Constant(value=1), simple=1), AnnAssign(target=Name(id='y', ctx=Store()), annotation=Name(id='int', ctx=Load()), simple=0), AnnAssign(target=Attribute(value=Name(id='z', ctx=Load()), attr='w', ctx=Store()), annotation=Name(id='str', ctx=Load()), simple=0)], type_ignores=[])"},
    {"a += 1",
     "Module(body=[AugAssign(target=Name(id='a', ctx=Store()), op=Add(), value=Constant(value=1))], type_ignores=[])"},
    {"{**a, 'b': 1}",
     "Module(body=[Expr(value=Dict(keys=[None, Constant(value='b')], values=[Name(id='a', ctx=Load()), Constant(value=1)]))], type_ignores=[])"},
    {"u'a' 'b'",
     "Module(body=[Expr(value=Constant(value='ab', kind='u'))], type_ignores=[])"},
    {"b'a' b'b'",
     "Module(body=[Expr(value=Constant(value=b'ab'))], type_ignores=[])"},
    {"f'a{b!r:>{c}}d' 'e'",
     "Module(body=[Expr(value=JoinedStr(values=[Constant(value='a'), FormattedValue(value=Name(id='b', ctx=Load()), conversion=114, format_spec=JoinedStr(values=[Constant(value='>'), FormattedValue(value=Name(id='c', ctx=Load()), conversion=-1)])), Constant(value='de')]))], type_ignores=[])"},
    {"f'{x=}'",
     "Module(body=[Expr(value=JoinedStr(values=[Constant(value='x='), FormattedValue(value=Name(id='x', ctx=Load()), conversion=114)]))], type_ignores=[])"},
    {"x[1:2, ::3, *y]",
     "Module(body=[Expr(value=Subscript(value=Name(id='x', ctx=Load()), slice=Tuple(elts=[Slice(lower=Constant(value=1), upper=Constant(value=2)), Slice(step=Constant(value=3)), Starred(value=Name(id='y', ctx=Load()), ctx=Load())], ctx=Load()), ctx=Load()))], type_ignores=[])"},
    {"x[*y]",
     "Module(body=[Expr(value=Subscript(value=Name(id='x', ctx=Load()), slice=Tuple(elts=[Starred(value=Name(id='y', ctx=Load()), ctx=Load())], ctx=Load()), ctx=Load()))], type_ignores=[])"},
    {"match x:\n    case [1, *rest] | {'k': _, **kw} if rest:\n        pass\n    case Point(x=0) as p:\n        pass\n    case -1 + 2j | None:\n        pass",
     "Module(body=[Match(subject=Name(id='x', ctx=Load()), cases=[match_case(pattern=MatchOr(patterns=[MatchSequence(patterns=[MatchValue(value=Constant(value=1)), MatchStar(name='rest')]), MatchMapping(keys=[Constant(value='k')], patterns=[MatchAs()], rest='kw')]), guard=Name(id='rest', ctx=Load()), body=[Pass()]), match_case(pattern=MatchAs(pattern=MatchClass(cls=Name(id='Point', ctx=Load()), patterns=[], kwd_attrs=['x'], kwd_patterns=[MatchValue(value=Constant(value=0))]), name='p'), body=[Pass()]), match_case(pattern=MatchOr(patterns=[MatchValue(value=BinOp(left=UnaryOp(op=USub(), operand=Constant(value=1)), op=Add(), right=Constant(value=2j))), MatchSingleton(value=None)]), body=[Pass()])])], type_ignores=[])"},
    {"try:\n    pass\nexcept* (A, B) as e:\n    pass",
     "Module(body=[TryStar(body=[Pass()], handlers=[ExceptHandler(type=Tuple(elts=[Name(id='A', ctx=Load()), Name(id='B', ctx=Load())], ctx=Load()), name='e', body=[Pass()])], orelse=[], finalbody=[])], type_ignores=[])"},
    {"with (open(a) as f, open(b) as g):\n    pass",
     "Module(body=[With(items=[withitem(context_expr=Call(func=Name(id='open', ctx=Load()), args=[Name(id='a', ctx=Load())], keywords=[]), optional_vars=Name(id='f', ctx=Store())), withitem(context_expr=Call(func=Name(id='open', ctx=Load()), args=[Name(id='b', ctx=Load())], keywords=[]), optional_vars=Name(id='g', ctx=Store()))], body=[Pass()])], type_ignores=[])"},
    {"async def f():\n    async for x in y:\n        await z\n    return [i async for i in w]",
     "Module(body=[AsyncFunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[AsyncFor(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), body=[Expr(value=Await(value=Name(id='z', ctx=Load())))], orelse=[]), Return(value=ListComp(elt=Name(id='i', ctx=Load()), generators=[comprehension(target=Name(id='i', ctx=Store()), iter=Name(id='w', ctx=Load()), ifs=[], is_async=1)]))], decorator_list=[])], type_ignores=[])"},
    {"@dec\nclass C(B, metaclass=M):\n    '''doc'''\n    x: int",
     "Module(body=[ClassDef(name='C', bases=[Name(id='B', ctx=Load())], keywords=[keyword(arg='metaclass', value=Name(id='M', ctx=Load()))], body=[Expr(value=Constant(value='doc')), AnnAssign(target=Name(id='x', ctx=Store()), annotation=Name(id='int', ctx=Load()), simple=1)], decorator_list=[Name(id='dec', ctx=Load())])], type_ignores=[])"},
    {"global a\nnonlocal b",
     "Module(body=[Global(names=['a']), Nonlocal(names=['b'])], type_ignores=[])"},
    {"print(*args, sep='')",
     "Module(body=[Expr(value=Call(func=Name(id='print', ctx=Load()), args=[Starred(value=Name(id='args', ctx=Load()), ctx=Load())], keywords=[keyword(arg='sep', value=Constant(value=''))]))], type_ignores=[])"},
    {"x = yield",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Yield())], type_ignores=[])"},
    {"a if b else c if d else e",
     "Module(body=[Expr(value=IfExp(test=Name(id='b', ctx=Load()), body=Name(id='a', ctx=Load()), orelse=IfExp(test=Name(id='d', ctx=Load()), body=Name(id='c', ctx=Load()), orelse=Name(id='e', ctx=Load()))))], type_ignores=[])"},
    {"not not x",
     "Module(body=[Expr(value=UnaryOp(op=Not(), operand=UnaryOp(op=Not(), operand=Name(id='x', ctx=Load()))))], type_ignores=[])"},
    {"a ** -b ** c",
     "Module(body=[Expr(value=BinOp(left=Name(id='a', ctx=Load()), op=Pow(), right=UnaryOp(op=USub(), operand=BinOp(left=Name(id='b', ctx=Load()), op=Pow(), right=Name(id='c', ctx=Load())))))], type_ignores=[])"},
    {"(a := 1, [b := 2])",
     "Module(body=[Expr(value=Tuple(elts=[NamedExpr(target=Name(id='a', ctx=Store()), value=Constant(value=1)), List(elts=[NamedExpr(target=Name(id='b', ctx=Store()), value=Constant(value=2))], ctx=Load())], ctx=Load()))], type_ignores=[])"},
    {"x = ...",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=Ellipsis))], type_ignores=[])"},
    {"if a:\n    pass\nelif b:\n    pass\nelse:\n    pass",
     "Module(body=[If(test=Name(id='a', ctx=Load()), body=[Pass()], orelse=[If(test=Name(id='b', ctx=Load()), body=[Pass()], orelse=[Pass()])])], type_ignores=[])"},
    {"tuple[*Ts]",
     "Module(body=[Expr(value=Subscript(value=Name(id='tuple', ctx=Load()), slice=Tuple(elts=[Starred(value=Name(id='Ts', ctx=Load()), ctx=Load())], ctx=Load()), ctx=Load()))], type_ignores=[])"},
    {"match x:\n    case _:\n        pass",
     "Module(body=[Match(subject=Name(id='x', ctx=Load()), cases=[match_case(pattern=MatchAs(), body=[Pass()])])], type_ignores=[])"},
    {"f'{a, b}{c for c in d}{e=:>{w}}'",
     "Module(body=[Expr(value=JoinedStr(values=[FormattedValue(value=Tuple(elts=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load())], ctx=Load()), conversion=-1), FormattedValue(value=GeneratorExp(elt=Name(id='c', ctx=Load()), generators=[comprehension(target=Name(id='c', ctx=Store()), iter=Name(id='d', ctx=Load()), ifs=[], is_async=0)]), conversion=-1), Constant(value='e='), FormattedValue(value=Name(id='e', ctx=Load()), conversion=-1, format_spec=JoinedStr(values=[Constant(value='>'), FormattedValue(value=Name(id='w', ctx=Load()), conversion=-1)]))]))], type_ignores=[])"},
    {"x = U'a' u'b'",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='ab'))], type_ignores=[])"},
    {"type = match = case = _ = 1",
     "Module(body=[Assign(targets=[Name(id='type', ctx=Store()), Name(id='match', ctx=Store()), Name(id='case', ctx=Store()), Name(id='_', ctx=Store())], value=Constant(value=1))], type_ignores=[])"},
};
const Case kPositionCases[] = {
    {"(a) + (b)",
     "Module(body=[Expr(value=BinOp(left=Name(id='a', ctx=Load(), lineno=1, col_offset=1, end_lineno=1, end_col_offset=2), op=Add(), right=Name(id='b', ctx=Load(), lineno=1, col_offset=7, end_lineno=1, end_col_offset=8), lineno=1, col_offset=0, end_lineno=1, end_col_offset=9), lineno=1, col_offset=0, end_lineno=1, end_col_offset=9)], type_ignores=[])"},
    {"x = (1)",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=Constant(value=1, lineno=1, col_offset=5, end_lineno=1, end_col_offset=6), lineno=1, col_offset=0, end_lineno=1, end_col_offset=7)], type_ignores=[])"},
    {"f((a), b)",
     "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), args=[Name(id='a', ctx=Load(), lineno=1, col_offset=3, end_lineno=1, end_col_offset=4), Name(id='b', ctx=Load(), lineno=1, col_offset=7, end_lineno=1, end_col_offset=8)], keywords=[], lineno=1, col_offset=0, end_lineno=1, end_col_offset=9), lineno=1, col_offset=0, end_lineno=1, end_col_offset=9)], type_ignores=[])"},
    {"a[:]",
     "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), slice=Slice(lineno=1, col_offset=2, end_lineno=1, end_col_offset=3), ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=4), lineno=1, col_offset=0, end_lineno=1, end_col_offset=4)], type_ignores=[])"},
    {"if x:\n    y = 1;\n",
     "Module(body=[If(test=Name(id='x', ctx=Load(), lineno=1, col_offset=3, end_lineno=1, end_col_offset=4), body=[Assign(targets=[Name(id='y', ctx=Store(), lineno=2, col_offset=4, end_lineno=2, end_col_offset=5)], value=Constant(value=1, lineno=2, col_offset=8, end_lineno=2, end_col_offset=9), lineno=2, col_offset=4, end_lineno=2, end_col_offset=9)], orelse=[], lineno=1, col_offset=0, end_lineno=2, end_col_offset=10)], type_ignores=[])"},
    {"def f(a: int = 1, *b: str, **c): pass",
     "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[arg(arg='a', annotation=Name(id='int', ctx=Load(), lineno=1, col_offset=9, end_lineno=1, end_col_offset=12), lineno=1, col_offset=6, end_lineno=1, end_col_offset=12)], vararg=arg(arg='b', annotation=Name(id='str', ctx=Load(), lineno=1, col_offset=22, end_lineno=1, end_col_offset=25), lineno=1, col_offset=19, end_lineno=1, end_col_offset=25), kwonlyargs=[], kw_defaults=[], kwarg=arg(arg='c', lineno=1, col_offset=29, end_lineno=1, end_col_offset=30), defaults=[Constant(value=1, lineno=1, col_offset=15, end_lineno=1, end_col_offset=16)]), body=[Pass(lineno=1, col_offset=33, end_lineno=1, end_col_offset=37)], decorator_list=[], lineno=1, col_offset=0, end_lineno=1, end_col_offset=37)], type_ignores=[])"},
    {"@d\nasync def f(): pass",
     "Module(body=[AsyncFunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Pass(lineno=2, col_offset=15, end_lineno=2, end_col_offset=19)], decorator_list=[Name(id='d', ctx=Load(), lineno=1, col_offset=1, end_lineno=1, end_col_offset=2)], lineno=2, col_offset=0, end_lineno=2, end_col_offset=19)], type_ignores=[])"},
    {"f'{a, b}' f'{x}'",
     "Module(body=[Expr(value=JoinedStr(values=[FormattedValue(value=Tuple(elts=[Name(id='a', ctx=Load(), lineno=1, col_offset=3, end_lineno=1, end_col_offset=4), Name(id='b', ctx=Load(), lineno=1, col_offset=6, end_lineno=1, end_col_offset=7)], ctx=Load(), lineno=1, col_offset=2, end_lineno=1, end_col_offset=8), conversion=-1, lineno=1, col_offset=0, end_lineno=1, end_col_offset=16), FormattedValue(value=Name(id='x', ctx=Load(), lineno=1, col_offset=13, end_lineno=1, end_col_offset=14), conversion=-1, lineno=1, col_offset=0, end_lineno=1, end_col_offset=16)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=16), lineno=1, col_offset=0, end_lineno=1, end_col_offset=16)], type_ignores=[])"},
    {"x = f'''a\n  {b}'''",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=JoinedStr(values=[Constant(value='a\\n  ', lineno=1, col_offset=4, end_lineno=2, end_col_offset=8), FormattedValue(value=Name(id='b', ctx=Load(), lineno=2, col_offset=3, end_lineno=2, end_col_offset=4), conversion=-1, lineno=1, col_offset=4, end_lineno=2, end_col_offset=8)], lineno=1, col_offset=4, end_lineno=2, end_col_offset=8), lineno=1, col_offset=0, end_lineno=2, end_col_offset=8)], type_ignores=[])"},
    {"for x, in y: pass",
     "Module(body=[For(target=Tuple(elts=[Name(id='x', ctx=Store(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=5)], ctx=Store(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=6), iter=Name(id='y', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, end_col_offset=11), body=[Pass(lineno=1, col_offset=13, end_lineno=1, end_col_offset=17)], orelse=[], lineno=1, col_offset=0, end_lineno=1, end_col_offset=17)], type_ignores=[])"},
    {"x[1,]",
     "Module(body=[Expr(value=Subscript(value=Name(id='x', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), slice=Tuple(elts=[Constant(value=1, lineno=1, col_offset=2, end_lineno=1, end_col_offset=3)], ctx=Load(), lineno=1, col_offset=2, end_lineno=1, end_col_offset=4), ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=5), lineno=1, col_offset=0, end_lineno=1, end_col_offset=5)], type_ignores=[])"},
    {"f(**k)",
     "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), args=[], keywords=[keyword(value=Name(id='k', ctx=Load(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=5), lineno=1, col_offset=2, end_lineno=1, end_col_offset=5)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=6), lineno=1, col_offset=0, end_lineno=1, end_col_offset=6)], type_ignores=[])"},
    {"class A: pass",
     "Module(body=[ClassDef(name='A', bases=[], keywords=[], body=[Pass(lineno=1, col_offset=9, end_lineno=1, end_col_offset=13)], decorator_list=[], lineno=1, col_offset=0, end_lineno=1, end_col_offset=13)], type_ignores=[])"},
    {"try:\n  pass\nexcept E as e:\n  pass\nfinally:\n  z",
     "Module(body=[Try(body=[Pass(lineno=2, col_offset=2, end_lineno=2, end_col_offset=6)], handlers=[ExceptHandler(type=Name(id='E', ctx=Load(), lineno=3, col_offset=7, end_lineno=3, end_col_offset=8), name='e', body=[Pass(lineno=4, col_offset=2, end_lineno=4, end_col_offset=6)], lineno=3, col_offset=0, end_lineno=4, end_col_offset=6)], orelse=[], finalbody=[Expr(value=Name(id='z', ctx=Load(), lineno=6, col_offset=2, end_lineno=6, end_col_offset=3), lineno=6, col_offset=2, end_lineno=6, end_col_offset=3)], lineno=1, col_offset=0, end_lineno=6, end_col_offset=3)], type_ignores=[])"},
    {"def f():\n    x = 1; pass; del x;\n",
     "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=2, col_offset=4, end_lineno=2, end_col_offset=5)], value=Constant(value=1, lineno=2, col_offset=8, end_lineno=2, end_col_offset=9), lineno=2, col_offset=4, end_lineno=2, end_col_offset=9), Pass(lineno=2, col_offset=11, end_lineno=2, end_col_offset=15), Delete(targets=[Name(id='x', ctx=Del(), lineno=2, col_offset=21, end_lineno=2, end_col_offset=22)], lineno=2, col_offset=17, end_lineno=2, end_col_offset=22)], decorator_list=[], lineno=1, col_offset=0, end_lineno=2, end_col_offset=23)], type_ignores=[])"},
    {"x = f\"{{x}} {x}\"",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=JoinedStr(values=[Constant(value='{x} ', lineno=1, col_offset=4, end_lineno=1, end_col_offset=16), FormattedValue(value=Name(id='x', ctx=Load(), lineno=1, col_offset=13, end_lineno=1, end_col_offset=14), conversion=-1, lineno=1, col_offset=4, end_lineno=1, end_col_offset=16)], lineno=1, col_offset=4, end_lineno=1, end_col_offset=16), lineno=1, col_offset=0, end_lineno=1, end_col_offset=16)], type_ignores=[])"},
    {"xx = f'ab{f\"{y}\"}'",
     "Module(body=[Assign(targets=[Name(id='xx', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=2)], value=JoinedStr(values=[Constant(value='ab', lineno=1, col_offset=5, end_lineno=1, end_col_offset=18), FormattedValue(value=JoinedStr(values=[FormattedValue(value=Name(id='y', ctx=Load(), lineno=1, col_offset=13, end_lineno=1, end_col_offset=14), conversion=-1, lineno=1, col_offset=10, end_lineno=1, end_col_offset=16)], lineno=1, col_offset=10, end_lineno=1, end_col_offset=16), conversion=-1, lineno=1, col_offset=5, end_lineno=1, end_col_offset=18)], lineno=1, col_offset=5, end_lineno=1, end_col_offset=18), lineno=1, col_offset=0, end_lineno=1, end_col_offset=18)], type_ignores=[])"},
    {"with (a as b, c):\n    pass",
     "Module(body=[With(items=[withitem(context_expr=Name(id='a', ctx=Load(), lineno=1, col_offset=6, end_lineno=1, end_col_offset=7), optional_vars=Name(id='b', ctx=Store(), lineno=1, col_offset=11, end_lineno=1, end_col_offset=12)), withitem(context_expr=Name(id='c', ctx=Load(), lineno=1, col_offset=14, end_lineno=1, end_col_offset=15))], body=[Pass(lineno=2, col_offset=4, end_lineno=2, end_col_offset=8)], lineno=1, col_offset=0, end_lineno=2, end_col_offset=8)], type_ignores=[])"},
    {"match p:\n    case {'k': [1, *r]} | C(a, b=2) as z if z:\n        pass",
     "Module(body=[Match(subject=Name(id='p', ctx=Load(), lineno=1, col_offset=6, end_lineno=1, end_col_offset=7), cases=[match_case(pattern=MatchAs(pattern=MatchOr(patterns=[MatchMapping(keys=[Constant(value='k', lineno=2, col_offset=10, end_lineno=2, end_col_offset=13)], patterns=[MatchSequence(patterns=[MatchValue(value=Constant(value=1, lineno=2, col_offset=16, end_lineno=2, end_col_offset=17), lineno=2, col_offset=16, end_lineno=2, end_col_offset=17), MatchStar(name='r', lineno=2, col_offset=19, end_lineno=2, end_col_offset=21)], lineno=2, col_offset=15, end_lineno=2, end_col_offset=22)], lineno=2, col_offset=9, end_lineno=2, end_col_offset=23), MatchClass(cls=Name(id='C', ctx=Load(), lineno=2, col_offset=26, end_lineno=2, end_col_offset=27), patterns=[MatchAs(name='a', lineno=2, col_offset=28, end_lineno=2, end_col_offset=29)], kwd_attrs=['b'], kwd_patterns=[MatchValue(value=Constant(value=2, lineno=2, col_offset=33, end_lineno=2, end_col_offset=34), lineno=2, col_offset=33, end_lineno=2, end_col_offset=34)], lineno=2, col_offset=26, end_lineno=2, end_col_offset=35)], lineno=2, col_offset=9, end_lineno=2, end_col_offset=35), name='z', lineno=2, col_offset=9, end_lineno=2, end_col_offset=40), guard=Name(id='z', ctx=Load(), lineno=2, col_offset=44, end_lineno=2, end_col_offset=45), body=[Pass(lineno=3, col_offset=8, end_lineno=3, end_col_offset=12)])], lineno=1, col_offset=0, end_lineno=3, end_col_offset=12)], type_ignores=[])"},
};
}  // namespace

TEST_CASE("trees have CPython's shapes", "[parser]") {
  if (!lexer_ready()) return;
  for (const auto& c : kShapeCases) {
    INFO(c.source);
    auto p = parse_text(c.source);
    REQUIRE(p.first_error() == "");
    CHECK(p.dump() == c.expected);
  }
}

TEST_CASE("nodes have CPython's positions", "[parser]") {
  if (!lexer_ready()) return;
  for (const auto& c : kPositionCases) {
    INFO(c.source);
    auto p = parse_text(c.source);
    REQUIRE(p.first_error() == "");
    CHECK(p.dump(true) == c.expected);
  }
}

TEST_CASE("f-string expressions get 3.11's shifted positions", "[parser]") {
  if (!lexer_ready()) return;
  // A token on the field's first line that ends on a later line is not shifted (col 2).
  auto p = parse_text("xx = f\"\"\"{ '''a\nb''' + c}\"\"\"\n");
  REQUIRE(p.ok());
  std::string d = p.dump(true);
  CHECK(d.find("BinOp(left=Constant(value='a\\nb', lineno=1, col_offset=2, end_lineno=2, "
               "end_col_offset=4)") != std::string::npos);
  // A tuple spans the virtual parentheses: the '{' and the '!'.
  auto q = parse_text("x = f\"{y, z!r}\"\n");
  REQUIRE(q.ok());
  CHECK(q.dump(true).find("Tuple(elts=[Name(id='y', ctx=Load(), lineno=1, col_offset=7") !=
        std::string::npos);
  CHECK(q.dump(true).find("ctx=Load(), lineno=1, col_offset=6, end_lineno=1, end_col_offset=12)") !=
        std::string::npos);
}

TEST_CASE("errors CPython 3.11 reports when parsing", "[parser]") {
  if (!lexer_ready()) return;
  const std::pair<const char*, const char*> cases[] = {
      {"f() = 1\n", "cannot assign to function call here"},
      {"1 = x\n", "cannot assign to literal"},
      {"True = 1\n", "cannot assign to True"},
      {"f() += 1\n", "'function call' is an illegal expression for augmented assignment"},
      {"a, b += 1\n", "'tuple' is an illegal expression"},
      {"del f()\n", "cannot delete function call"},
      {"del *a\n", "cannot delete starred"},
      {"for f() in x: pass\n", "cannot assign to function call"},
      {"with a as f(): pass\n", "cannot assign to function call"},
      {"[x for f() in y]\n", "cannot assign to function call"},
      {"(a.b := 1)\n", "cannot use assignment expressions with attribute"},
      {"a, b: int\n", "only single target (not tuple) can be annotated"},
      {"[a]: int\n", "only single target (not list) can be annotated"},
      {"f(): int\n", "illegal target for annotation"},
      {"f(a=1, b)\n", "positional argument follows keyword argument"},
      {"f(**a, b)\n", "positional argument follows keyword argument unpacking"},
      {"f(**a, *b)\n", "iterable argument unpacking follows keyword argument unpacking"},
      {"f(x for x in y, 1)\n", "generator expression must be parenthesized"},
      {"f(a.b=1)\n", "expression cannot contain assignment"},
      {"f(True=1)\n", "cannot assign to True"},
      {"def f(a=1, b): pass\n", "non-default argument follows default argument"},
      {"def f(*): pass\n", "named arguments must follow bare *"},
      {"def f(*, **k): pass\n", "named arguments must follow bare *"},
      {"def f(*a, *b): pass\n", "* argument may appear only once"},
      {"def f(**k, a): pass\n", "arguments cannot follow var-keyword argument"},
      {"def f(a, /, b, /): pass\n", "/ may appear only once"},
      {"def f(*a, /): pass\n", "/ must be ahead of *"},
      {"def f(*a=1): pass\n", "var-positional argument cannot have default value"},
      {"lambda a=1, b: 1\n", "non-default argument follows default argument"},
      {"[*a for a in b]\n", "iterable unpacking cannot be used in comprehension"},
      {"{**a for a in b}\n", "dict unpacking cannot be used in dict comprehension"},
      {"[a, b for a in c]\n", "did you forget parentheses around the comprehension target?"},
      {"x = 1 if 2\n", "expected 'else' after 'if' expression"},
      {"print \"x\"\n", "missing parentheses in call to 'print'"},
      {"(*a)\n", "cannot use starred expression here"},
      {"if x\n    pass\n", "expected ':'"},
      {"if x:\npass\n", "expected an indented block after 'if' statement on line 1"},
      {"x = 1\n  y = 2\n", "unexpected indent"},
      {"try:\n  pass\n", "expected 'except' or 'finally' block"},
      {"try:\n pass\nexcept* A: pass\nexcept B: pass\n", "cannot have both 'except' and 'except*'"},
      {"from a import b,\n", "trailing comma not allowed without surrounding parentheses"},
      {"x = b'a' 'b'\n", "cannot mix bytes and nonbytes literals"},
      {"match x:\n  case 1 + 2: pass\n", "imaginary number required in complex literal"},
      {"match x:\n  case P(a=1, b): pass\n", "positional patterns follow keyword patterns"},
      {"f\"{}\"\n", "f-string: empty expression not allowed"},
      {"f\"{*x}\"\n", "cannot use starred expression here"},
      {"f\"{x!z}\"\n", "invalid conversion character"},
      {"f\"{x:{y:{z}}}\"\n", "f-string: expressions nested too deeply"},
      {"x.True = 1\n", "invalid syntax"},
      {"f(a, b c)\n", "invalid syntax. Perhaps you forgot a comma?"},
      {"def f(a=):\n  pass\n", "expected default value expression"},
      {"match x:\n  case _.y: pass\n", "expected ':'"},
      {"a b\n", "invalid syntax"},
  };
  for (const auto& [source, message] : cases) {
    INFO(source);
    auto p = parse_text(source);
    REQUIRE(!p.ok());
    CHECK(p.first_error().find(message) != std::string::npos);
  }
}

TEST_CASE("what CPython 3.11 accepts although the compiler would not", "[parser]") {
  if (!lexer_ready()) return;
  const char* cases[] = {
      "*a\n", "*a = 1\n", "a = *b\n", "return *a\n", "return\n", "break\n", "await x\n",
      "nonlocal x\n", "__debug__ = 1\n", "def f(a, a): pass\n", "f(a=1, a=2)\n",
      "a, *b, *c = x\n", "match(x)\n", "match = case = type = _ = 1\n", "(a): int\n",
      "with (a, *b): pass\n", "with (yield): pass\n", "f\"{yield}\"\n",
  };
  for (const char* source : cases) {
    INFO(source);
    CHECK(parse_text(source).first_error() == "");
  }
}

TEST_CASE("3.12 syntax is rejected in 3.11 mode only", "[parser]") {
  if (!lexer_ready()) return;
  const char* cases[] = {
      "type X = int\n",
      "type X[T] = list[T]\n",
      "def f[T: int, *Ts, **P](): pass\n",
      "class A[T]: pass\n",
      "f\"{x[\"a\"]}\"\n",
      "f\"{'\\n'}\"\n",
      "f\"{x!r }\"\n",
      "f\"{x:{y:{z}}}\"\n",
      "f'''{x # c\n}'''\n",
      "f\"{x\n}\"\n",
      "f\"{x:\n}\"\n",
      "f\"{x=\n}\"\n",
  };
  for (const char* source : cases) {
    INFO(source);
    CHECK(!parse_text(source, PythonVersion::Py311).ok());
    auto p = parse_text(source, PythonVersion::Py312);
    CHECK(p.first_error() == "");
  }
  // The comment is found in 3.11 mode whether or not the lexer keeps trivia.
  {
    std::vector<Diagnostic> diags;
    auto source = SourceBuffer::from_bytes("t.py", "f'''{x # c\n}'''\n", diags);
    REQUIRE(source);
    lex::LexOptions lex_options;
    lex_options.keep_trivia = false;
    auto tokens = lex::lex(*source, lex_options);
    ParseOptions options;
    options.version = PythonVersion::Py311;
    CHECK(!ivyc::parse::parse(tokens, options).errors.empty());
    options.version = PythonVersion::Py312;
    CHECK(ivyc::parse::parse(tokens, options).errors.empty());
  }
  auto p = parse_text("type X[T] = list[T]\n", PythonVersion::Py312);
  CHECK(p.dump() ==
        "Module(body=[TypeAlias(name=Name(id='X', ctx=Store()), type_params=[TypeVar(name='T')], "
        "value=Subscript(value=Name(id='list', ctx=Load()), slice=Name(id='T', ctx=Load()), "
        "ctx=Load()))], type_ignores=[])");
}

TEST_CASE("nesting is capped, as CPython caps it, without overflowing the stack", "[parser]") {
  if (!lexer_ready()) return;
  // CPython 3.11 (`python3.11 -c "import ast,sys; ast.parse(open(sys.argv[1],'rb').read())"`)
  // accepts 2988 nested unary minus, not 2989 (tests/parser/pyref.py measures it).
  CHECK(parse_text(std::string(2988, '-') + "x\n").ok());
  CHECK(!parse_text(std::string(2989, '-') + "x\n").ok());
  std::string plus = "x";
  for (int i = 0; i < 2989; ++i) plus += "+x";
  CHECK(!parse_text(plus + "\n").ok());
  // Far deeper input ends with an error, not a crash.
  for (const char* unit : {"-", "not ", "lambda: ", "a if b else ", "x**", "await ", "lambda x=",
                           "x if "}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += unit;
    auto p = parse_text(text + "x\n");
    CHECK(!p.ok());
  }
}

namespace {

// Every node and diagnostic lies inside the text, even after errors (tests/fuzz/fuzz_parse.cpp).
void check_ranges(const Parsed& p) {
  auto size = static_cast<uint32_t>(p.source->text().size());
  const Tree& tree = p.result.tree;
  for (NodeId id = 0; id < tree.size(); ++id) {
    INFO("node " << id << " " << node_kind_info(tree.kind(id)).name);
    CHECK(tree.node(id).begin <= size);
    CHECK(tree.node(id).end <= size);
  }
  for (const Diagnostic& d : p.result.errors) {
    INFO(d.message);
    CHECK(d.begin <= d.end);
    CHECK(d.end <= size);
  }
}

}  // namespace

TEST_CASE("nodes of an unterminated f-string field stay inside the text", "[parser]") {
  if (!lexer_ready()) return;
  // A tuple or generator field spans 3.11's virtual parentheses: the '{' and the character that
  // ends the expression, which the end of the file leaves out.
  for (const char* text : {"f'{0,", "f'{0, 1", "f'{x for x in y", "f'{a:{0,"}) {
    for (auto version : {PythonVersion::Py311, PythonVersion::Py312}) {
      INFO(text);
      auto p = parse_text(text, version);
      CHECK(!p.ok());
      check_ranges(p);
    }
  }
}

TEST_CASE("parsing always ends and recovers at statements", "[parser]") {
  if (!lexer_ready()) return;
  auto p = parse_text("x = (1 +\ny = 2\ndef f(:\n    pass\nz = 3\n");
  CHECK(!p.ok());
  std::mt19937 rng(7);
  const char* pieces[] = {"x", "(", ")", "[", "]", "{", "}", ":", ",", "=", "if", "else", "for",
                          "in", "lambda", "*", "**", "\n", "    ", "def", "class", "f\"{", "}\"",
                          "'", "1", ".", "async", "match", "case", "yield", "not", "@", ";"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    int n = static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      text += pieces[rng() % std::size(pieces)];
      text += ' ';
    }
    for (auto version : {PythonVersion::Py311, PythonVersion::Py312}) {
      auto q = parse_text(text, version);
      CHECK(q.result.tree.root != kNone);
      check_ranges(q);
    }
  }
}
