// Semantic analysis: scopes, what each name resolves to, import paths and aliases, classes. The
// expectations follow Python's semantics; where symtable has a say (local, global, free,
// parameter), they were checked with python3.11's `symtable` module.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "catch.h"
#include "ivyc/lex/token.h"
#include "ivyc/parse/parser.h"
#include "ivyc/sema/semantic_model.h"
#include "ivyc/source/source_buffer.h"

using namespace ivyc;
using namespace ivyc::sema;
using parse::NodeKind;

namespace {

constexpr int kNameId = parse::field_index(NodeKind::Name, "id");

struct Analyzed {
  std::unique_ptr<SourceBuffer> source;
  lex::TokenizedBuffer tokens;
  parse::ParseResult parsed;
  SemanticModel model;

  auto tree() const -> const parse::Tree& { return parsed.tree; }
  auto ok() const -> bool { return tokens.errors.empty() && parsed.errors.empty(); }

  // The nodes of `kind` in source order (the order of their start; outer before inner).
  auto nodes(NodeKind kind) const -> std::vector<NodeId> {
    std::vector<NodeId> out;
    for (NodeId n = 0; n < tree().size(); ++n) {
      if (tree().kind(n) == kind && parse::node_kind_info(kind).has_position) out.push_back(n);
    }
    std::stable_sort(out.begin(), out.end(), [&](NodeId a, NodeId b) {
      return tree().node(a).begin < tree().node(b).begin;
    });
    return out;
  }
  // The `nth` Name node spelled `id`, in source order.
  auto name(std::string_view id, size_t nth = 0) const -> NodeId {
    size_t seen = 0;
    for (NodeId n : nodes(NodeKind::Name)) {
      if (tree().string(tree().slot(n, kNameId)) != id) continue;
      if (seen++ == nth) return n;
    }
    FAIL("no Name " << id << " #" << nth);
    return kNone;
  }
  auto kind(std::string_view id, size_t nth = 0) const -> NameKind {
    return model.resolve(name(id, nth)).kind;
  }
  // The qualified name of the `nth` Name spelled `id`, "" when it has none.
  auto path(std::string_view id, size_t nth = 0) const -> std::string {
    return qualified(name(id, nth));
  }
  auto qualified(NodeId expr) const -> std::string {
    return model.qualified_name(tree(), expr).value_or("");
  }
  // The scope (kind) that holds the bindings of the `nth` Name `id`.
  auto target_scope(std::string_view id, size_t nth = 0) const -> ScopeId {
    SymbolId s = model.resolve(name(id, nth)).symbol;
    return s == kNone ? kNone : model.symbol(s).scope;
  }
  // The qualified name of the `nth` Attribute node whose text is `text`.
  auto attribute(std::string_view text, size_t nth = 0) const -> NodeId {
    size_t seen = 0;
    for (NodeId n : nodes(NodeKind::Attribute)) {
      const auto& node = tree().node(n);
      if (source->text().substr(node.begin, node.end - node.begin) != text) continue;
      if (seen++ == nth) return n;
    }
    FAIL("no Attribute " << text << " #" << nth);
    return kNone;
  }
  auto class_named(std::string_view name) const -> ClassId {
    for (ClassId c = 0; c < model.classes().size(); ++c) {
      if (model.text(model.scope(model.classes()[c].scope).name) == name) return c;
    }
    FAIL("no class " << name);
    return kNone;
  }
  auto render() const -> std::string { return render_bindings(model, tree(), *source); }
};

auto analyze_text(std::string text, parse::PythonVersion version = parse::PythonVersion::Py312)
    -> std::unique_ptr<Analyzed> {
  std::vector<Diagnostic> diags;
  auto source = SourceBuffer::from_bytes("t.py", std::move(text), diags);
  REQUIRE(source);
  auto out = std::make_unique<Analyzed>();
  out->source = std::make_unique<SourceBuffer>(std::move(*source));
  out->tokens = lex::lex(*out->source);
  parse::ParseOptions options;
  options.version = version;
  out->parsed = parse::parse(out->tokens, options);
  out->model = analyze(out->parsed.tree, *out->source);
  return out;
}

auto analyze_ok(std::string text) -> std::unique_ptr<Analyzed> {
  auto a = analyze_text(std::move(text));
  REQUIRE(a->ok());
  return a;
}

}  // namespace

TEST_CASE("sema: module, function, parameter, builtin, unresolved", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "x = 1\n"
      "def f(a, /, b, *c, d, **e):\n"
      "    y = a + b + x + len(c) + missing\n"
      "    return y, d, e, torch\n");
  CHECK(a->kind("torch", 0) == NameKind::Global);
  CHECK(a->kind("x", 0) == NameKind::Global);
  CHECK(a->kind("x", 1) == NameKind::Global);
  CHECK(a->kind("a") == NameKind::Parameter);
  CHECK(a->kind("b") == NameKind::Parameter);
  CHECK(a->kind("c") == NameKind::Parameter);
  CHECK(a->kind("d") == NameKind::Parameter);
  CHECK(a->kind("e") == NameKind::Parameter);
  CHECK(a->kind("y", 0) == NameKind::Local);
  CHECK(a->kind("y", 1) == NameKind::Local);
  CHECK(a->kind("len") == NameKind::Builtin);
  CHECK(a->kind("missing") == NameKind::Unresolved);
  CHECK(a->model.resolve(a->name("missing")).symbol == kNone);
  CHECK(a->kind("torch", 0) == NameKind::Global);
  CHECK(a->path("torch", 0) == "torch");
  CHECK(a->target_scope("x", 1) == a->model.module_scope());

  // Scopes: the module and f; the def's name is bound in the module.
  REQUIRE(a->model.scopes().size() == 2);
  CHECK(a->model.scope(1).kind == ScopeKind::Function);
  CHECK(a->model.text(a->model.scope(1).name) == "f");
  SymbolId f = a->model.find_symbol(0, "f");
  REQUIRE(f != kNone);
  REQUIRE(a->model.bindings_of(f).size() == 1);
  CHECK(a->model.bindings_of(f)[0].kind == BindingKind::FunctionDef);
  CHECK(a->model.scope_of(a->nodes(NodeKind::FunctionDef)[0]) == 1);
  CHECK(a->model.scope_at(a->name("len")) == 1);
}

TEST_CASE("sema: a builtin rebound at module level is global", "[sema]") {
  auto a = analyze_ok("len = 3\ndef f():\n    return len, print, __file__, __name__\n");
  CHECK(a->kind("len", 1) == NameKind::Global);
  CHECK(a->kind("print") == NameKind::Builtin);
  CHECK(a->kind("__file__") == NameKind::Builtin);
  CHECK(a->kind("__name__") == NameKind::Builtin);
}

TEST_CASE("sema: import paths", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "import torch.nn as nn\n"
      "import torch.nn.functional as F\n"
      "from torch import cat, Tensor\n"
      "from torch.nn import functional\n"
      "import numpy.linalg\n"
      "from jax import numpy as jnp\n"
      "from . import sibling\n"
      "from ..pkg.mod import thing as other\n"
      "from .. import up\n"
      "torch, nn, F, cat, Tensor, functional, numpy, jnp, sibling, other, up\n");
  CHECK(a->path("torch", 0) == "torch");
  CHECK(a->path("nn", 0) == "torch.nn");
  CHECK(a->path("F", 0) == "torch.nn.functional");
  CHECK(a->path("cat", 0) == "torch.cat");
  CHECK(a->path("Tensor", 0) == "torch.Tensor");
  CHECK(a->path("functional", 0) == "torch.nn.functional");
  CHECK(a->path("numpy", 0) == "numpy");  // `import numpy.linalg` binds numpy
  CHECK(a->path("jnp", 0) == "jax.numpy");
  CHECK(a->path("sibling", 0) == ".sibling");
  CHECK(a->path("other", 0) == "..pkg.mod.thing");
  CHECK(a->path("up", 0) == "..up");

  auto imports = a->model.imports();
  REQUIRE(imports.size() == 11);
  CHECK(a->model.text(imports[3].path) == "torch.cat");
  CHECK(imports[3].level == 0);
  CHECK(a->model.text(imports[9].path) == "..pkg.mod.thing");
  CHECK(imports[9].level == 2);
  CHECK(!a->model.has_star_import());

  // The alias nodes bind symbols with those paths.
  for (const Import& i : imports) {
    REQUIRE(i.symbol != kNone);
    CHECK(a->model.symbol_at(i.alias) == i.symbol);
    CHECK(a->model.path(i.symbol) == a->model.text(i.path));
  }
}

TEST_CASE("sema: qualified names of attribute chains", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "import torch.nn as nn\n"
      "import torch.nn\n"
      "import os.path\n"
      "def f(x):\n"
      "    y = nn.functional.relu(x)\n"
      "    z = torch.nn.functional.gelu(y)\n"
      "    return x.view(1), os.path.join, len(x).real, torch\n");
  CHECK(a->qualified(a->attribute("nn.functional.relu")) == "torch.nn.functional.relu");
  CHECK(a->qualified(a->attribute("nn.functional")) == "torch.nn.functional");
  CHECK(a->qualified(a->attribute("torch.nn.functional.gelu")) == "torch.nn.functional.gelu");
  CHECK(a->qualified(a->attribute("os.path.join")) == "os.path.join");
  CHECK(a->qualified(a->attribute("x.view")).empty());   // a parameter
  CHECK(a->qualified(a->attribute("len(x).real")).empty());  // not a chain of names
  CHECK(a->path("torch", 1) == "torch");
  CHECK(a->path("x", 0).empty());
  CHECK(!a->model.qualified_name(a->tree(), kNone));
}

TEST_CASE("sema: shadowing an import", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "import torch.nn.functional as F\n"
      "def f(torch):\n"
      "    return torch.relu\n"
      "def g(x):\n"
      "    F = x\n"
      "    return F.relu(x)\n"
      "def h(x):\n"
      "    return F.relu(x)\n"
      "lam = lambda torch: torch.tanh\n"
      "comp = [torch.abs for torch in range(3)]\n");
  CHECK(a->kind("torch", 0) == NameKind::Parameter);
  CHECK(a->qualified(a->attribute("torch.relu")).empty());
  CHECK(a->kind("F", 1) == NameKind::Local);
  CHECK(a->qualified(a->attribute("F.relu", 0)).empty());
  CHECK(a->kind("F", 2) == NameKind::Global);
  CHECK(a->qualified(a->attribute("F.relu", 1)) == "torch.nn.functional.relu");
  CHECK(a->kind("torch", 1) == NameKind::Parameter);  // the lambda's
  CHECK(a->qualified(a->attribute("torch.tanh")).empty());
  CHECK(a->kind("torch", 2) == NameKind::Local);  // the comprehension's variable
  CHECK(a->qualified(a->attribute("torch.abs")).empty());
}

TEST_CASE("sema: local aliases of import paths", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "import torch.nn as nn\n"
      "act = torch.relu\n"
      "F = nn.functional\n"
      "gelu = F.gelu\n"
      "Tensor = torch.Tensor\n"
      "twice = torch.tanh\n"
      "twice = torch.sigmoid\n"
      "same = torch.exp\n"
      "same = torch.exp\n"
      "a, b = torch.sin, torch.cos\n"
      "c, *d = torch.sin, torch.cos\n"
      "e = f = torch.log\n"
      "g: object = torch.sqrt\n"
      "if (h := torch.erf):\n"
      "    pass\n"
      "notalias = torch.relu(1)\n"
      "aug = torch.relu\n"
      "aug += 1\n"
      "cyc1 = cyc2\n"
      "cyc2 = cyc1\n"
      "def use():\n"
      "    local = F.silu\n"
      "    return act, gelu, Tensor, twice, same, a, b, c, e, f, g, h, notalias, aug, local,\\\n"
      "        cyc1, local.x\n");
  CHECK(a->path("act", 1) == "torch.relu");
  CHECK(a->path("F", 1) == "torch.nn.functional");
  CHECK(a->path("gelu", 1) == "torch.nn.functional.gelu");
  CHECK(a->path("Tensor", 1) == "torch.Tensor");
  CHECK(a->path("twice", 2).empty());  // assigned twice with different values
  CHECK(a->path("same", 2) == "torch.exp");
  CHECK(a->path("a", 1) == "torch.sin");
  CHECK(a->path("b", 1) == "torch.cos");
  CHECK(a->path("c", 1).empty());  // a starred target: no element-wise pairing
  CHECK(a->path("e", 1) == "torch.log");
  CHECK(a->path("f", 1) == "torch.log");
  CHECK(a->path("g", 1) == "torch.sqrt");
  CHECK(a->path("h", 1) == "torch.erf");
  CHECK(a->path("notalias", 1).empty());
  CHECK(a->path("aug", 2).empty());
  CHECK(a->path("local", 1) == "torch.nn.functional.silu");
  CHECK(a->qualified(a->attribute("local.x")) == "torch.nn.functional.silu.x");
  CHECK(a->path("cyc1", 2).empty());
}

TEST_CASE("sema: an alias rebound through global is not an alias", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "act = torch.relu\n"
      "def configure():\n"
      "    global act\n"
      "    act = torch.tanh\n"
      "def use():\n"
      "    return act\n");
  CHECK(a->kind("act", 1) == NameKind::Global);
  CHECK(a->kind("act", 2) == NameKind::Global);
  CHECK(a->path("act", 2).empty());
  SymbolId module_act = a->model.find_symbol(0, "act");
  CHECK(a->model.bindings_of(module_act).size() == 2);
  CHECK(a->model.symbol(module_act).flags & kSymBoundElsewhere);
}

TEST_CASE("sema: import inside try/except and conditional import", "[sema]") {
  auto a = analyze_ok(
      "try:\n"
      "    import numpy as np\n"
      "except ImportError:\n"
      "    np = None\n"
      "if True:\n"
      "    import jax\n"
      "np, jax\n");
  // np has two values: not an import path. jax is bound once (conditionally): it is jax.
  CHECK(a->path("np", 1).empty());
  CHECK(a->path("jax", 0) == "jax");
}

TEST_CASE("sema: class scopes are skipped by nested functions", "[sema]") {
  // symtable: in m, `v` is global; in the class body, local; in the class-level comprehension,
  // the first iterable is the class's and the element is global.
  auto a = analyze_ok(
      "v = 0\n"
      "class C:\n"
      "    v = 1\n"
      "    w = v\n"
      "    xs = [v for _ in v]\n"
      "    def m(self):\n"
      "        return v\n"
      "    def n(self):\n"
      "        return w\n");
  CHECK(a->kind("v", 1) == NameKind::Local);
  CHECK(a->target_scope("v", 1) == a->model.scope_of(a->nodes(NodeKind::ClassDef)[0]));
  CHECK(a->kind("v", 2) == NameKind::Local);  // `w = v` in the class
  CHECK(a->kind("v", 3) == NameKind::Global);  // the comprehension's element
  CHECK(a->target_scope("v", 3) == 0);
  CHECK(a->kind("v", 4) == NameKind::Local);  // the first iterable, in the class scope
  CHECK(a->kind("v", 5) == NameKind::Global);  // in m
  CHECK(a->target_scope("v", 5) == 0);
  CHECK(a->kind("w", 1) == NameKind::Unresolved);  // n cannot see the class's w
}

TEST_CASE("sema: free variables and closures", "[sema]") {
  auto a = analyze_ok(
      "def outer(p):\n"
      "    q = 1\n"
      "    def inner():\n"
      "        def innermost():\n"
      "            return p, q, r\n"
      "        return q\n"
      "    class K:\n"
      "        q = 2\n"
      "        s = p\n"
      "        def m(self):\n"
      "            return q\n"
      "    return inner\n");
  CHECK(a->kind("p", 0) == NameKind::Free);  // in innermost
  CHECK(a->kind("q", 1) == NameKind::Free);
  CHECK(a->kind("r") == NameKind::Unresolved);
  CHECK(a->kind("q", 2) == NameKind::Free);  // in inner
  CHECK(a->kind("q", 3) == NameKind::Local);  // K's own q
  CHECK(a->kind("p", 1) == NameKind::Free);  // a class body sees the function's p
  CHECK(a->kind("q", 4) == NameKind::Free);  // m skips K's q: outer's
  SymbolId outer_q = a->model.resolve(a->name("q", 4)).symbol;
  CHECK(outer_q == a->model.symbol_at(a->name("q", 0)));
  CHECK(a->model.symbol(a->model.resolve(a->name("p", 0)).symbol).kind == NameKind::Parameter);
}

TEST_CASE("sema: global and nonlocal", "[sema]") {
  auto a = analyze_ok(
      "counter = 0\n"
      "def bump():\n"
      "    global counter, created\n"
      "    counter += 1\n"
      "    created = True\n"
      "def make():\n"
      "    total = 0\n"
      "    def add(n):\n"
      "        nonlocal total\n"
      "        total += n\n"
      "        return total\n"
      "    def read():\n"
      "        return total\n"
      "    return add\n"
      "def uses():\n"
      "    return created\n");
  CHECK(a->kind("counter", 1) == NameKind::Global);  // counter += 1
  CHECK(a->target_scope("counter", 1) == 0);
  CHECK(a->kind("created", 0) == NameKind::Global);
  CHECK(a->kind("created", 1) == NameKind::Global);  // bound at module level through `global`
  SymbolId created = a->model.find_symbol(0, "created");
  REQUIRE(created != kNone);
  CHECK(a->model.bindings_of(created).size() == 1);
  CHECK(a->model.bindings_of(created)[0].scope == 1);
  CHECK(a->kind("total", 1) == NameKind::Free);  // total += n
  CHECK(a->kind("total", 2) == NameKind::Free);
  CHECK(a->kind("total", 3) == NameKind::Free);  // in read
  SymbolId make_total = a->model.symbol_at(a->name("total", 0));
  CHECK(a->model.resolve(a->name("total", 1)).symbol == make_total);
  CHECK(a->model.bindings_of(make_total).size() == 2);  // `total = 0` and `total += n`
  CHECK(a->model.symbol(make_total).flags & kSymBoundElsewhere);
}

TEST_CASE("sema: a global declared in an enclosing function", "[sema]") {
  auto a = analyze_ok(
      "def f():\n"
      "    global g\n"
      "    g = 1\n"
      "    def h():\n"
      "        return g\n"
      "    return h\n");
  CHECK(a->kind("g", 1) == NameKind::Global);
  CHECK(a->target_scope("g", 1) == 0);
}

TEST_CASE("sema: comprehension scopes", "[sema]") {
  auto a = analyze_ok(
      "def f(xs, ys):\n"
      "    a = [x * y for x in xs if x for y in ys]\n"
      "    b = {k: v for k, v in xs}\n"
      "    c = (x for x in x)\n"
      "    return x\n");
  CHECK(a->kind("x", 0) == NameKind::Local);  // the element, in the comprehension
  CHECK(a->kind("y", 0) == NameKind::Local);
  CHECK(a->kind("xs", 0) == NameKind::Parameter);  // first iterable: f's
  CHECK(a->kind("ys", 0) == NameKind::Free);  // second iterable: in the comprehension, free
  CHECK(a->kind("k", 0) == NameKind::Local);
  ScopeId comp = a->model.scope_at(a->name("x", 0));
  CHECK(a->model.scope(comp).kind == ScopeKind::Comprehension);
  CHECK(a->model.text(a->model.scope(comp).name) == "<listcomp>");
  // `(x for x in x)`: the element and target are the generator's, the iterable is f's.
  CHECK(a->kind("x", 3) == NameKind::Local);
  CHECK(a->kind("x", 4) == NameKind::Local);
  CHECK(a->model.scope(a->model.scope_at(a->name("x", 4))).kind == ScopeKind::Comprehension);
  CHECK(a->kind("x", 5) == NameKind::Unresolved);  // `in x`, evaluated in f, bound nowhere
  CHECK(a->model.scope_at(a->name("x", 5)) == 1);
  CHECK(a->kind("x", 6) == NameKind::Unresolved);  // `return x`: comprehensions do not leak
  CHECK(a->model.scopes().size() == 5);
}

TEST_CASE("sema: walrus in a comprehension binds in the enclosing scope", "[sema]") {
  auto a = analyze_ok(
      "def f(xs):\n"
      "    ys = [last := x for x in xs]\n"
      "    return last\n"
      "zs = [[(m := i) for i in r] for r in range(3)]\n"
      "m\n");
  CHECK(a->kind("last", 0) == NameKind::Free);
  CHECK(a->kind("last", 1) == NameKind::Local);
  CHECK(a->model.resolve(a->name("last", 0)).symbol == a->model.symbol_at(a->name("last", 1)));
  CHECK(a->kind("m", 0) == NameKind::Global);  // two comprehensions deep, at module level
  CHECK(a->kind("m", 1) == NameKind::Global);
  SymbolId module_m = a->model.find_symbol(0, "m");
  REQUIRE(a->model.bindings_of(module_m).size() == 1);
  CHECK(a->model.bindings_of(module_m)[0].kind == BindingKind::NamedExpr);
}

TEST_CASE("sema: bindings by every kind of target", "[sema]") {
  auto a = analyze_ok(
      "def f(cm, it, subj):\n"
      "    t1, (t2, *t3) = it\n"
      "    [t4, t5] = it\n"
      "    for i, j in it: pass\n"
      "    with cm as w1, cm as (w2, w3): pass\n"
      "    try: pass\n"
      "    except Exception as err: pass\n"
      "    import os.path as osp\n"
      "    from os import sep\n"
      "    def g(): pass\n"
      "    class K: pass\n"
      "    match subj:\n"
      "        case [m1, *m2]: pass\n"
      "        case {'k': m3, **m4}: pass\n"
      "        case K(m5) | K(m5) as m6: pass\n"
      "    ann: int\n"
      "    ann2: int = 3\n"
      "    aug = 0\n"
      "    aug += 1\n"
      "    del t1\n"
      "    (walrus := 1)\n");
  struct Expect {
    const char* name;
    BindingKind kind;
  };
  const Expect expected[] = {
      {"t1", BindingKind::Assign}, {"t2", BindingKind::Assign}, {"t3", BindingKind::Assign},
      {"t4", BindingKind::Assign}, {"t5", BindingKind::Assign}, {"i", BindingKind::For},
      {"j", BindingKind::For}, {"w1", BindingKind::With}, {"w2", BindingKind::With},
      {"w3", BindingKind::With}, {"err", BindingKind::Except}, {"osp", BindingKind::Import},
      {"sep", BindingKind::ImportFrom}, {"g", BindingKind::FunctionDef},
      {"K", BindingKind::ClassDef}, {"m1", BindingKind::MatchCapture},
      {"m2", BindingKind::MatchCapture}, {"m3", BindingKind::MatchCapture},
      {"m4", BindingKind::MatchCapture}, {"m5", BindingKind::MatchCapture},
      {"m6", BindingKind::MatchCapture}, {"ann", BindingKind::Annotation},
      {"ann2", BindingKind::AnnAssign}, {"aug", BindingKind::Assign},
      {"walrus", BindingKind::NamedExpr},
  };
  ScopeId f = 1;
  for (const Expect& e : expected) {
    INFO(e.name);
    SymbolId s = a->model.find_symbol(f, e.name);
    REQUIRE(s != kNone);
    CHECK(a->model.symbol(s).kind == NameKind::Local);
    REQUIRE(!a->model.bindings_of(s).empty());
    CHECK(a->model.bindings_of(s)[0].kind == e.kind);
  }
  SymbolId t1 = a->model.find_symbol(f, "t1");
  REQUIRE(a->model.bindings_of(t1).size() == 2);
  CHECK(a->model.bindings_of(t1)[1].kind == BindingKind::Delete);
  CHECK(a->model.symbol(t1).flags & kSymDeleted);
  SymbolId aug = a->model.find_symbol(f, "aug");
  REQUIRE(a->model.bindings_of(aug).size() == 2);
  CHECK(a->model.bindings_of(aug)[1].kind == BindingKind::AugAssign);
  CHECK(a->model.bindings_of(a->model.find_symbol(f, "m5")).size() == 2);
  CHECK(a->model.symbol(a->model.find_symbol(f, "osp")).path != kNone);
  CHECK(*a->model.path(a->model.find_symbol(f, "osp")) == "os.path");
  CHECK(a->kind("K", 1) == NameKind::Local);  // the class pattern's K is f's class
  CHECK(a->kind("Exception") == NameKind::Builtin);
  // Nothing else leaked into the module.
  CHECK(a->model.symbols_of(0).size() == 1);
}

TEST_CASE("sema: annotations", "[sema]") {
  // symtable: `y: int` makes y local to f; `(x): int` names nothing; `z.a: int` uses z.
  auto a = analyze_ok(
      "y = 0\n"
      "def f():\n"
      "    (x): int\n"
      "    y: int\n"
      "    z.a: int\n"
      "    return y\n");
  CHECK(a->kind("y", 2) == NameKind::Local);
  CHECK(a->model.find_symbol(1, "x") == kNone);
  CHECK(a->kind("z") == NameKind::Unresolved);
  CHECK(a->kind("int", 0) == NameKind::Builtin);
  SymbolId y = a->model.find_symbol(1, "y");
  CHECK(a->model.symbol(y).flags & kSymAnnotated);
  CHECK(!(a->model.symbol(y).flags & kSymAssigned));
}

TEST_CASE("sema: where a def's parts are evaluated", "[sema]") {
  auto a = analyze_ok(
      "def deco(f): return f\n"
      "D = 1\n"
      "class C:\n"
      "    D = 2\n"
      "    T = int\n"
      "    @deco\n"
      "    def m(self, x: T = D) -> T:\n"
      "        return D\n"
      "    l = lambda q=D: q + D\n");
  // Decorators, defaults and annotations are evaluated in the class body; the body skips it.
  CHECK(a->kind("deco", 0) == NameKind::Global);
  CHECK(a->kind("T", 1) == NameKind::Local);
  CHECK(a->kind("D", 2) == NameKind::Local);  // default: the class's D
  CHECK(a->kind("T", 2) == NameKind::Local);  // return annotation
  CHECK(a->kind("D", 3) == NameKind::Global);  // in m's body
  CHECK(a->kind("D", 4) == NameKind::Local);  // the lambda's default
  CHECK(a->kind("D", 5) == NameKind::Global);  // the lambda's body
  CHECK(a->kind("q", 0) == NameKind::Parameter);
}

TEST_CASE("sema: type parameter scopes (3.12)", "[sema]") {
  auto a = analyze_ok(
      "def first[T](xs: list[T]) -> T:\n"
      "    return xs[0]\n"
      "class Box[U](Base[U]):\n"
      "    item: U\n"
      "type Pair[V] = tuple[V, V]\n"
      "type Alias = int\n");
  CHECK(a->kind("T", 1) == NameKind::Local);  // in the annotation, the type-param scope's T
  CHECK(a->model.scope(a->target_scope("T", 1)).kind == ScopeKind::TypeParams);
  CHECK(a->kind("U", 0) == NameKind::Local);
  CHECK(a->kind("U", 1) == NameKind::Free);  // in the class body
  CHECK(a->kind("V", 0) == NameKind::Free);  // in the alias value scope
  CHECK(a->kind("Pair") == NameKind::Global);
  CHECK(a->kind("Alias") == NameKind::Global);
  CHECK(a->kind("Base") == NameKind::Unresolved);
  CHECK(a->model.symbol(a->model.find_symbol(0, "first")).kind == NameKind::Global);
}

TEST_CASE("sema: classes: bases, methods, self attributes", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "import torch.nn as nn\n"
      "from torch.nn import Module\n"
      "class Base(nn.Module):\n"
      "    pass\n"
      "class Net(Base, Module, metaclass=type):\n"
      "    scale = 2\n"
      "    def __init__(self, n):\n"
      "        super().__init__()\n"
      "        self.fc = nn.Linear(n, n)\n"
      "        self.a, self.b = 1, 2\n"
      "        self.count: int = 0\n"
      "        self.count += 1\n"
      "        for self.i in range(n): pass\n"
      "        def helper():\n"
      "            self.from_closure = 1\n"
      "        def shadow(self):\n"
      "            self.not_mine = 1\n"
      "        other = self\n"
      "        other.not_tracked = 1\n"
      "        self.fc.weight = None\n"
      "        del self.a\n"
      "    def forward(me, x):\n"
      "        me.cache = x\n"
      "        return self_unbound.fc(x)\n"
      "    @staticmethod\n"
      "    def make(self):\n"
      "        self.nope = 1\n"
      "    @classmethod\n"
      "    def build(cls):\n"
      "        cls.registry = 1\n"
      "    @property\n"
      "    def size(self):\n"
      "        return self.fc\n"
      "    class Inner:\n"
      "        def __init__(self):\n"
      "            self.inner_attr = 1\n");
  ClassId base = a->class_named("Base");
  ClassId net = a->class_named("Net");
  ClassId inner = a->class_named("Inner");
  REQUIRE(a->model.bases(base).size() == 1);
  CHECK(a->model.text(a->model.bases(base)[0].path) == "torch.nn.Module");
  auto bases = a->model.bases(net);
  REQUIRE(bases.size() == 2);
  CHECK(bases[0].path == kNone);
  CHECK(bases[0].local == base);
  CHECK(a->model.text(bases[1].path) == "torch.nn.Module");
  CHECK(bases[1].local == kNone);

  auto methods = a->model.methods(net);
  REQUIRE(methods.size() == 5);
  CHECK(a->model.text(methods[0].name) == "__init__");
  CHECK(methods[0].kind == MethodKind::Regular);
  REQUIRE(methods[0].self != kNone);
  CHECK(a->model.text(a->model.symbol(methods[0].self).name) == "self");
  CHECK(a->model.text(a->model.symbol(methods[1].self).name) == "me");
  CHECK(methods[2].kind == MethodKind::Static);
  CHECK(methods[2].self == kNone);
  CHECK(methods[3].kind == MethodKind::Class);
  CHECK(methods[4].kind == MethodKind::Regular);  // a property
  CHECK(a->model.scope(methods[1].scope).kind == ScopeKind::Function);

  std::vector<std::string> names;
  for (const SelfAttribute& attr : a->model.attributes(net)) {
    names.emplace_back(a->model.text(attr.name));
  }
  CHECK(names == std::vector<std::string>{"fc", "a", "b", "count", "i", "from_closure", "cache"});
  const SelfAttribute& count = a->model.attributes(net)[3];
  CHECK(a->model.attribute_sites(count).size() == 2);  // `self.count: int = 0`, `+= 1`
  const SelfAttribute& fc = a->model.attributes(net)[0];
  REQUIRE(a->model.attribute_sites(fc).size() == 1);
  CHECK(a->model.attribute_sites(fc)[0] == a->attribute("self.fc", 0));

  REQUIRE(a->model.attributes(inner).size() == 1);
  CHECK(a->model.text(a->model.attributes(inner)[0].name) == "inner_attr");
  CHECK(a->model.attributes(base).empty());
  CHECK(a->model.class_at(a->nodes(NodeKind::ClassDef)[1]) == net);
  CHECK(a->model.class_at(a->nodes(NodeKind::FunctionDef)[0]) == kNone);
}

TEST_CASE("sema: a class base that is an alias, and a shadowed staticmethod", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "Module = torch.nn.Module\n"
      "def staticmethod(f): return f\n"
      "class Net(Module):\n"
      "    @staticmethod\n"
      "    def m(self):\n"
      "        self.x = 1\n");
  ClassId net = a->class_named("Net");
  CHECK(a->model.text(a->model.bases(net)[0].path) == "torch.nn.Module");
  REQUIRE(a->model.methods(net).size() == 1);
  CHECK(a->model.methods(net)[0].kind == MethodKind::Regular);  // not the builtin
  CHECK(a->model.attributes(net).size() == 1);
}

TEST_CASE("sema: star imports are recorded", "[sema]") {
  auto a = analyze_ok("from torch.nn import *\nLinear\n");
  CHECK(a->model.has_star_import());
  REQUIRE(a->model.imports().size() == 1);
  CHECK(a->model.imports()[0].star);
  CHECK(a->model.text(a->model.imports()[0].path) == "torch.nn");
  CHECK(a->kind("Linear") == NameKind::Unresolved);
}

TEST_CASE("sema: the rendering", "[sema]") {
  auto a = analyze_ok(
      "import torch.nn as nn\n"
      "class Net(nn.Module):\n"
      "    def forward(self, x):\n"
      "        self.y = x\n"
      "        return nn.functional.relu(x)\n");
  CHECK(a->render() ==
        "scope 0 module <module>\n"
        "  nn: global [used,imported] = torch.nn bindings 1:7 import\n"
        "  Net: global [assigned] bindings 2:0 class\n"
        "scope 1 class Net @2:0 parent 0\n"
        "  forward: local [assigned] bindings 3:4 def\n"
        "scope 2 function forward @3:4 parent 1\n"
        "  self: parameter [used,parameter] bindings 3:16 parameter\n"
        "  x: parameter [used,parameter] bindings 3:22 parameter\n"
        "  nn: global [used] -> scope 0 = torch.nn\n"
        "class Net @2:0 scope 1\n"
        "  base 2:10 = torch.nn.Module\n"
        "  method forward regular self\n"
        "  attribute y 4:8\n"
        "names\n"
        "  2:10 nn load global = torch.nn\n"
        "  4:8 self load parameter\n"
        "  4:17 x load parameter\n"
        "  5:15 nn load global -> scope 0 = torch.nn\n"
        "  5:34 x load parameter\n");
}

TEST_CASE("sema: deep trees do not overflow the stack", "[sema]") {
  // The deepest expressions the parser accepts, and far longer flat inputs.
  auto a = analyze_text(std::string(2988, '-') + "x\n");
  CHECK(a->ok());
  CHECK(a->kind("x") == NameKind::Unresolved);

  std::string lambdas;
  for (int i = 0; i < 1400; ++i) lambdas += "lambda: ";
  auto b = analyze_text("y = 1\nf = " + lambdas + "y\n");
  CHECK(b->kind("y", 1) == NameKind::Global);

  std::string chain = "import torch\nz = torch";
  for (int i = 0; i < 2000; ++i) chain += ".a";
  auto c = analyze_text(chain + "\n");
  REQUIRE(c->ok());
  CHECK(c->path("z").size() == 5 + 2 * 2000);

  // A long chain of aliases, each defined from the one before.
  std::string aliases = "import torch\na0 = torch\n";
  for (int i = 1; i < 20000; ++i) {
    aliases += 'a';
    aliases += std::to_string(i);
    aliases += " = a";
    aliases += std::to_string(i - 1);
    aliases += '\n';
  }
  aliases += "a19999\n";
  auto d = analyze_text(aliases);
  CHECK(d->path("a19999", 1) == "torch");
  // ... and defined in the reverse order (the first assignment depends on the last).
  std::string reversed = "import torch\n";
  for (int i = 1; i < 20000; ++i) {
    reversed += 'b';
    reversed += std::to_string(i);
    reversed += " = b";
    reversed += std::to_string(i + 1);
    reversed += '\n';
  }
  reversed += "b20000 = torch\n";
  auto e = analyze_text(reversed);
  CHECK(e->path("b1") == "torch");

  // CPython's tokenizer allows 100 levels of indentation.
  std::string nested_defs;
  for (int i = 0; i < 98; ++i) {
    nested_defs.append(static_cast<size_t>(i), ' ');
    nested_defs += "def f";
    nested_defs += std::to_string(i);
    nested_defs += "(p";
    nested_defs += std::to_string(i);
    nested_defs += "):\n";
  }
  nested_defs += std::string(98, ' ') + "return p0, f0\n";
  auto g = analyze_text(nested_defs);
  REQUIRE(g->ok());
  CHECK(g->kind("p0") == NameKind::Free);
  CHECK(g->kind("f0") == NameKind::Global);
}

TEST_CASE("sema: any tree the parser produces, errors included", "[sema]") {
  std::mt19937 rng(11);
  const char* pieces[] = {"x", "(", ")", "[", "]", "{", "}", ":", ",", "=", "if", "else", "for",
                          "in", "lambda", "*", "**", "\n", "    ", "def", "class", "f\"{", "}\"",
                          "'", "1", ".", "async", "match", "case", "yield", "not", "@", ";",
                          "global", "nonlocal", "import", "from", "as", "del", ":=", "self",
                          "type", "[T]", "del", "with", "except", "try"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      text += pieces[rng() % std::size(pieces)];
      text += ' ';
    }
    for (auto version : {parse::PythonVersion::Py311, parse::PythonVersion::Py312}) {
      auto a = analyze_text(text, version);
      // Every Name visited has a symbol; rendering touches every part of the model.
      CHECK(!a->render().empty());
    }
  }
}

TEST_CASE("sema: private names are mangled in classes", "[sema]") {
  // symtable: in C, `__secret` is `_C__secret`; m's `__secret` is the module's `_C__secret`.
  auto a = analyze_ok(
      "_C__secret = 1\n"
      "class _C:\n"
      "    __x = 1\n"
      "    __dunder__ = 2\n"
      "    def m(self, __p):\n"
      "        return __secret, __p, __x\n"
      "def outside():\n"
      "    return __secret\n");
  ScopeId cls = a->model.scope_of(a->nodes(NodeKind::ClassDef)[0]);
  CHECK(a->model.find_symbol(cls, "_C__x") != kNone);
  CHECK(a->model.find_symbol(cls, "__dunder__") != kNone);
  CHECK(a->kind("__secret", 0) == NameKind::Global);
  CHECK(a->target_scope("__secret", 0) == 0);
  CHECK(a->kind("__p") == NameKind::Parameter);
  CHECK(a->kind("__x", 1) == NameKind::Unresolved);  // `_C__x` is the class's: skipped
  CHECK(a->kind("__secret", 1) == NameKind::Unresolved);  // not mangled outside the class
}

TEST_CASE("sema: async forms, lambdas and a nonlocal with no binding", "[sema]") {
  auto a = analyze_ok(
      "import torch\n"
      "async def run(loader, cm):\n"
      "    async for batch in loader:\n"
      "        async with cm as ctx:\n"
      "            yield [await b for b in batch], ctx\n"
      "def bad():\n"
      "    nonlocal nowhere\n"
      "    nowhere = 1\n"
      "scale = lambda x, k=torch.ones: k(x) * torch.pi\n");
  CHECK(a->kind("batch", 0) == NameKind::Local);
  CHECK(a->kind("ctx", 0) == NameKind::Local);
  CHECK(a->kind("b", 0) == NameKind::Local);
  CHECK(a->kind("batch", 1) == NameKind::Local);  // the first iterable, in run
  CHECK(a->model.scope(a->model.scope_of(a->nodes(NodeKind::AsyncFunctionDef)[0])).kind ==
        ScopeKind::Function);
  CHECK(a->kind("nowhere") == NameKind::Unresolved);  // CPython: a syntax error
  CHECK(a->kind("torch", 0) == NameKind::Global);  // the default, at module level
  CHECK(a->kind("k") == NameKind::Parameter);
  CHECK(a->kind("torch", 1) == NameKind::Global);  // in the lambda's body
  CHECK(a->qualified(a->attribute("torch.pi")) == "torch.pi");
  ScopeId lam = a->model.scope_of(a->nodes(NodeKind::Lambda)[0]);
  CHECK(a->model.scope(lam).kind == ScopeKind::Lambda);
  CHECK(a->model.text(a->model.scope(lam).name) == "<lambda>");
}
