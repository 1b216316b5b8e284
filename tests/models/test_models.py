"""Whole models, converted (issue 4): every example model under examples/ (mlp, cnn, resnet18, gpt,
unet, lstm_tagger) is converted to JAX (Flax NNX), TensorFlow (Keras 3) and NumPy, given the
original's weights with the converted file's own `load_torch_weights`, and run against torch on
the same inputs (docs/modules.md says what a converted model file looks like):

- eval mode, every target: the outputs agree within 1e-4;
- train mode, jax and tensorflow, where it is deterministic (dropout probability 0; BatchNorm then
  normalizes with the batch's statistics): the outputs agree;
- one SGD step (lr 0.1) on a simple loss, jax and tensorflow: the loss agrees, and the stepped
  converted model's parameters equal those of a fresh converted model loaded from torch's stepped
  `state_dict`;
- BatchNorm's running statistics after a train-mode call (models with BatchNorm): they agree, and
  so does the eval output that uses them;
- `load_torch_weights` names the key on a missing key, an unexpected key and a wrong shape,
  changes nothing then, and takes NumPy arrays and a .safetensors file as well as a state_dict.

The weights are torch's initialization with BatchNorm's running statistics, scale and shift and
LayerNorm's scale and shift set to random values (their defaults, 0 and 1, would hide a loader
that skips or swaps them). A conversion may exit 1 (the examples' `__main__` blocks and training
code are reported unsupported); it must write the file, with the model classes converted.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import struct
import subprocess
import sys
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[2]
IVYC = os.environ.get("IVYC", str(ROOT / "build" / "ivyc"))
EXAMPLES = ROOT / "examples"
TARGETS = ["jax", "tensorflow", "numpy"]
TRAINABLE = ["jax", "tensorflow"]  # NumPy models are inference only
LR = 0.1
# Every model and target, NumPy's ResNet included: torch's own float32 outputs differ from its float64
# ones by at most 3e-6 on these inputs (GPT's logits reach 28), so an exact conversion is far inside.
ATOL = RTOL = 1e-4


# --- the models -----------------------------------------------------------------------------------

@dataclass
class Spec:
    file: str
    # builds the model from a module (the torch original or a conversion) and a dropout probability
    build: Callable
    input: Callable  # numpy Generator -> the input array
    loss: str  # "ce": cross-entropy over the last axis; "nll": the output is log-probabilities; "mse": mean of squares
    eval_dropout: float = 0.0  # the dropout of the eval-mode model (0.0: the model has none)
    has_batchnorm: bool = False


def _gpt(m, dropout):
    return m.GPT(m.GPTConfig(vocab_size=32, block_size=16, n_layer=2, n_head=2, n_embd=16, dropout=dropout, bias=True))


MODELS = {
    "mlp": Spec("mlp.py", lambda m, p: m.MLP(16, hidden=(12, 8), out_features=5, dropout=p),
                lambda rng: rng.standard_normal((4, 1, 4, 4)), "ce", eval_dropout=0.2),
    "cnn": Spec("cnn.py", lambda m, p: m.SmallCNN(num_classes=5, in_channels=3, dropout=p),
                lambda rng: rng.standard_normal((2, 3, 32, 32)), "ce", eval_dropout=0.3, has_batchnorm=True),
    "resnet18": Spec("resnet18.py", lambda m, p: m.ResNet18(num_classes=10, width=8),
                     lambda rng: rng.standard_normal((2, 3, 64, 64)), "ce", has_batchnorm=True),
    "gpt": Spec("gpt.py", _gpt, lambda rng: rng.integers(0, 32, (2, 12)), "ce", eval_dropout=0.1),
    "unet": Spec("unet.py", lambda m, p: m.UNet(in_channels=3, out_channels=2, base=8, depth=2),
                 lambda rng: rng.standard_normal((2, 3, 32, 32)), "mse", has_batchnorm=True),
    "lstm_tagger": Spec("lstm_tagger.py",
                        lambda m, p: m.LSTMTagger(20, 5, embedding_dim=8, hidden_dim=12, num_layers=2,
                                                  bidirectional=True),
                        lambda rng: rng.integers(0, 20, (3, 7)), "nll"),
}


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def the_input(name: str) -> np.ndarray:
    x = MODELS[name].input(np.random.default_rng(0))
    return x.astype(np.float32) if x.dtype.kind == "f" else x.astype(np.int64)


def to_target(target: str, a: np.ndarray):
    if target == "jax":
        import jax.numpy as jnp
        return jnp.asarray(a)
    if target == "tensorflow":
        import tensorflow as tf
        return tf.constant(a)
    return np.asarray(a)


# --- torch side -----------------------------------------------------------------------------------

def randomize(model) -> None:
    """Random values where torch's defaults (zeros and ones) would let a wrong loader pass."""
    import torch
    import torch.nn as nn
    g = torch.Generator().manual_seed(1)

    def uniform(t, lo, hi):
        t.copy_(torch.rand(t.shape, generator=g) * (hi - lo) + lo)

    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                uniform(m.running_mean, -0.5, 0.5)
                uniform(m.running_var, 0.5, 2.0)
                uniform(m.weight, 0.5, 1.5)
                uniform(m.bias, -0.5, 0.5)
                m.num_batches_tracked.fill_(7)
            elif isinstance(m, nn.LayerNorm):
                uniform(m.weight, 0.5, 1.5)
                if m.bias is not None:
                    uniform(m.bias, -0.5, 0.5)


def state_dict(model) -> OrderedDict:
    return OrderedDict((k, v.detach().clone()) for k, v in model.state_dict().items())


def torch_loss(kind: str, out, labels):
    import torch.nn.functional as F
    if kind == "ce":
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), labels.reshape(-1))
    if kind == "nll":
        return F.nll_loss(out.reshape(-1, out.shape[-1]), labels.reshape(-1))
    return out.pow(2).mean()


@dataclass
class Reference:
    """What torch computes for one model; `sd*` are state_dicts (tensors)."""
    x: np.ndarray
    eval_sd: OrderedDict  # the eval-mode model's weights (dropout eval_dropout)
    eval_out: np.ndarray
    sd: OrderedDict  # the train-mode model's weights (dropout 0)
    train_out: np.ndarray  # train mode, from `sd`
    stats_sd: OrderedDict  # after one train-mode call from `sd` (BatchNorm running stats updated)
    stats_eval_out: np.ndarray  # eval mode, from `stats_sd`
    labels: np.ndarray | None
    loss: float  # train mode, from `sd`
    stepped_sd: OrderedDict  # after one SGD step from `sd`
    param_count: int


def torch_reference(name: str) -> Reference:
    import torch
    spec = MODELS[name]
    original = load(EXAMPLES / spec.file, f"{name}_torch")
    x = the_input(name)
    tx = torch.from_numpy(x)

    def build(dropout):
        torch.manual_seed(0)
        model = spec.build(original, dropout)
        randomize(model)
        return model

    model = build(spec.eval_dropout).eval()
    eval_sd = state_dict(model)
    with torch.no_grad():
        eval_out = model(tx).numpy()

    model = build(0.0)
    sd = state_dict(model)
    param_count = sum(p.numel() for p in model.parameters())
    model.train()
    with torch.no_grad():
        train_out = model(tx).numpy()
    stats_sd = state_dict(model)
    with torch.no_grad():
        stats_eval_out = model.eval()(tx).numpy()

    model.load_state_dict(sd)
    model.train()
    labels = None
    if spec.loss in ("ce", "nll"):
        labels = np.random.default_rng(2).integers(0, train_out.shape[-1], train_out.shape[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    optimizer.zero_grad()
    loss = torch_loss(spec.loss, model(tx), None if labels is None else torch.from_numpy(labels))
    loss.backward()
    optimizer.step()
    return Reference(x, eval_sd, eval_out, sd, train_out, stats_sd, stats_eval_out, labels, loss.item(),
                     state_dict(model), param_count)


@pytest.fixture(scope="module")
def reference():
    """reference(name): torch's results for the model, computed once."""
    cache = {}

    def get(name: str) -> Reference:
        if name not in cache:
            cache[name] = torch_reference(name)
        return cache[name]
    return get


# --- converted side -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """converted(name, target): the converted file of examples/<name>.py, loaded; converted once."""
    cache = {}
    folder = tmp_path_factory.mktemp("models")

    def get(name: str, target: str):
        key = (name, target)
        if key not in cache:
            out = folder / f"{name}_{target}.py"
            command = [IVYC, str(EXAMPLES / MODELS[name].file), "--from", "torch", "--to", target, "-o", str(out)]
            try:
                r = subprocess.run(command, capture_output=True, text=True, timeout=120)
            except (OSError, subprocess.TimeoutExpired) as e:
                r = subprocess.CompletedProcess(command, -1, "", f"{type(e).__name__}: {e}")
            problem = None
            if r.returncode not in (0, 1) or not out.exists():
                problem = f"ivyc exited {r.returncode}, output {'written' if out.exists() else 'missing'}:\n{r.stderr}"
            module = None
            if problem is None:
                try:
                    module = load(out, f"{name}_{target}")
                except Exception as e:  # noqa: BLE001 - reported by every test that needs it
                    problem = f"{out} does not import: {type(e).__name__}: {e}\nivyc stderr:\n{r.stderr}"
            if module is not None and not hasattr(module, "load_torch_weights"):
                problem = f"{out} defines no load_torch_weights\nivyc stderr:\n{r.stderr}"
            cache[key] = (module, problem)
        module, problem = cache[key]
        if problem is not None:
            pytest.fail(problem, pytrace=False)
        return module
    return get


def check_type(target: str, model) -> None:
    """The converted class is the target's kind of model, not a torch module left as it was."""
    import torch
    assert not isinstance(model, torch.nn.Module), "the converted model is still a torch.nn.Module"
    if target == "jax":
        from flax import nnx
        assert isinstance(model, nnx.Module), type(model).__mro__
    elif target == "tensorflow":
        import keras
        assert keras.backend.backend() == "tensorflow"
        # keras.Model, unless the class sets `self.layers`, which keras.Model reserves (docs/modules.md).
        sets_layers = "layers" in vars(model)
        kind = keras.layers.Layer if sets_layers else keras.Model
        assert isinstance(model, kind), f"{type(model).__name__} is not a {kind.__name__}: {type(model).__mro__}"


def new_model(module, name: str, target: str, dropout: float, weights):
    """The converted model, built as the original was, with `weights` loaded."""
    model = MODELS[name].build(module, dropout)
    check_type(target, model)
    if target == "tensorflow":
        model(to_target(target, the_input(name)), training=False)  # Keras builds its weights on the first call
    module.load_torch_weights(model, weights)
    return model


def run(target: str, model, x: np.ndarray, train: bool) -> np.ndarray:
    """The model's output on `x` in train or eval mode, as a NumPy array (checked to be the target's array)."""
    if target == "jax":
        import jax
        model.train() if train else model.eval()
        out = model(to_target(target, x))
        assert isinstance(out, jax.Array), type(out)
    elif target == "tensorflow":
        import tensorflow as tf
        out = model(to_target(target, x), training=train)
        assert tf.is_tensor(out), type(out)
    else:
        assert not train, "NumPy models are inference only"
        out = model(to_target(target, x))
        assert isinstance(out, np.ndarray), type(out)
    return np.asarray(out)


def compare(got: np.ndarray, want: np.ndarray, name: str, target: str, what: str) -> None:
    assert got.shape == want.shape, f"{what}: shape {got.shape}, torch {want.shape}"
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=f"{name} -> {target}: {what}")


def target_loss(target: str, kind: str, labels: np.ndarray | None, classes: int):
    """The loss of the converted model's output, written in the target framework (torch's value for the same output)."""
    onehot = None if labels is None else np.eye(classes, dtype=np.float32)[labels]
    if target == "jax":
        import jax
        import jax.numpy as jnp
        mean, total, log_softmax, oh = jnp.mean, jnp.sum, jax.nn.log_softmax, onehot
    else:
        import tensorflow as tf
        mean, total, log_softmax, oh = tf.reduce_mean, tf.reduce_sum, tf.nn.log_softmax, onehot

    def loss(out):
        if kind == "ce":
            return -mean(total(oh * log_softmax(out, axis=-1), axis=-1))
        if kind == "nll":
            return -mean(total(oh * out, axis=-1))
        return mean(out * out)
    return loss


def variables(target: str, model, trainable: bool) -> list[tuple[str, np.ndarray]]:
    """(path, value) of the model's parameters (trainable) or of its other loaded state (running stats)."""
    if target == "jax":
        import jax
        from flax import nnx
        which = nnx.Param if trainable else nnx.Not(nnx.Any(nnx.Param, nnx.RngState, nnx.Cache))
        leaves = jax.tree_util.tree_flatten_with_path(nnx.state(model, which))[0]
        return [(jax.tree_util.keystr(path), np.asarray(v)) for path, v in leaves]
    vs = model.trainable_variables if trainable else model.non_trainable_variables
    return [(v.path, np.asarray(v)) for v in vs if "seed_generator" not in v.path]


def compare_variables(got: list, want: list, what: str) -> None:
    assert len(got) == len(want), f"{what}: {len(got)} variables against {len(want)}"
    assert got, f"{what}: no variables"
    for (path, a), (path_b, b) in zip(got, want):
        assert a.shape == b.shape, f"{what}: {path} has shape {a.shape}, {path_b} {b.shape}"
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=f"{what}: {path}")


# --- the tests ------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", list(MODELS))
def test_eval(name, target, reference, converted):
    ref = reference(name)
    module = converted(name, target)
    model = new_model(module, name, target, MODELS[name].eval_dropout, ref.eval_sd)
    compare(run(target, model, ref.x, train=False), ref.eval_out, name, target, "eval output")


@pytest.mark.parametrize("target", TRAINABLE)
@pytest.mark.parametrize("name", list(MODELS))
def test_train_mode(name, target, reference, converted):
    ref = reference(name)
    module = converted(name, target)
    model = new_model(module, name, target, 0.0, ref.sd)
    compare(run(target, model, ref.x, train=True), ref.train_out, name, target, "train-mode output")


@pytest.mark.parametrize("target", TRAINABLE)
@pytest.mark.parametrize("name", list(MODELS))
def test_parameter_count(name, target, reference, converted):
    """As many trainable numbers as torch's parameters (tied weights counted once)."""
    ref = reference(name)
    model = new_model(converted(name, target), name, target, 0.0, ref.sd)
    assert sum(v.size for _, v in variables(target, model, trainable=True)) == ref.param_count


@pytest.mark.parametrize("target", TRAINABLE)
@pytest.mark.parametrize("name", [n for n, s in MODELS.items() if s.has_batchnorm])
def test_running_stats(name, target, reference, converted):
    """A train-mode call updates BatchNorm's running statistics as torch does (momentum 0.1, the
    running variance from the unbiased batch variance), and the eval output then uses them."""
    ref = reference(name)
    module = converted(name, target)
    model = new_model(module, name, target, 0.0, ref.sd)
    run(target, model, ref.x, train=True)
    fresh = new_model(module, name, target, 0.0, ref.stats_sd)
    compare_variables(variables(target, model, trainable=False), variables(target, fresh, trainable=False),
                      f"{name} -> {target}: running statistics after a train-mode call")
    compare(run(target, model, ref.x, train=False), ref.stats_eval_out, name, target,
            "eval output after a train-mode call")


@pytest.mark.parametrize("target", TRAINABLE)
@pytest.mark.parametrize("name", list(MODELS))
def test_sgd_step(name, target, reference, converted):
    """One SGD step in train mode: the same loss, and the same parameters as torch's after it."""
    ref = reference(name)
    module = converted(name, target)
    model = new_model(module, name, target, 0.0, ref.sd)
    loss = target_loss(target, MODELS[name].loss, ref.labels, ref.train_out.shape[-1])
    x = to_target(target, ref.x)
    if target == "jax":
        import jax
        from flax import nnx
        model.train()
        value, grads = nnx.value_and_grad(lambda m: loss(m(x)))(model)
        params = nnx.state(model, nnx.Param)
        nnx.update(model, jax.tree.map(lambda p, g: p - LR * g, params, grads))
    else:
        import tensorflow as tf
        with tf.GradientTape() as tape:
            value = loss(model(x, training=True))
        grads = tape.gradient(value, model.trainable_variables)
        for v, g in zip(model.trainable_variables, grads):
            if g is not None:
                v.assign_sub(LR * tf.convert_to_tensor(g))
    np.testing.assert_allclose(float(value), ref.loss, rtol=RTOL, atol=ATOL, err_msg="the loss")
    fresh = new_model(module, name, target, 0.0, ref.stepped_sd)
    compare_variables(variables(target, model, trainable=True), variables(target, fresh, trainable=True),
                      f"{name} -> {target}: parameters after one SGD step")


# --- load_torch_weights ---------------------------------------------------------------------------

def write_safetensors(path: Path, arrays: dict) -> None:
    """The safetensors format: the header's length (8 bytes, little-endian), the JSON header, the raw bytes."""
    dtypes = {np.dtype("float32"): "F32", np.dtype("float64"): "F64", np.dtype("int64"): "I64"}
    header, blobs, offset = {}, [], 0
    for key, a in arrays.items():
        a = np.ascontiguousarray(a)
        data = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[key] = {"dtype": dtypes[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


LOADER_MODEL = "mlp"


@pytest.mark.parametrize("target", TARGETS)
def test_loader_errors(target, reference, converted):
    """A missing key, an unexpected key, a wrong shape: an error naming the key, and nothing changed."""
    import torch
    name = LOADER_MODEL
    ref = reference(name)
    module = converted(name, target)
    dropout = MODELS[name].eval_dropout
    model = new_model(module, name, target, dropout, ref.eval_sd)
    before = run(target, model, ref.x, train=False)
    doubled = OrderedDict((k, v * 2) for k, v in ref.eval_sd.items())
    last = list(doubled)[-1]
    wrong_shape = copy.copy(doubled)
    wrong_shape[last] = torch.zeros(tuple(s + 1 for s in doubled[last].shape))
    missing = copy.copy(doubled)
    del missing[last]
    extra = copy.copy(doubled)
    extra["head.extra_weight"] = torch.zeros(3)
    for case, weights, key in [("missing key", missing, last), ("unexpected key", extra, "head.extra_weight"),
                               ("wrong shape", wrong_shape, last)]:
        with pytest.raises((KeyError, ValueError)) as info:
            module.load_torch_weights(model, weights)
        assert key in str(info.value), f"{case}: the error does not name {key!r}: {info.value!r}"
        np.testing.assert_array_equal(run(target, model, ref.x, train=False), before,
                                      err_msg=f"{case}: the failed load changed the model")


@pytest.mark.parametrize("target", TARGETS)
def test_loader_sources(target, reference, converted, tmp_path):
    """A dict of NumPy arrays and a .safetensors file load as the state_dict does."""
    name = LOADER_MODEL
    ref = reference(name)
    module = converted(name, target)
    dropout = MODELS[name].eval_dropout
    arrays = {k: v.numpy() for k, v in ref.eval_sd.items()}
    model = new_model(module, name, target, dropout, arrays)
    compare(run(target, model, ref.x, train=False), ref.eval_out, name, target, "eval output, NumPy weights")
    path = tmp_path / f"{name}.safetensors"
    write_safetensors(path, arrays)
    model = new_model(module, name, target, dropout, str(path))
    compare(run(target, model, ref.x, train=False), ref.eval_out, name, target, "eval output, safetensors weights")


def test_safetensors_writer(tmp_path):
    """The test's own writer reads back (a check of the harness, not of ivyc)."""
    arrays = {"a.weight": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([7, -1], dtype=np.int64)}
    path = tmp_path / "t.safetensors"
    write_safetensors(path, arrays)
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    assert n % 8 == 0
    header = json.loads(raw[8:8 + n])
    body = raw[8 + n:]
    for key, a in arrays.items():
        begin, end = header[key]["data_offsets"]
        got = np.frombuffer(body[begin:end], dtype=a.dtype).reshape(header[key]["shape"])
        np.testing.assert_array_equal(got, a)
