// The op tables' machinery: the schema validator, signatures, templates, and the loader's
// cross-checks, on small tables written here (the real tables are tested by ivyc ops --check and
// the conformance suite).
#include <string>
#include <vector>

#include "catch.h"
#include "ivyc/ops/tables.h"
#include "ivyc/ops/template.h"
#include "../../lib/ops/schema.h"

using namespace ivyc::ops;
using nlohmann::json;

namespace {

auto schema_file() -> TableFile {
  for (const auto& f : embedded_table_files()) {
    if (f.path == "schema.json") return f;
  }
  FAIL("no embedded schema");
  return {};
}

auto load(std::vector<TableFile> files, std::vector<std::string>& errors) {
  files.push_back(schema_file());
  return load_tables(files, errors);
}

const char* kCanonical = R"J({"ops": {"sum": {"params": ["x", "axis=None", "keepdims=False"], "doc": "sum"},
  "std": {"params": ["x", "correction=0"], "doc": "std"}}})J";

}  // namespace

TEST_CASE("schema validator: types, required, unknown keys, patterns, anyOf, refs") {
  json schema = json::parse(R"J({
    "$defs": {"pos": {"type": "integer"}},
    "type": "object", "required": ["a"], "additionalProperties": false,
    "properties": {"a": {"$ref": "#/$defs/pos"}, "b": {"type": "string", "pattern": "^x+$"},
                   "c": {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"enum": [1, 2]}}]}}})J");
  std::vector<std::string> e;
  CHECK(validate_schema(json::parse(R"J({"a": 1, "b": "xx", "c": [1, 2]})J"), schema, e));
  CHECK(e.empty());
  CHECK_FALSE(validate_schema(json::parse(R"J({"b": "y"})J"), schema, e));
  REQUIRE(e.size() == 2);
  CHECK(e[0] == "/: missing required key \"a\"");
  CHECK(e[1].find("does not match") != std::string::npos);
  e.clear();
  CHECK_FALSE(validate_schema(json::parse(R"J({"a": 1, "zz": 0})J"), schema, e));
  CHECK(e == std::vector<std::string>{"/: unknown key \"zz\""});
  e.clear();
  CHECK_FALSE(validate_schema(json::parse(R"J({"a": 1, "c": [3]})J"), schema, e));
  CHECK(e.size() == 1);
  CHECK(e[0].find("/c/0") == 0);
}

TEST_CASE("signatures: kinds, defaults, errors") {
  std::string err;
  auto sig = parse_signature("input, dim=None, *, keepdim=False, out=(1, 2)", err);
  REQUIRE(sig);
  REQUIRE(sig->params.size() == 4);
  CHECK(sig->params[0].kind == ParamKind::PositionalOrKeyword);
  CHECK_FALSE(sig->params[0].default_text);
  CHECK(*sig->params[1].default_text == "None");
  CHECK(sig->params[2].kind == ParamKind::KeywordOnly);
  CHECK(*sig->params[3].default_text == "(1, 2)");
  auto var = parse_signature("self, *size, dtype=None", err);
  REQUIRE(var);
  CHECK(var->params[1].kind == ParamKind::VarPositional);
  CHECK(var->params[2].kind == ParamKind::KeywordOnly);
  auto pos = parse_signature("a, b, /, c", err);
  REQUIRE(pos);
  CHECK(pos->params[1].kind == ParamKind::PositionalOnly);
  CHECK_FALSE(parse_signature("a=1, b", err));
  CHECK(err.find("without a default") != std::string::npos);
  CHECK_FALSE(parse_signature("a, a", err));
  CHECK_FALSE(parse_signature("a-b", err));
}

TEST_CASE("templates: pieces, keyword and operand placeholders, roots, atomicity") {
  std::string err;
  auto t = scan_template("jnp.sum({x}, axis={axis}, keepdims={keepdims})", err);
  REQUIRE(t);
  CHECK(t->placeholders == std::vector<std::string>{"x", "axis", "keepdims"});
  CHECK(t->roots == std::vector<std::string>{"jnp"});
  CHECK(t->atomic);
  REQUIRE(t->pieces.size() == 7);
  CHECK_FALSE(t->pieces[1].keyword);
  CHECK(t->pieces[3].keyword);
  CHECK_FALSE(t->pieces[1].operand);
  auto op = scan_template("-{x} * jax.nn.sigmoid({x}) + {{1: 2}}[1]", err);
  REQUIRE(op);
  CHECK(op->pieces[1].operand);
  CHECK_FALSE(op->atomic);
  CHECK(op->roots == std::vector<std::string>{"jax"});
  auto bound = scan_template("[np.add(a, b) for a, b in zip({x}, {y})] if (t := {x}) else lambda q: q.sum()", err);
  REQUIRE(bound);
  CHECK(bound->roots == std::vector<std::string>{"np"});
  CHECK_FALSE(scan_template("f({x)", err));
  CHECK_FALSE(scan_template("f(}", err));
}

TEST_CASE("loader: valid tables load; cross-checks name the file and entry") {
  std::vector<std::string> errors;
  auto ok = load({{"canonical/a.json", kCanonical},
                  {"torch/a.json", R"J({"functions": {"torch.std": {"op": "std", "sig": "input, *, correction=1",
                     "args": {"input": "x", "correction": "correction"}}}})J"},
                  {"jax/a.json", R"J({"imports": {"jnp": "import jax.numpy as jnp"},
                     "ops": {"std": "jnp.std({x}, ddof={correction})"}})J"}},
                 errors);
  REQUIRE(ok);
  CHECK(errors.empty());
  CHECK(ok->op("std")->param_index("correction") == 1);
  CHECK(ok->backend("jax")->ops.at("std")[0].template_text == "jnp.std({x}, ddof={correction})");

  errors.clear();
  auto bad = load({{"canonical/a.json", kCanonical},
                   {"torch/a.json", R"J({"functions": {
                      "torch.sum": {"op": "sum", "sig": "input, dim=None, out=None", "args": {"input": "x", "dim": "axes"}},
                      "torch.nope": {"op": "nope", "sig": "input", "args": {"input": "x"}}}})J"},
                   {"jax/a.json", R"J({"ops": {"sum": "jnp.sum({x}, axis={dims})", "mean": "jnp.mean({x})"}})J"}},
                  errors);
  CHECK_FALSE(bad);
  auto has = [&](const std::string& s) {
    for (const auto& e : errors) {
      if (e.find(s) != std::string::npos) return true;
    }
    return false;
  };
  CHECK(has("torch/a.json: functions/torch.sum: args: \"dim\" maps to \"axes\", not a parameter of sum"));
  CHECK(has("torch/a.json: functions/torch.sum: parameter \"out\" of sig is not in args, drop or refuse"));
  CHECK(has("torch/a.json: functions/torch.nope: unknown canonical op \"nope\""));
  CHECK(has("jax/a.json: ops/sum: template names \"{dims}\", not a parameter of sum"));
  CHECK(has("jax/a.json: ops/sum: template uses \"jnp\", which no entry of \"imports\" or \"definitions\" binds"));
  CHECK(has("jax/a.json: ops/mean: not a canonical op"));

  // Definitions and layer attributes: what they use must be imported; layer attributes are for layers.
  errors.clear();
  CHECK_FALSE(load({{"canonical/a.json", kCanonical},
                    {"jax/a.json", R"J({"imports": {"jnp": "import jax.numpy as jnp"}, "ops": {"std": "Std({x})"},
                       "definitions": {"Std": {"imports": ["np"], "source": ["class Std:", "    pass"]}},
                       "layer_attributes": {"std": {"weight": "{layer}.w + {other}"}}})J"}},
                   errors));
  CHECK(has("jax: definitions/Std: imports \"np\", which no entry of \"imports\" binds"));
  CHECK(has("jax: layer_attributes/std: not a canonical layer op"));
  CHECK(has("jax: layer_attributes/std/weight: only {layer} may be named"));

  errors.clear();
  CHECK_FALSE(load({{"canonical/a.json", kCanonical}, {"canonical/b.json", kCanonical}}, errors));
  CHECK(has("defined twice"));
  errors.clear();
  CHECK_FALSE(load({{"canonical/a.json", R"J({"ops": {"x": {"params": [], "doc": "d", "colour": 1}}})J"}}, errors));
  CHECK(has("canonical/a.json: /ops/x: unknown key \"colour\""));
}

TEST_CASE("the embedded tables load and are valid") {
  std::vector<std::string> errors;
  auto files = embedded_table_files();
  auto tables = load_tables(files, errors);
  INFO((errors.empty() ? std::string() : errors[0]));
  REQUIRE(tables);
  CHECK(tables->backend("jax"));
  CHECK(tables->backend("numpy"));
  CHECK(tables->backend("tensorflow"));
  CHECK(tables->frontend("torch")->functions.count("torch.sum") == 1);
}

TEST_CASE("find_method: own entries, in-place aliases, self-named in-place entries, name_ fallback") {
  std::vector<std::string> errors;
  auto t = load({{"canonical/a.json", kCanonical},
                 {"torch/a.json", R"J({"functions": {}, "methods": {
                    "sum": {"op": "sum", "sig": "self", "args": {"self": "x"}},
                    "sum_alias_": {"inplace": "sum"},
                    "std_": {"op": "std", "sig": "self", "args": {"self": "x"}, "inplace": "std_"}}})J"}},
                errors);
  INFO((errors.empty() ? std::string() : errors[0]));
  REQUIRE(t);
  const Frontend& fe = *t->frontend("torch");
  bool inplace = true;
  auto* own = fe.find_method("sum", inplace);
  REQUIRE(own);
  CHECK_FALSE(inplace);
  CHECK(own == fe.find_method("sum_alias_", inplace));
  CHECK(inplace);
  CHECK(own == fe.find_method("sum_", inplace));
  CHECK(inplace);
  auto* self_named = fe.find_method("std_", inplace);
  REQUIRE(self_named);
  CHECK((*self_named)[0].op == "std");
  CHECK(inplace);
  CHECK(fe.find_method("_", inplace) == nullptr);
  CHECK(fe.find_method("mean", inplace) == nullptr);
}
