"""Shared parts of the layer suites: the samples, the torch reference, the converted model's side.

A case is one sample of one torch.nn layer (tests/layers/samples.json) on one target. The torch
layer is built with seeded random weights (running statistics too), the target's model gets them
through the converted file's load_torch_weights, and both run on the same input in eval mode and,
where the layer is deterministic there, in train mode (not NumPy: its models are inference only).
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TARGETS = ("jax", "numpy", "tensorflow")
sys.path.insert(0, str(ROOT / "tests" / "conformance"))
import conformance as cf  # noqa: E402  (tensor specs, framework imports)


@dataclasses.dataclass(frozen=True)
class Case:
    layer: str  # torch.nn.Conv2d
    index: int
    target: str
    sample: dict

    @property
    def id(self) -> str:
        return f"{self.target}-{self.layer.removeprefix('torch.nn.')}-{self.index}"

    @property
    def constructor(self) -> str:
        """`nn.Conv2d(3, 4, 3, padding=1)` as the sample writes it."""
        args = list(self.sample.get("args", []))
        args += [f"{k}={v}" for k, v in self.sample.get("kwargs", {}).items()]
        return f"nn.{self.layer.removeprefix('torch.nn.')}({', '.join(args)})"

    @property
    def skip_reason(self) -> str | None:
        targets = self.sample.get("targets")
        if targets and self.target not in targets:
            return self.sample.get("reason", "not for this target")
        return None


def load_samples() -> dict[str, list[dict]]:
    data = json.loads((HERE / "samples.json").read_text(encoding="utf-8"))
    data.pop("$comment", None)
    return data


def cases() -> list[Case]:
    return [Case(layer, i, t, s) for layer, samples in load_samples().items() for i, s in enumerate(samples)
            for t in TARGETS]


def make_input(case: Case) -> np.ndarray:
    spec = cf.parse_spec(case.sample["input"])
    return cf.make_array(spec, np.random.default_rng(1234 + case.index))


def torch_layer(case: Case):
    """The torch layer with seeded random parameters and buffers (running_var positive)."""
    torch = cf.fw("torch")
    nn = torch.nn
    layer = eval(case.constructor, {"nn": nn, "torch": torch})
    rng = np.random.default_rng(99)
    with torch.no_grad():
        for name, t in layer.state_dict().items():
            if t.dtype.is_floating_point:
                values = rng.uniform(0.5, 2.0, t.shape) if name.endswith("running_var") else rng.standard_normal(t.shape) * 0.5
                t.copy_(torch.from_numpy(values.astype(np.float32)))
    return layer


def torch_outputs(layer, x: np.ndarray, train: bool) -> dict[str, np.ndarray]:
    torch = cf.fw("torch")
    out = {}
    layer.eval()
    with torch.no_grad():
        out["eval"] = layer(cf.to_framework(x, "torch")).numpy()
        if train:
            layer.train()
            out["train"] = layer(cf.to_framework(x, "torch")).numpy()
            layer.eval()
    return out


def state_dict(layer, prefix: str = "layer.") -> dict:
    return {prefix + k: v.clone() for k, v in layer.state_dict().items()}


def target_outputs(target: str, model, x: np.ndarray, train: bool) -> dict[str, np.ndarray]:
    """The converted model's outputs in eval (and train) mode; weights already loaded."""
    xt = cf.to_framework(x, target)
    out = {}
    if target == "jax":
        model.eval()
        out["eval"] = np.asarray(model(xt))
        if train:
            model.train()
            out["train"] = np.asarray(model(xt))
            model.eval()
    elif target == "tensorflow":
        out["eval"] = np.asarray(model(xt, training=False))
        if train:
            out["train"] = np.asarray(model(xt, training=True))
    else:
        out["eval"] = np.asarray(model(xt))
    return out


def first_call(target: str, model, x: np.ndarray) -> None:
    """Keras creates weights on the first call: call once before loading."""
    if target == "tensorflow":
        model(cf.to_framework(x, target), training=False)


def compare(case: Case, want: dict, got: dict) -> None:
    rtol = case.sample.get("rtol", 1e-5)
    atol = case.sample.get("atol", 1e-5)
    for mode, w in want.items():
        if mode not in got:
            continue
        g = got[mode]
        assert g.shape == w.shape, f"{case.id} {mode}: shape {g.shape}, torch {w.shape}"
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, err_msg=f"{case.id} {mode}")


def deterministic_in_train(case: Case) -> bool:
    return case.sample.get("train", True) and case.target != "numpy"


def literal_ok(text: str) -> bool:
    try:
        ast.literal_eval(text)
        return True
    except (ValueError, SyntaxError):
        return False


def setup_env() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
