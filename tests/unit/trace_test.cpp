// The tracer: which expressions are tensors, shapes, ints, dtypes, ... on small programs, with a
// small table set written here.
#include <memory>
#include <string>
#include <vector>

#include "catch.h"
#include "ivyc/lex/token.h"
#include "ivyc/ops/tables.h"
#include "ivyc/parse/parser.h"
#include "ivyc/trace/trace.h"

using namespace ivyc;
using trace::Kind;
using parse::NodeKind;

namespace {

auto tables() -> std::shared_ptr<const ops::Tables> {
  std::vector<ops::TableFile> files;
  for (const auto& f : ops::embedded_table_files()) {
    if (f.path == "schema.json") files.push_back(f);
  }
  files.push_back({"canonical/t.json", R"J({"ops": {
    "sum": {"params": ["x", "axis=None"], "doc": "sum"},
    "shape": {"params": ["x"], "returns": "shape", "doc": "shape"},
    "shape_at": {"params": ["x", "axis"], "returns": "int", "doc": "one size"},
    "max_along": {"params": ["x", "axis"], "returns": "named:values,indices", "doc": "max, argmax"},
    "split": {"params": ["x", "n"], "returns": "tensors", "doc": "pieces"},
    "Linear": {"params": ["n_in", "n_out"], "returns": "layer", "doc": "a layer"}}})J"});
  files.push_back({"torch/t.json", R"J({"functions": {
    "torch.sum": {"op": "sum", "sig": "input, dim=None", "args": {"input": "x", "dim": "axis"}},
    "torch.max": {"op": "max_along", "sig": "input, dim", "args": {"input": "x", "dim": "axis"}},
    "torch.chunk": {"op": "split", "sig": "input, chunks", "args": {"input": "x", "chunks": "n"}},
    "torch.nn.Linear": {"op": "Linear", "sig": "in_features, out_features", "args": {"in_features": "n_in", "out_features": "n_out"}}},
    "methods": {"size": [{"op": "shape", "sig": "self", "args": {"self": "x"}},
                         {"op": "shape_at", "sig": "self, dim", "args": {"self": "x", "dim": "axis"}}],
                "view": {"op": "sum", "sig": "self, *shape", "args": {"self": "x", "shape": "axis"}}},
    "attributes": {"shape": {"op": "shape"}},
    "constants": {"torch.float32": "float32"}})J"});
  std::vector<std::string> errors;
  auto t = ops::load_tables(files, errors);
  INFO((errors.empty() ? std::string() : errors[0]));
  REQUIRE(t);
  return t;
}

struct Traced {
  std::unique_ptr<SourceBuffer> source;
  lex::TokenizedBuffer tokens;
  parse::ParseResult parsed;
  std::unique_ptr<sema::SemanticModel> model;
  std::unique_ptr<trace::Trace> tr;

  // The kind of the last Name `name` loaded on line `line`.
  auto kind(std::string_view name, uint32_t line) const -> Kind {
    const auto& tree = parsed.tree;
    Kind k = Kind::Unknown;
    bool found = false;
    for (parse::NodeId id = 0; id < tree.size(); ++id) {
      if (tree.kind(id) != NodeKind::Name) continue;
      if (tree.string(tree.slot(id, parse::field_index(NodeKind::Name, "id"))) != name) continue;
      if (tree.position(id, *source).lineno != line) continue;
      k = tr->value(id).kind;
      found = true;
    }
    INFO(name);
    REQUIRE(found);
    return k;
  }
};

auto run(const char* code, const ops::Tables& t) -> Traced {
  Traced r;
  std::vector<Diagnostic> diags;
  r.source = std::make_unique<SourceBuffer>(*SourceBuffer::from_bytes("t.py", code, diags));
  r.tokens = lex::lex(*r.source);
  r.parsed = parse::parse(r.tokens);
  REQUIRE(r.parsed.errors.empty());
  r.model = std::make_unique<sema::SemanticModel>(sema::analyze(r.parsed.tree, *r.source));
  r.tr = std::make_unique<trace::Trace>(trace::trace(r.parsed.tree, *r.model, t, "torch"));
  return r;
}

}  // namespace

TEST_CASE("trace: torch results, shapes, sizes, unpacking, named results") {
  auto t = tables();
  auto r = run(R"(import torch
def f(x: torch.Tensor, n: int):
    s = torch.sum(x, 1)
    shape = x.shape
    b = x.size(0)
    whole = x.size()
    a, c = torch.chunk(s, 2)
    m = torch.max(x, 1)
    v = m.values
    d = torch.float32
    return s, shape, b, whole, a, c, m, v, d, n
)", *t);
  CHECK(r.kind("s", 11) == Kind::Tensor);
  CHECK(r.kind("shape", 11) == Kind::Shape);
  CHECK(r.kind("b", 11) == Kind::Int);
  CHECK(r.kind("whole", 11) == Kind::Shape);
  CHECK(r.kind("a", 11) == Kind::Tensor);
  CHECK(r.kind("c", 11) == Kind::Tensor);
  CHECK(r.kind("m", 11) == Kind::Named);
  CHECK(r.kind("v", 11) == Kind::Tensor);
  CHECK(r.kind("d", 11) == Kind::DType);
  CHECK(r.kind("n", 11) == Kind::Int);
}

TEST_CASE("trace: parameters from calls of the file, from use, and joins") {
  auto t = tables();
  auto r = run(R"(import torch
def helper(t, k):
    return t, k
def g(y):
    return torch.sum(y)
def h(z):
    return z
def main(x: torch.Tensor):
    a, b = helper(x, 3)
    q = h(x) if x else h(2)
    return a, b, q
)", *t);
  CHECK(r.kind("t", 3) == Kind::Tensor);  // helper is called with a tensor
  CHECK(r.kind("k", 3) == Kind::Int);
  CHECK(r.kind("y", 5) == Kind::Tensor);  // passed to a torch op
  CHECK(r.kind("z", 7) == Kind::Mixed);   // called with a tensor and an int
}

TEST_CASE("trace: a local string shadows the torch module") {
  auto t = tables();
  auto r = run(R"(import torch
def f(x):
    torch = "text"
    return torch
)", *t);
  CHECK(r.kind("torch", 4) == Kind::Str);
}

TEST_CASE("trace: module classes, layers, and what calling them gives") {
  auto t = tables();
  auto r = run(R"(import torch
import torch.nn as nn
class Block(nn.Module):
    def __init__(self, dim, depth=2):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.layers = [nn.Linear(dim, dim) for _ in range(depth)]
    def forward(self, x):
        h = self.fc(x)
        for layer in self.layers:
            h = layer(h)
        return h
class Net(Block):
    def forward(self, x):
        y = Block(4)(x)
        return y + self.fc(x)
def use(model: Net, x):
    out = model(x)
    return model, out, Net(3)
)", *t);
  CHECK(r.kind("self", 6) == Kind::Layer);    // self of a module class
  CHECK(r.kind("dim", 6) == Kind::Int);       // from Block(4), not from being passed to nn.Linear
  CHECK(r.kind("depth", 7) == Kind::Int);     // from its default
  CHECK(r.kind("h", 12) == Kind::Tensor);     // a layer called
  CHECK(r.kind("layer", 11) == Kind::Layer);  // an element of a list of layers
  CHECK(r.kind("self", 16) == Kind::Layer);   // a subclass of a module class is one
  CHECK(r.kind("y", 16) == Kind::Tensor);     // a module class's forward result
  CHECK(r.kind("model", 19) == Kind::Layer);  // annotated with a module class
  CHECK(r.kind("out", 19) == Kind::Tensor);
}

TEST_CASE("trace: instances of the file's other classes, and their annotated fields") {
  auto t = tables();
  auto r = run(R"(import torch
from dataclasses import dataclass
@dataclass
class Config:
    dim: int
    name: str = "x"
    other = 3
def f(c: Config, x):
    d = c.dim
    n = c.name
    o = c.other
    k = Config(4).dim
    return d, n, o, k, c
)", *t);
  CHECK(r.kind("d", 13) == Kind::Int);
  CHECK(r.kind("n", 13) == Kind::Str);
  CHECK(r.kind("o", 13) == Kind::Unknown);  // not annotated
  CHECK(r.kind("k", 13) == Kind::Int);      // an instance made here
  CHECK(r.kind("c", 13) == Kind::Instance);
}
