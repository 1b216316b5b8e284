"""The bundled examples, converted to every target and run against torch on the same inputs (what
scripts/demo.sh shows, as a test): the conversion is complete (exit 0, no torch left) and the
results agree within 1e-4.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
IVYC = os.environ.get("IVYC", str(ROOT / "build" / "ivyc"))
sys.path.insert(0, str(ROOT / "scripts"))
import demo_run  # noqa: E402


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reference():
    import torch
    original = load(ROOT / "examples" / "transformer_block.py", "tb_torch")
    w = demo_run.weights(32, 5)
    x = np.random.default_rng(1).standard_normal((2, 10, 32)).astype(np.float32)
    tw = {k: torch.from_numpy(v) for k, v in w.items()}
    out = original.pooled_logits(original.block(torch.from_numpy(x), tw), tw).numpy()
    return w, x, out


@pytest.mark.parametrize("target", ["jax", "numpy", "tensorflow"])
def test_transformer_block(tmp_path, reference, target):
    w, x, want = reference
    out = tmp_path / f"tb_{target}.py"
    r = subprocess.run([IVYC, ROOT / "examples" / "transformer_block.py", "--from", "torch", "--to", target, "-o", out],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert "torch" not in text.replace("PyTorch", "")
    converted = load(out, f"tb_{target}")
    if target == "jax":
        import jax.numpy as native
        to = native.asarray
    elif target == "tensorflow":
        import tensorflow as tf
        to = tf.constant
    else:
        to = np.asarray
    cw = {k: to(v) for k, v in w.items()}
    got = np.asarray(converted.pooled_logits(converted.block(to(x), cw), cw))
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
