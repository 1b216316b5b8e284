"""Per-layer conformance through ivyc: for every sample of tests/layers/samples.json and every
target, a torch module

    class M3(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.Conv2d(3, 4, 3, padding=1)

        def forward(self, x):
            return self.layer(x)

is converted with `ivyc --from torch --to TARGET` (one file per target holding every sample's
class), torch's state_dict loaded into the converted model with the converted file's
load_torch_weights (Keras: after one call), and the outputs compared with torch's in eval mode and,
where the layer is deterministic, in train mode (not NumPy, inference only).
"""

import importlib.util
import os
import re
import subprocess
from pathlib import Path

import pytest

import layer_harness as h

h.setup_env()
CASES = h.cases()


def torch_source(cases) -> tuple[str, dict[int, tuple[int, int]]]:
    """The torch module with one class per sample, and each class's line range."""
    lines = ["import torch", "import torch.nn as nn", ""]
    spans = {}
    for i, case in enumerate(cases):
        start = len(lines) + 1
        lines += ["", f"class M{i}(nn.Module):", "    def __init__(self):", "        super().__init__()",
                  f"        self.layer = {case.constructor}", "", "    def forward(self, x):",
                  "        return self.layer(x)", ""]
        spans[i] = (start, len(lines))
    return "\n".join(lines) + "\n", spans


@pytest.fixture(scope="module")
def converted(ivyc, tmp_path_factory):
    """target -> (the converted module or the conversion's error, {case index: ivyc's warnings})."""
    out = {}
    base = [c for c in CASES if c.target == "jax"]  # the samples, once
    source, spans = torch_source(base)
    d = tmp_path_factory.mktemp("layers")
    src = d / "layers_torch.py"
    src.write_text(source)
    for target in h.TARGETS:
        dst = d / f"layers_{target}.py"
        cmd = [str(ivyc), str(src), "--from", "torch", "--to", target, "-o", str(dst)]
        if h.cf.takes_ops_option(ivyc):  # the tables of this tree, not the ones built into ivyc
            cmd += ["--ops", str(h.ROOT / "ops")]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        warnings = {}
        for m in re.finditer(r":(\d+):\d+: warning: (.*)", r.stderr):
            line = int(m.group(1))
            for i, (a, b) in spans.items():
                if a <= line <= b:
                    warnings.setdefault(i, []).append(m.group(2))
        if not dst.exists():  # exit 1 with an output: some call sites reported unsupported (mapped to cases)
            out[target] = (f"ivyc failed ({r.returncode}): {r.stderr[-2000:]}", warnings)
            continue
        spec = importlib.util.spec_from_file_location(f"layers_{target}", dst)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as e:  # noqa: BLE001  (reported by every case of the target)
            out[target] = (f"the converted file does not import: {type(e).__name__}: {e}", warnings)
            continue
        out[target] = (module, warnings)
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_layer(case, converted):
    if case.skip_reason:
        pytest.skip(case.skip_reason)
    module, warnings = converted[case.target]
    if isinstance(module, str):
        pytest.fail(module)
    index = [c for c in CASES if c.target == "jax"].index(
        next(c for c in CASES if c.target == "jax" and c.layer == case.layer and c.index == case.index))
    assert not warnings.get(index), f"ivyc: {warnings[index]}"
    model = getattr(module, f"M{index}")()
    x = h.make_input(case)
    layer = h.torch_layer(case)
    train = h.deterministic_in_train(case)
    weights = h.state_dict(layer)
    want = h.torch_outputs(layer, x, train)
    h.first_call(case.target, model, x)
    module.load_torch_weights(model, weights)
    got = h.target_outputs(case.target, model, x, train)
    h.compare(case, want, got)
