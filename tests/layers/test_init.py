"""nn.init on a layer's variable in __init__, converted: jax and numpy assign the drawn values
through the variable's target form; Keras gets the layer's initializer keyword. The draws are
random, so the test checks what identifies each distribution: bounds, zeros, spread."""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
IVYC = os.environ.get("IVYC", str(ROOT / "build" / "ivyc"))

SOURCE = '''import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(256, 128)
        self.emb = nn.Embedding(512, 256)
        self.head = nn.Linear(128, 256)
        nn.init.xavier_uniform_(self.fc.weight)
        nn.init.zeros_(self.fc.bias)
        nn.init.normal_(self.emb.weight, std=0.02)
        nn.init.kaiming_uniform_(self.head.weight, nonlinearity="relu")

    def forward(self, x):
        return self.head(self.fc(self.emb(x)))
'''


def weights(target: str, model):
    """(fc weight, fc bias, emb weight, head weight) as NumPy arrays in torch's layout."""
    if target == "jax":
        return (np.asarray(model.fc.kernel[...]).T, np.asarray(model.fc.bias[...]), np.asarray(model.emb.embedding[...]),
                np.asarray(model.head.kernel[...]).T)
    if target == "tensorflow":
        model(np.zeros((1, 3), np.int64))  # Keras makes the variables on the first call
        return (np.asarray(model.fc.kernel).T, np.asarray(model.fc.bias), np.asarray(model.emb.embeddings),
                np.asarray(model.head.kernel).T)
    return model.fc.weight, model.fc.bias, model.emb.weight, model.head.weight


@pytest.mark.parametrize("target", ["jax", "tensorflow", "numpy"])
def test_init_of_layer_variables(tmp_path, target):
    src = tmp_path / "net.py"
    src.write_text(SOURCE)
    out = tmp_path / f"net_{target}.py"
    r = subprocess.run([IVYC, src, "--from", "torch", "--to", target, "-o", out], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    spec = importlib.util.spec_from_file_location(f"init_{target}", out)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    fc_w, fc_b, emb_w, head_w = weights(target, module.Net())
    assert fc_w.shape == (128, 256) and head_w.shape == (256, 128) and emb_w.shape == (512, 256)
    xavier = math.sqrt(6 / (256 + 128))  # uniform in +-bound: its standard deviation is bound / sqrt(3)
    assert np.abs(fc_w).max() <= xavier and np.abs(fc_w).max() > 0.95 * xavier
    assert abs(fc_w.std() - xavier / math.sqrt(3)) < 0.05 * xavier
    assert not np.any(fc_b)
    assert abs(emb_w.std() - 0.02) < 0.002 and abs(emb_w.mean()) < 0.002
    kaiming = math.sqrt(2) * math.sqrt(3 / 128)  # fan_in of head: 128
    assert np.abs(head_w).max() <= kaiming and np.abs(head_w).max() > 0.95 * kaiming
