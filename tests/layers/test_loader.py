"""load_torch_weights on a converted model that nests what torch's state_dict walks: Sequential
positions with weightless layers between weighted ones, a ModuleList of a file's own class, a
ModuleDict, nn.Parameter, buffers, and torch attribute reads of a layer (layer_attributes; Keras
creates a layer's weights on its first call, so the layer is called before they are read).
Every source kind (state_dict, NumPy dict, .safetensors with F32/F16/BF16/I64 tensors, .pt), every
error (missing / unexpected key, wrong shape: named, nothing changed), Keras's unbuilt model.
"""

import importlib.util
import json
import struct
import subprocess

import numpy as np
import pytest

import layer_harness as h

h.setup_env()
cf = h.cf

TORCH_MODEL = '''
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(channels)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x))) + x


class Net(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.BatchNorm2d(8),
                                  nn.MaxPool2d(2))
        self.blocks = nn.ModuleList([Block(8) for _ in range(2)])
        self.heads = nn.ModuleDict({"main": nn.Linear(8, classes), "aux": nn.Linear(8, 2)})
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.norm = nn.LayerNorm(8)
        self.emb = nn.Embedding(5, 8)
        self.fc = nn.Linear(8, classes)
        self.scale = nn.Parameter(torch.ones(classes))
        self.register_buffer("offset", torch.zeros(classes))

    def forward(self, x, ids):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        x = self.norm(self.flatten(self.pool(x)) + self.emb(ids))
        y = self.heads["main"](x) * self.scale + self.offset + self.heads["aux"](x).sum(dim=-1, keepdim=True)
        return y + self.fc(x) - x @ self.fc.weight.T + self.fc.bias
'''


@pytest.fixture(scope="module")
def converted(ivyc, tmp_path_factory):
    d = tmp_path_factory.mktemp("loader")
    src = d / "net_torch.py"
    src.write_text(TORCH_MODEL)
    out = {"torch": load(src, "net_torch")}
    for target in h.TARGETS:
        dst = d / f"net_{target}.py"
        cmd = [str(ivyc), str(src), "--from", "torch", "--to", target, "-o", str(dst)]
        if cf.takes_ops_option(ivyc):
            cmd += ["--ops", str(h.ROOT / "ops")]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        out[target] = load(dst, f"net_{target}") if r.returncode == 0 else r.stderr
    return out


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def inputs():
    rng = np.random.default_rng(3)
    return rng.standard_normal((2, 3, 16, 16)).astype(np.float32), rng.integers(0, 5, (2,))


def torch_net(module):
    """torch's Net with random weights, running statistics and LayerNorm affine (exact in bfloat16, for the
    .safetensors test), and its eval output."""
    torch = cf.fw("torch")
    torch.manual_seed(0)
    net = module.Net()
    rng = np.random.default_rng(5)
    with torch.no_grad():
        for name, t in net.state_dict().items():
            if t.dtype.is_floating_point:
                v = rng.uniform(0.5, 2, t.shape) if name.endswith("running_var") else rng.standard_normal(t.shape) * 0.3
                t.copy_(torch.from_numpy(v.astype(np.float32)).to(torch.bfloat16).float())
    net.eval()
    x, ids = inputs()
    with torch.no_grad():
        want = net(torch.from_numpy(x), torch.from_numpy(ids)).numpy()
    return net, want


def target_model(target, module):
    x, ids = inputs()
    model = module.Net()
    if target == "tensorflow":
        model(cf.to_framework(x, target), cf.to_framework(ids, target), training=False)
    return model


def run(target, model):
    x, ids = inputs()
    if target == "jax":
        model.eval()
    args = (cf.to_framework(x, target), cf.to_framework(ids, target))
    return np.asarray(model(*args, training=False) if target == "tensorflow" else model(*args))


def module_for(converted, target):
    m = converted[target]
    if isinstance(m, str):
        pytest.fail(f"ivyc failed: {m[-2000:]}")
    return m


@pytest.mark.parametrize("target", h.TARGETS)
def test_state_dict(converted, target):
    module = module_for(converted, target)
    net, want = torch_net(converted["torch"])
    model = target_model(target, module)
    module.load_torch_weights(model, net.state_dict())
    np.testing.assert_allclose(run(target, model), want, rtol=1e-4, atol=1e-4)


def write_safetensors(path, arrays):
    """A .safetensors file of {key: (array, safetensors dtype)}."""
    header, blobs, offset = {}, [], 0
    for key, (a, dtype) in arrays.items():
        if dtype == "BF16":
            raw = (a.astype(np.float32).view(np.uint32) >> 16).astype("<u2").tobytes()
        else:
            raw = a.astype({"F32": "<f4", "F16": "<f2", "I64": "<i8"}[dtype]).tobytes()
        header[key] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


@pytest.mark.parametrize("target", h.TARGETS)
def test_sources(converted, target, tmp_path):
    torch = cf.fw("torch")
    module = module_for(converted, target)
    net, want = torch_net(converted["torch"])
    arrays = {k: v.numpy() for k, v in net.state_dict().items()}
    sources = {"numpy": arrays}
    dtypes = {k: "I64" if v.dtype == np.int64 else "BF16" if "norm" in k else "F16" if k.startswith("fc.")
              else "F32" for k, v in arrays.items()}
    # F16 is exact only for the values F16 holds: round fc's weights there first.
    with torch.no_grad():
        for k, t in net.state_dict().items():
            if dtypes[k] == "F16":
                t.copy_(t.half().float())
        net.eval()
        x, ids = inputs()
        want = net(torch.from_numpy(x), torch.from_numpy(ids)).numpy()
    arrays = {k: v.numpy() for k, v in net.state_dict().items()}
    write_safetensors(tmp_path / "w.safetensors", {k: (a, dtypes[k]) for k, a in arrays.items()})
    torch.save(net.state_dict(), tmp_path / "w.pt")
    sources = {"numpy": arrays, "safetensors": str(tmp_path / "w.safetensors"), "pt": tmp_path / "w.pt"}
    for kind, source in sources.items():
        model = target_model(target, module)
        module.load_torch_weights(model, source)
        np.testing.assert_allclose(run(target, model), want, rtol=1e-4, atol=1e-4, err_msg=kind)


@pytest.mark.parametrize("target", h.TARGETS)
def test_errors(converted, target):
    module = module_for(converted, target)
    net, want = torch_net(converted["torch"])
    good = {k: v.numpy() for k, v in net.state_dict().items()}
    model = target_model(target, module)
    module.load_torch_weights(model, good)
    missing = dict(good)
    del missing["blocks.1.bn.running_var"]
    unexpected = dict(good, **{"heads.extra.weight": np.zeros((2, 8), np.float32)})
    shape = dict(good, **{"stem.0.weight": np.zeros((8, 3, 5, 5), np.float32)})
    zeros = {k: np.zeros_like(v) for k, v in good.items()}
    zeros["stem.0.weight"] = np.zeros((8, 3, 5, 5), np.float32)  # one bad key: nothing may change
    with pytest.raises(KeyError, match=r"blocks\.1\.bn\.running_var"):
        module.load_torch_weights(model, missing)
    with pytest.raises(KeyError, match=r"heads\.extra\.weight"):
        module.load_torch_weights(model, unexpected)
    with pytest.raises(ValueError, match=r"stem\.0\.weight.*\(8, 3, 5, 5\)"):
        module.load_torch_weights(model, shape)
    with pytest.raises(ValueError, match=r"stem\.0\.weight"):
        module.load_torch_weights(model, zeros)
    np.testing.assert_allclose(run(target, model), want, rtol=1e-4, atol=1e-4)
    module.load_torch_weights(model, dict(good, **{"stem.2.num_batches_tracked": np.array(3)}))  # accepted


def test_keras_unbuilt(converted):
    module = module_for(converted, "tensorflow")
    net, _ = torch_net(converted["torch"])
    with pytest.raises(ValueError, match="call the model once"):
        module.load_torch_weights(module.Net(), net.state_dict())
