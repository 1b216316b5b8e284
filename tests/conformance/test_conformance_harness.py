"""The conformance harness itself: spec parser, inputs, generated code, warnings, comparator, and
a whole run against a stand-in ivyc whose answers are known (right, wrong, unsupported as the
tables say, unsupported without a reason, torch left behind), so that the suite can fail."""

import json
import math
import os
import stat
import sys
import textwrap

import numpy as np
import pytest

import conformance as cf
from conformance import TensorSpec


# --- specs and inputs ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, spec", [
    ("f32[3,4]", TensorSpec("float32", "", (3, 4))),
    ("f32[]", TensorSpec("float32", "", ())),
    ("f32[0,3]", TensorSpec("float32", "", (0, 3))),
    ("f32+[2, 3]", TensorSpec("float32", "+", (2, 3))),
    ("f64u[5]", TensorSpec("float64", "u", (5,))),
    ("i64n[7]", TensorSpec("int64", "n", (7,))),
    ("bf16[2]", TensorSpec("bfloat16", "", (2,))),
    ("f16[1,1,1]", TensorSpec("float16", "", (1, 1, 1))),
    ("u8[3]", TensorSpec("uint8", "", (3,))),
    ("i32[2]", TensorSpec("int32", "", (2,))),
    ("b[2,2]", TensorSpec("bool", "", (2, 2))),
])
def test_spec_parses(text, spec):
    assert cf.parse_spec(text) == spec
    assert cf.parse_spec(str(spec)) == spec


@pytest.mark.parametrize("text", ["1", "-1", "(0, 2, 1)", "torch.float32", "'mean'", "f32", "x[3]",
                                  "f32[a]", "f32[3]]", "[3]", "f32*[3]", "True", "None"])
def test_python_source_is_not_a_spec(text):
    assert cf.parse_spec(text) is None


@pytest.mark.parametrize("text", ["f16[4,5]", "bf16[4,5]", "f32[4,5]", "f64[4,5]", "i32[4,5]",
                                  "i64[4,5]", "u8[4,5]", "b[4,5]", "f32[]", "i64[0,2]",
                                  "b[]", "i64[]", "bf16[]", "u8+[]"])
def test_arrays_have_the_spec_dtype_and_shape(text):
    spec = cf.parse_spec(text)
    a = cf.make_array(spec, np.random.default_rng(0))
    assert isinstance(a, np.ndarray) and a.dtype.name == spec.dtype and a.shape == spec.shape


def test_domains():
    rng = np.random.default_rng(1)
    pos = cf.make_array(cf.parse_spec("f32+[1000]"), rng)
    assert pos.min() >= 0.5 and pos.max() <= 2.0
    inside = cf.make_array(cf.parse_spec("f64u[1000]"), rng)
    assert np.abs(inside).max() < 0.9
    for text in ("f32n[200]", "bf16n[200]", "f16n[6,7]", "i64n[50]", "u8n[30]"):
        a = cf.make_array(cf.parse_spec(text), rng).astype(np.float64)
        assert len(np.unique(a)) == a.size, text
    assert cf.make_array(cf.parse_spec("i32+[100]"), rng).min() >= 1


def test_inputs_are_the_same_for_every_framework():
    a = cf.make_array(cf.parse_spec("f32[3,4]"), np.random.default_rng(2))
    t = cf.to_framework(a, "torch")
    for target in cf.TARGETS:
        x = cf.to_framework(a, target)
        assert cf.compare(t, x, target) == [], target
    b = cf.make_array(cf.parse_spec("bf16[3]"), np.random.default_rng(2))
    assert cf.compare(cf.to_framework(b, "torch"), cf.to_framework(b, "tensorflow"), "tensorflow") == []


def test_torch_gets_a_copy():
    a = np.zeros(3, dtype=np.float32)
    cf.to_framework(a, "torch").add_(1)
    assert a.sum() == 0


# --- generated code -----------------------------------------------------------------------------

def entry(kind, name, samples, **extra):
    return cf.Entry("math", kind, name, ({"op": "x", "samples": samples, **extra},))


def code(kind, name, sample):
    return cf.sample_code(entry(kind, name, [sample]), sample, "s_0")


def test_function_sample():
    c = code("functions", "torch.sum", {"args": ["f32[2,3]", "-1"], "kwargs": {"keepdim": "True"}})
    assert c.lines == ["    return torch.sum(a0, -1, keepdim=True)"]
    assert c.params == ["a0"] and c.inputs == [TensorSpec("float32", "", (2, 3))]


def test_tensor_kwargs_are_inputs():
    c = code("functions", "torch.where", {"args": ["b[3]", "f32[3]"], "kwargs": {"other": "f32[3]"}})
    assert c.lines == ["    return torch.where(a0, a1, other=a2)"] and len(c.inputs) == 3


def test_method_attribute_and_call_samples():
    assert code("methods", "view", {"args": ["f32[6]", "2", "3"]}).lines == ["    return a0.view(2, 3)"]
    assert code("methods", "size", {"args": ["torch.zeros(2)"]}).lines == \
        ["    return (torch.zeros(2)).size()"]
    assert code("attributes", "shape", {"args": ["f32[2]"]}).lines == ["    return a0.shape"]
    c = code("functions", "torch.where", {"args": ["f32[3]", "f32[3]"], "call": "torch.where({0} > 0, {0}, {1})"})
    assert c.lines == ["    return torch.where(a0 > 0, a0, a1)"]
    with pytest.raises(ValueError):
        code("functions", "torch.where", {"args": ["f32[3]"], "call": "f({1})"})


def test_inplace_samples_are_statements():
    assert code("methods", "add_", {"args": ["f32[3]", "f32[3]"]}).lines == \
        ["    a0.add_(a1)", "    return a0"]
    assert code("functions", "torch.nn.init.zeros_", {"args": ["f32[3]"]}).lines == \
        ["    torch.nn.init.zeros_(a0)", "    return a0"]
    assert code("methods", "normal_", {"args": ["f32[3]"], "call": "{0}.normal_(std=0.5)"}).lines == \
        ["    a0.normal_(std=0.5)", "    return a0"]
    assert code("functions", "torch.nn.init.constant_", {"args": ["f32[3]"], "call": "torch.nn.init.constant_({0}, 2)"}).lines == \
        ["    torch.nn.init.constant_(a0, 2)", "    return a0"]
    assert code("methods", "add_", {"args": ["f32[3]"], "call": "{0}.clone().add_(1)"}).lines == \
        ["    return a0.clone().add_(1)"]


def test_module_spans_and_ids():
    e = entry("functions", "torch.neg", [{"args": ["f32[3]"]}, {"args": ["f32[]"]}])
    m = cf.build_module("math", [e])
    lines = m.source.splitlines()
    assert lines[0] == "import torch"
    assert "def s_0(a0: torch.Tensor):" in lines
    for i in range(2):
        name = m.functions[("torch.neg", i)]
        first, last = m.spans[name]
        assert lines[first - 1].startswith(f"def {name}(") and lines[last - 1].startswith("    return")
    cases = cf.collect_cases([e])
    assert [c.id for c in cases][:2] == ["jax-math-torch.neg-0", "jax-math-torch.neg-1"]
    assert len(cases) == 6
    only = entry("methods", "abs", [{"args": ["f32[3]"], "targets": ["numpy"], "reason": "r"}])
    assert [c.id for c in cf.collect_cases([only])] == ["numpy-math-Tensor.abs-0"]


def test_warnings_parse():
    ws = cf.parse_warnings("x.py:7:12: warning: no jax mapping for foo [unsupported]\n"
                           "noise\n/tmp/a b.py:3:1: warning: something else\n")
    assert [(w.line, w.col, w.message, w.kind) for w in ws] == [
        (7, 12, "no jax mapping for foo", "unsupported"), (3, 1, "something else", "")]
    assert ws[0].unsupported and not ws[1].unsupported


# --- the comparator -----------------------------------------------------------------------------

def t(values, dtype=None):
    import torch
    return torch.tensor(values, dtype=dtype)


def test_compare_tensors():
    import torch
    ref = t([1.0, 2.0, float("nan")])
    assert cf.compare(ref, np.array([1.0, 2.0, np.nan], np.float32), "numpy") == []
    assert cf.compare(ref, np.array([1.0, 2.5, np.nan], np.float32), "numpy")  # wrong value
    assert cf.compare(ref, np.array([1.0, 2.0, 0.0], np.float32), "numpy")  # NaN != number
    assert cf.compare(ref, np.array([1.0, 2.0, np.nan]), "numpy")  # float64 != float32
    assert cf.compare(ref, np.array([[1.0, 2.0, np.nan]], np.float32), "numpy")  # shape
    assert cf.compare(ref, [1.0, 2.0, float("nan")], "numpy")  # not a tensor
    assert cf.compare(ref, np.array([1.0, 2.0 + 1e-6, np.nan], np.float32), "numpy") == []
    assert cf.compare(ref, np.array([1.0, 2.1, np.nan], np.float32), "numpy", rtol=0.1) == []
    assert cf.compare(t([1, 2]), np.array([1, 3]), "numpy")  # ints are exact
    assert cf.compare(t([True]), np.array([1]), "numpy")  # bool vs int64
    assert cf.compare(t(1.5), np.float32(1.5), "numpy") == []  # numpy scalar for a 0-d tensor
    assert cf.compare(t(1.5), 1.5, "numpy")  # a Python float is not a tensor
    assert cf.compare(torch.zeros(0, 3), np.zeros((0, 3), np.float32), "numpy") == []
    assert cf.compare(t([1.0], torch.bfloat16), np.array([1.0], np.float32), "numpy")
    assert cf.compare(np.array([1.0], np.float32), np.array([1.0], np.float32), "numpy") == []  # x.numpy()
    assert cf.compare(np.array([1.0], np.float32), np.array([2.0], np.float32), "numpy")


def test_compare_jax_narrowing():
    import jax.numpy as jnp
    import torch
    assert cf.compare(t([1, 2]), jnp.asarray(np.array([1, 2], np.int32)), "jax") == []
    assert cf.compare(t([1, 2]), np.array([1, 2], np.int32), "numpy")  # only JAX may narrow
    assert cf.compare(t([1.0], torch.float64), jnp.asarray([1.0]), "jax") == []
    assert cf.compare(t([1, 2]), jnp.asarray([1.0, 2.0]), "jax")
    assert cf.compare(torch.int64, jnp.int32, "jax") == []
    assert cf.compare(torch.int64, np.int32, "numpy")


def test_compare_tensorflow():
    import tensorflow as tf
    import torch
    assert cf.compare(t([[1.0, 2.0]]), tf.constant([[1.0, 2.0]]), "tensorflow") == []
    assert cf.compare(t([[1.0, 2.0]]), tf.constant([[1.0, 2.5]]), "tensorflow")
    assert cf.compare(torch.Size([2, 3]), tf.TensorShape([2, 3]), "tensorflow") == []
    assert cf.compare(torch.Size([2, 3]), tf.TensorShape([2, None]), "tensorflow")
    assert cf.compare(torch.float32, tf.float32, "tensorflow") == []
    assert cf.compare(torch.float32, tf.float64, "tensorflow")
    assert cf.compare(torch.device("cpu"), "/job:localhost/replica:0/task:0/device:CPU:0", "tensorflow") == []
    assert cf.compare(t(3), tf.constant(3, tf.int64), "tensorflow") == []
    assert cf.compare(3, tf.constant(3), "tensorflow")  # a tensor is not a Python int


def test_compare_structures_and_scalars():
    import torch
    ref = torch.max(t([[1.0, 3.0], [4.0, 2.0]]), 1)  # a named tuple
    assert cf.compare(ref, (np.array([3.0, 4.0], np.float32), np.array([1, 0])), "numpy") == []
    assert cf.compare(ref, [np.array([3.0, 4.0], np.float32), np.array([1, 0])], "numpy") == []
    assert cf.compare(ref, (np.array([3.0, 4.0], np.float32), np.array([0, 0])), "numpy")
    assert cf.compare(ref, (np.array([3.0, 4.0], np.float32),), "numpy")
    assert cf.compare(torch.Size([2, 3]), (2, 3), "numpy") == []
    assert cf.compare(torch.Size([2, 3]), [2, 3], "numpy") == []
    assert cf.compare(torch.Size([2, 3]), (2, 4), "numpy")
    assert cf.compare(torch.Size([]), (), "numpy") == []
    assert cf.compare(2, 2, "numpy") == [] and cf.compare(2, np.int64(2), "numpy") == []
    assert cf.compare(2, 3, "numpy") and cf.compare(2, True, "numpy") and cf.compare(2, 2.0, "numpy")
    assert cf.compare(True, np.bool_(True), "numpy") == [] and cf.compare(True, 1, "numpy")
    assert cf.compare(0.5, 0.5 + 1e-9, "numpy") == [] and cf.compare(0.5, 0.6, "numpy")
    assert cf.compare([1.0, 2.0], [1.0, 2.0], "numpy") == []
    assert cf.compare(None, None, "numpy") == [] and cf.compare(None, 0, "numpy")
    assert cf.compare(torch.float32, np.dtype("float32"), "numpy") == []
    assert cf.compare(torch.float32, np.float32, "numpy") == []
    assert cf.compare(torch.float32, np.zeros(1, np.float32), "numpy")  # an array is not a dtype
    assert cf.compare(torch.device("cpu"), "cpu", "numpy") == []
    assert cf.compare(torch.device("cpu"), None, "numpy")


def test_random_compares_shape_and_dtype_only():
    ref = t([1.0, 2.0])
    assert cf.compare(ref, np.array([7.0, 8.0], np.float32), "numpy", values=False) == []
    assert cf.compare(ref, np.array([7.0], np.float32), "numpy", values=False)
    assert cf.compare(ref, np.array([7.0, 8.0]), "numpy", values=False)


# --- a whole run against a stand-in ivyc --------------------------------------------------------

FAKE_IVYC = r'''
import re, sys
src, target = sys.argv[1], sys.argv[sys.argv.index("--to") + 1]
assert target == "numpy" and "--from" in sys.argv
out, rc = [], 0
for n, line in enumerate(open(src).read().splitlines(), 1):
    if line == "import torch":
        line = "import numpy as np"
    line = line.replace(": torch.Tensor", ": np.ndarray")
    for bad, reason in (("torch.sin(", "no numpy mapping for sin"),
                        ("torch.cos(", "numpy has no cos_op"), ("out=", "torch.exp: no out= here")):
        if bad in line:
            sys.stderr.write(f"{src}:{n}:12: warning: {reason} [unsupported]\n")
            out.append(f"    # ivyc: unsupported: {reason}")
            rc = 1
            break
    else:
        line = line.replace("torch.neg(", "np.negative(").replace("torch.abs(", "np.positive(")
        line = re.sub(r"(\w+)\.add_\((\w+)\)", r"\1[...] = \1 + \2", line)
    out.append(line)
print("\n".join(out))
sys.exit(rc)
'''

TABLES = {
    "torch/math.json": {"functions": {
        "torch.neg": {"op": "negative", "sig": "input", "args": {"input": "x"},
                      "samples": [{"args": ["f32[3]"]}, {"args": ["f32[]"]}, {"args": ["i64[2,2]"]}]},
        "torch.abs": {"op": "abs", "sig": "input", "args": {"input": "x"},
                      "samples": [{"args": ["f32n[3]"]}]},
        "torch.sin": {"op": "sin", "sig": "input", "args": {"input": "x"}, "samples": [{"args": ["f32[3]"]}]},
        "torch.cos": {"op": "cos_op", "sig": "input", "args": {"input": "x"},
                      "samples": [{"args": ["f32[3]"]}]},
        "torch.tan": {"op": "negative", "sig": "input", "args": {"input": "x"},
                      "samples": [{"args": ["f32[3]"], "call": "torch.neg({0}) + torch.tan({0})"}]},
        "torch.nosamples": {"op": "negative", "sig": "input", "args": {"input": "x"}},
        "torch.exp": {"op": "negative", "sig": "input, *, out=None", "args": {"input": "x"},
                      "refuse": {"out": "no out= here"},
                      "samples": [{"args": ["f32[3]"], "kwargs": {"out": "f32[3]"}}]},
        "torch.jaxonly": {"op": "negative", "sig": "input", "args": {"input": "x"},
                          "samples": [{"args": ["f32[3]"], "targets": ["jax"], "reason": "r"}]},
    }, "methods": {
        "add_": {"op": "add", "sig": "self, other", "args": {"self": "x", "other": "y"},
                 "samples": [{"args": ["f32[2,3]", "f32[2,3]"]}]},
    }, "attributes": {
        "shape": {"op": "shape", "samples": [{"args": ["f32[2,3]"]}, {"args": ["f32[]"]}]},
    }},
    "numpy/math.json": {"ops": {"negative": "np.negative({x})", "cos_op": {"unsupported": "numpy has no cos_op"}}},
}


@pytest.fixture
def fake(tmp_path, monkeypatch):
    for rel, table in TABLES.items():
        (tmp_path / "ops" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "ops" / rel).write_text(json.dumps(table))
    ivyc = tmp_path / "ivyc"
    ivyc.write_text(f"#!{sys.executable}\n{textwrap.dedent(FAKE_IVYC)}")
    ivyc.chmod(ivyc.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("IVYC_CONFORMANCE_OPS", str(tmp_path / "ops"))
    entries = cf.load_frontend()
    session = cf.Session(ivyc, entries)
    yield session, [c for c in cf.collect_cases(entries) if c.target == "numpy"]
    session.close()


def outcome(session, case):
    try:
        cf.run_case(session, case)
    except cf.Unsupported:
        return "unsupported"
    except AssertionError as e:
        return "fail: " + str(e).splitlines()[0]
    return "pass"


def test_a_whole_run(fake):
    session, cases = fake
    got = {c.id: outcome(session, c) for c in cases}
    assert got["numpy-math-torch.neg-0"] == "pass"
    assert got["numpy-math-torch.neg-1"] == "pass"
    assert got["numpy-math-torch.neg-2"] == "pass"
    assert got["numpy-math-torch.abs-0"].startswith("fail: result: ")  # np.positive: wrong values
    assert got["numpy-math-torch.sin-0"] == "fail: ivyc could not convert the sample: no numpy mapping for sin"
    assert got["numpy-math-torch.cos-0"] == "unsupported"
    assert got["numpy-math-torch.exp-0"] == "unsupported"  # a refused argument, reason as the table's
    assert got["numpy-math-torch.tan-0"] == "fail: the conversion still uses torch"
    assert got["numpy-math-Tensor.add_-0"] == "pass"
    assert got["numpy-math-Tensor.shape-0"] == "pass"
    assert got["numpy-math-Tensor.shape-1"] == "pass"

    results = cf.Results()
    for c in cases:
        results.record(c, got[c.id].split(":")[0])
    s = results.summary(session.entries, {"numpy": session.backend("numpy")})["numpy"]
    assert (s["pass"], s["fail"], s["unsupported"], s["no_samples"]) == (3, 3, 2, 2)
    assert s["without_samples"] == ["math:torch.nosamples", "math:torch.jaxonly"]
