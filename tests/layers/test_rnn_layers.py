"""torch.nn.LSTM, GRU and MultiheadAttention converted by ivyc to every target and run against torch.

Each case is a tiny torch file (`class M(nn.Module)` holding one layer, `forward` calling it and
returning what it returns), converted with ivyc to jax, tensorflow and numpy. The converted model gets
the torch layer's parameters by attribute path (this file's own copy, `copy_parameters`, which also
checks every shape and that the converted layer holds no other variable), and both run on the same
inputs in eval mode: eagerly, and also under nnx.jit (jax) / inside tf.function (tensorflow). The
converted file's load_torch_weights is tested once per layer and target. Training mode: with dropout
the outputs change from call to call (jax, tensorflow), without it they equal torch's.

Tolerance: fp32, rtol = atol = 1e-5.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import types
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ("jax", "tensorflow", "numpy")
RTOL = ATOL = 1e-5

TORCH_FILE = """\
import torch
import torch.nn as nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = {constructor}

    def forward(self, {params}):
        {body}
"""


class Case:
    """One configuration: the layer's constructor, forward's body, and its inputs by name.

    An input is ("f32", shape), ("bool", shape, column kept allowed) for a boolean mask with True = not
    allowed, or ("mask", shape) for a float additive mask."""

    def __init__(self, id, constructor, body, inputs, dropout=False):
        self.id, self.constructor, self.body, self.inputs, self.dropout = id, constructor, body, inputs, dropout

    @property
    def layer(self) -> str:
        return self.constructor.split("(")[0].removeprefix("nn.")

    def source(self) -> str:
        return TORCH_FILE.format(constructor=self.constructor, params=", ".join(self.inputs), body=self.body)

    def make_inputs(self) -> dict[str, np.ndarray]:
        rng = np.random.default_rng(sum(map(ord, self.id)))
        out = {}
        for name, spec in self.inputs.items():
            kind, shape = spec[0], spec[1]
            if kind == "f32":
                out[name] = rng.standard_normal(shape).astype(np.float32)
            elif kind == "bool":  # True = not allowed; one column always allowed, so no row is all masked
                mask = rng.uniform(size=shape) < 0.4
                mask[..., spec[2]] = False
                out[name] = mask
            else:
                out[name] = (rng.standard_normal(shape) * 2).astype(np.float32)
        return out


RNN_CASES = []
for _layer in ("LSTM", "GRU"):
    # forward's body: with or without initial states, and what it returns
    _call = {"LSTM": ("out, (h, c) = self.layer(x)\n        return out, h, c",
                      "out, (h, c) = self.layer(x, (h0, c0))\n        return out, h, c"),
             "GRU": ("out, h = self.layer(x)\n        return out, h",
                     "out, h = self.layer(x, h0)\n        return out, h")}[_layer]
    _states = (lambda shape: {"h0": ("f32", shape), "c0": ("f32", shape)}) if _layer == "LSTM" else (
        lambda shape: {"h0": ("f32", shape)})
    RNN_CASES += [
        Case(f"{_layer}-1layer", f"nn.{_layer}(5, 7)", _call[0], {"x": ("f32", (6, 3, 5))}),
        Case(f"{_layer}-2layers-batch_first-h0", f"nn.{_layer}(5, 7, num_layers=2, batch_first=True)", _call[1],
             {"x": ("f32", (3, 6, 5)), **_states((2, 3, 7))}),
        Case(f"{_layer}-bidirectional-h0", f"nn.{_layer}(5, 7, bidirectional=True)", _call[1],
             {"x": ("f32", (6, 3, 5)), **_states((2, 3, 7))}),
        Case(f"{_layer}-2layers-bidirectional-batch_first-dropout",
             f"nn.{_layer}(5, 7, num_layers=2, bidirectional=True, batch_first=True, dropout=0.5)", _call[0],
             {"x": ("f32", (3, 6, 5))}, dropout=True),
        Case(f"{_layer}-3layers-nobias-h0", f"nn.{_layer}(4, 6, 3, False)", _call[1],
             {"x": ("f32", (5, 2, 4)), **_states((3, 2, 6))}),
        Case(f"{_layer}-unbatched-2layers-bidirectional-h0",
             f"nn.{_layer}(5, 7, num_layers=2, bidirectional=True, batch_first=True)", _call[1],
             {"x": ("f32", (6, 5)), **_states((4, 7))}),
    ]

MHA_CASES = [
    Case("MHA-self", "nn.MultiheadAttention(8, 2)", "return self.layer(x, x, x)", {"x": ("f32", (5, 3, 8))}),
    Case("MHA-batch_first-no-weights", "nn.MultiheadAttention(8, 4, batch_first=True)",
         "return self.layer(q, k, v, need_weights=False)",
         {"q": ("f32", (3, 4, 8)), "k": ("f32", (3, 5, 8)), "v": ("f32", (3, 5, 8))}),
    Case("MHA-bool-masks", "nn.MultiheadAttention(8, 2)",
         "return self.layer(q, k, v, key_padding_mask=kpm, attn_mask=mask)",
         {"q": ("f32", (4, 3, 8)), "k": ("f32", (5, 3, 8)), "v": ("f32", (5, 3, 8)),
          "kpm": ("bool", (3, 5), 0), "mask": ("bool", (4, 5), 0)}),
    Case("MHA-bool-masks-no-weights", "nn.MultiheadAttention(8, 2, batch_first=True)",
         "out, w = self.layer(q, k, v, key_padding_mask=kpm, need_weights=False, attn_mask=mask)\n        return out",
         {"q": ("f32", (3, 4, 8)), "k": ("f32", (3, 5, 8)), "v": ("f32", (3, 5, 8)),
          "kpm": ("bool", (3, 5), 2), "mask": ("bool", (4, 5), 2)}),
    Case("MHA-float-3d-mask-per-head", "nn.MultiheadAttention(8, 2, batch_first=True)",
         "return self.layer(q, k, v, attn_mask=mask, average_attn_weights=False)",
         {"q": ("f32", (3, 4, 8)), "k": ("f32", (3, 5, 8)), "v": ("f32", (3, 5, 8)), "mask": ("mask", (6, 4, 5))}),
    Case("MHA-kdim-vdim", "nn.MultiheadAttention(8, 2, kdim=3, vdim=6)",
         "return self.layer(q, k, v, key_padding_mask=kpm)",
         {"q": ("f32", (4, 3, 8)), "k": ("f32", (5, 3, 3)), "v": ("f32", (5, 3, 6)), "kpm": ("mask", (3, 5))}),
    Case("MHA-nobias-bias_kv-zero_attn", "nn.MultiheadAttention(8, 2, bias=False, add_bias_kv=True, add_zero_attn=True)",
         "return self.layer(q, k, v, key_padding_mask=kpm, attn_mask=mask)",
         {"q": ("f32", (4, 3, 8)), "k": ("f32", (5, 3, 8)), "v": ("f32", (5, 3, 8)),
          "kpm": ("bool", (3, 5), 1), "mask": ("bool", (4, 5), 1)}),
    Case("MHA-unbatched", "nn.MultiheadAttention(8, 2, batch_first=True)",
         "return self.layer(q, k, v, attn_mask=mask)",
         {"q": ("f32", (4, 8)), "k": ("f32", (5, 8)), "v": ("f32", (5, 8)), "mask": ("bool", (4, 5), 0)}),
    Case("MHA-causal-no-weights", "nn.MultiheadAttention(8, 2, batch_first=True)",
         "mask = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)\n"
         "        out, w = self.layer(x, x, x, need_weights=False, attn_mask=mask, is_causal=True)\n        return out",
         {"x": ("f32", (3, 5, 8))}),
    Case("MHA-dropout", "nn.MultiheadAttention(8, 2, dropout=0.5, batch_first=True)", "return self.layer(x, x, x)",
         {"x": ("f32", (3, 5, 8))}, dropout=True),
]

# A layer's variables and settings read in forward (the backend's layer_attributes).
ATTRIBUTE_CASES = [
    Case("LSTM-attributes", "nn.LSTM(5, 7, num_layers=2, bidirectional=True)",
         "out, _ = self.layer(x)\n        scale = self.layer.weight_hh_l1_reverse.sum() + self.layer.bias_ih_l0.mean()\n"
         "        if self.layer.bias and self.layer.bidirectional:\n            out = out * scale\n"
         "        return out + self.layer.hidden_size * self.layer.num_layers",
         {"x": ("f32", (4, 2, 5))}),
    Case("MHA-attributes", "nn.MultiheadAttention(8, 2, kdim=4)",
         "out, _ = self.layer(q, k, v, need_weights=False)\n"
         "        return out * self.layer.k_proj_weight.mean() + self.layer.in_proj_bias.sum() + self.layer.head_dim",
         {"q": ("f32", (4, 3, 8)), "k": ("f32", (5, 3, 4)), "v": ("f32", (5, 3, 8))}),
]

CASES = RNN_CASES + MHA_CASES + ATTRIBUTE_CASES


# --- conversion and loading -------------------------------------------------------------------------

_converted: dict[tuple[str, str], object] = {}


def convert(ivyc, tmp_dir: Path, case: Case, target: str):
    """The converted module of `case` for `target` (converted once per session)."""
    key = (case.id, target)
    if key not in _converted:
        src = tmp_dir / f"{case.id.replace('-', '_')}.py"
        src.write_text(case.source())
        out = tmp_dir / f"{case.id.replace('-', '_')}_{target}.py"
        r = subprocess.run([str(ivyc), str(src), "--from", "torch", "--to", target, "--ops", str(ROOT / "ops"),
                            "-o", str(out)], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"ivyc failed on {case.id} -> {target}:\n{r.stderr}"
        assert "warning" not in r.stderr, r.stderr
        tree = ast.parse(out.read_text())
        for node in tree.body:  # torch is gone: no module-level import of it, no use of it in M
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                assert not any(n and n.split(".")[0] == "torch" for n in names), ast.unparse(node)
            if isinstance(node, ast.ClassDef) and node.name == "M":
                used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                assert not used & {"torch", "nn", "F"}, ast.unparse(node)
        spec = importlib.util.spec_from_file_location(f"rnn_{case.id.replace('-', '_')}_{target}", out)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _converted[key] = module
    return _converted[key]


@pytest.fixture(scope="module")
def tmp_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("rnn_layers")


def torch_model(case: Case):
    import torch

    ns = {}
    exec(compile(case.source(), f"<{case.id}>", "exec"), ns)
    torch.manual_seed(0)
    model = ns["M"]()
    rng = np.random.default_rng(7)
    with torch.no_grad():  # parameters away from their init (zero biases included)
        for t in model.state_dict().values():
            t.copy_(torch.from_numpy((rng.standard_normal(t.shape) * 0.5).astype(np.float32)))
    return model.eval()


def torch_outputs(model, inputs: dict) -> list:
    import torch

    with torch.no_grad():
        return flatten(model(*[torch.from_numpy(a) for a in inputs.values()]))


def flatten(value) -> list:
    """Nested tuples and lists of arrays (None kept) -> a flat list of NumPy arrays and None."""
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in flatten(v)]
    if value is None:
        return [None]
    if hasattr(value, "detach"):
        value = value.detach()
    return [np.asarray(value)]


def native(target: str, a: np.ndarray):
    if target == "jax":
        import jax.numpy as jnp

        return jnp.asarray(a)
    if target == "tensorflow":
        import tensorflow as tf

        return tf.constant(a)
    return a


def variables(target: str, node, prefix="") -> dict:
    """The converted model's variables by attribute path: {key: (owner, attribute name, value)}."""
    found = {}
    if target == "jax":
        from flax import nnx

        if not isinstance(node, nnx.Module):
            return found
        for name, value in vars(node).items():
            if name.startswith("_"):
                continue
            if isinstance(value, nnx.Param):
                found[prefix + name] = (node, name, value)
            elif isinstance(value, nnx.Module) and not isinstance(value, (nnx.Rngs, nnx.RngStream)):
                found.update(variables(target, value, f"{prefix}{name}."))
    elif target == "tensorflow":
        import keras

        for name, value in vars(node).items():
            if name.startswith("_"):
                continue
            if isinstance(value, keras.Variable):
                found[prefix + name] = (node, name, value)
            elif isinstance(value, keras.layers.Layer):
                found.update(variables(target, value, f"{prefix}{name}."))
    else:
        for name, value in vars(node).items():
            if isinstance(value, np.ndarray):
                found[prefix + name] = (node, name, value)
            elif hasattr(value, "__dict__") and not isinstance(value, (type, types.FunctionType, types.ModuleType)):
                found.update(variables(target, value, f"{prefix}{name}."))
    return found


def copy_parameters(target: str, model, state: dict) -> None:
    """Assigns torch's state_dict to the converted model by attribute path, unchanged (torch's layout):
    the same keys, the same shapes."""
    found = variables(target, model)
    assert sorted(found) == sorted(state), f"converted variables {sorted(found)}, torch's {sorted(state)}"
    for key, tensor in state.items():
        owner, name, var = found[key]
        value = tensor.detach().numpy().copy()
        shape = tuple(var[...].shape) if target == "jax" else tuple(var.shape)
        assert shape == value.shape, f"{key}: converted {shape}, torch {value.shape}"
        if target == "jax":
            var[...] = native(target, value)
        elif target == "tensorflow":
            var.assign(value)
        else:
            setattr(owner, name, value)


def build(case: Case, target: str, module, inputs: dict, load: str = "copy", state=None):
    """The converted M with torch's parameters, in eval mode (jax)."""
    model = module.M()
    args = [native(target, a) for a in inputs.values()]
    if target == "tensorflow":
        model(*args, training=False)  # Keras makes a model's variables on its first call
    if load == "copy":
        copy_parameters(target, model, state)
    else:
        module.load_torch_weights(model, state)
    if target == "jax":
        model.eval()
    return model, args


def check(case: Case, want: list, got: list, how: str) -> None:
    assert len(got) == len(want), f"{case.id} {how}: {len(got)} outputs, torch {len(want)}"
    for i, (w, g) in enumerate(zip(want, got)):
        if w is None:
            assert g is None, f"{case.id} {how}: output {i} is not None"
            continue
        assert g is not None, f"{case.id} {how}: output {i} is None, torch's is not"
        assert g.shape == w.shape, f"{case.id} {how}: output {i} has shape {g.shape}, torch {w.shape}"
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=f"{case.id} {how}: output {i}")


# --- tests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_eval(ivyc, tmp_dir, case, target):
    """Eval-mode outputs equal torch's: eagerly, and under nnx.jit / inside tf.function."""
    module = convert(ivyc, tmp_dir, case, target)
    tm = torch_model(case)
    inputs = case.make_inputs()
    want = torch_outputs(tm, inputs)
    model, args = build(case, target, module, inputs, state=tm.state_dict())
    if target == "jax":
        from flax import nnx

        check(case, want, flatten(model(*args)), "eager")
        check(case, want, flatten(nnx.jit(lambda m, *a: m(*a))(model, *args)), "nnx.jit")
    elif target == "tensorflow":
        import tensorflow as tf

        check(case, want, flatten(model(*args, training=False)), "eager")
        check(case, want, flatten(tf.function(lambda *a: model(*a, training=False))(*args)), "tf.function")
    else:
        check(case, want, flatten(model(*args)), "eager")


LOADER_CASES = [c for c in CASES if c.id in (
    "LSTM-2layers-bidirectional-batch_first-dropout", "GRU-3layers-nobias-h0", "MHA-kdim-vdim",
    "MHA-nobias-bias_kv-zero_attn", "MHA-self")]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", LOADER_CASES, ids=lambda c: c.id)
def test_load_torch_weights(ivyc, tmp_dir, case, target):
    """The converted file's own load_torch_weights takes torch's state_dict as it is."""
    module = convert(ivyc, tmp_dir, case, target)
    tm = torch_model(case)
    inputs = case.make_inputs()
    model, args = build(case, target, module, inputs, load="loader", state=tm.state_dict())
    got = model(*args, training=False) if target == "tensorflow" else model(*args)
    check(case, torch_outputs(tm, inputs), flatten(got), "load_torch_weights")


@pytest.mark.parametrize("target", ("jax", "tensorflow"))
@pytest.mark.parametrize("case", [c for c in CASES if c.id in (
    "LSTM-2layers-bidirectional-batch_first-dropout", "GRU-2layers-bidirectional-batch_first-dropout",
    "MHA-dropout", "LSTM-bidirectional-h0", "GRU-2layers-batch_first-h0", "MHA-bool-masks")], ids=lambda c: c.id)
def test_train_mode(ivyc, tmp_dir, case, target):
    """Training mode: dropout (between RNN layers, on attention weights) draws a new mask per call, also
    under nnx.jit / tf.function; without dropout the outputs are torch's."""
    module = convert(ivyc, tmp_dir, case, target)
    tm = torch_model(case)
    inputs = case.make_inputs()
    eval_out = torch_outputs(tm, inputs)
    model, args = build(case, target, module, inputs, state=tm.state_dict())
    if target == "jax":
        from flax import nnx

        model.train()
        runs = [flatten(model(*args)), flatten(model(*args)), flatten(nnx.jit(lambda m, *a: m(*a))(model, *args))]
    else:
        import tensorflow as tf

        runs = [flatten(model(*args, training=True)), flatten(model(*args, training=True)),
                flatten(tf.function(lambda *a: model(*a, training=True))(*args))]
    if not case.dropout:
        for i, run in enumerate(runs):
            check(case, eval_out, run, f"train run {i}")
        return
    for run in runs:
        assert [None if a is None else a.shape for a in run] == [None if a is None else a.shape for a in eval_out]
        assert all(a is None or np.isfinite(a).all() for a in run)
        assert not np.allclose(run[0], eval_out[0], rtol=RTOL, atol=ATOL), "dropout had no effect in training"
    assert not np.allclose(runs[0][0], runs[1][0]), "two training calls drew the same dropout mask"
    assert not np.allclose(runs[1][0], runs[2][0]), "the jitted call drew the eager call's dropout mask"
