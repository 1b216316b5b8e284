"""Hand-written native baselines for bench/model_bench.py.

The same architectures as examples/resnet18.py and examples/gpt.py, written the way a JAX (Flax
NNX) or Keras user would write them by hand, in each framework's own layout: NHWC images, kernels
stored (H, W, in, out) and (in, out). Random initialisation, eval mode. They are what the
converted models are timed against, to show that a converted model has no per-call overhead a
hand-written one would not have.

    resnet18_nnx(num_classes, width)        # model(x), x (N, H, W, 3) float32
    resnet18_keras(num_classes, width)      # model(x, training=False)
    gpt_nnx(vocab_size, block_size, n_layer, n_head, n_embd)    # model(idx), idx (N, T) ints
    gpt_keras(vocab_size, block_size, n_layer, n_head, n_embd)  # model(idx, training=False)

Every model has the torch example's parameters, one for one (same shapes up to the layout, same
count; the running statistics of batch norm are not parameters in either), and the same
epsilons (1e-5) so that it computes the same function given the same weights. The one deliberate
difference: resnet18_keras uses padding="same", as Keras code does, where torch pads 1 (3) pixels
on each side; for an even-sized input a stride-2 layer then pads 0 before and 1 after instead of
1 and 1 (and the stem 2 and 3 instead of 3 and 3). Output sizes and work are the same; the border
values differ. For inputs whose size is odd at every stride-2 layer (e.g. 65x65) the two agree.

Run it directly to check the models against the torch examples (parameter counts, output shapes,
and outputs with the torch weights copied in):
    .venv/bin/python bench/handwritten.py
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import jax
import jax.numpy as jnp
import keras
from flax import nnx
from flax import linen
from keras import layers, ops

EPS = 1e-5  # torch's BatchNorm2d and LayerNorm default


# --------------------------------------------------------------------------------- Flax NNX


class BasicBlockNNX(nnx.Module):
    def __init__(self, in_ch: int, out_ch: int, stride: int, *, rngs: nnx.Rngs):
        conv = lambda i, o, k, s, p: nnx.Conv(i, o, (k, k), strides=(s, s), padding=((p, p), (p, p)),
                                              use_bias=False, rngs=rngs)
        bn = lambda c: nnx.BatchNorm(c, use_running_average=True, epsilon=EPS, rngs=rngs)
        self.conv1, self.bn1 = conv(in_ch, out_ch, 3, stride, 1), bn(out_ch)
        self.conv2, self.bn2 = conv(out_ch, out_ch, 3, 1, 1), bn(out_ch)
        self.downsample = (nnx.Sequential(conv(in_ch, out_ch, 1, stride, 0), bn(out_ch))
                           if stride != 1 or in_ch != out_ch else None)

    def __call__(self, x):
        y = nnx.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return nnx.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet18NNX(nnx.Module):
    """(N, H, W, 3) images to (N, num_classes) logits."""

    def __init__(self, num_classes: int = 1000, width: int = 64, *, rngs: nnx.Rngs):
        self.conv1 = nnx.Conv(3, width, (7, 7), strides=(2, 2), padding=((3, 3), (3, 3)), use_bias=False,
                              rngs=rngs)
        self.bn1 = nnx.BatchNorm(width, use_running_average=True, epsilon=EPS, rngs=rngs)
        stage = lambda i, o, s: nnx.List([BasicBlockNNX(i, o, s, rngs=rngs), BasicBlockNNX(o, o, 1, rngs=rngs)])
        self.layer1 = stage(width, width, 1)
        self.layer2 = stage(width, 2 * width, 2)
        self.layer3 = stage(2 * width, 4 * width, 2)
        self.layer4 = stage(4 * width, 8 * width, 2)
        self.fc = nnx.Linear(8 * width, num_classes, rngs=rngs)

    def __call__(self, x):
        x = nnx.relu(self.bn1(self.conv1(x)))
        x = linen.max_pool(x, (3, 3), strides=(2, 2), padding=((1, 1), (1, 1)))
        for stage in (self.layer1, self.layer2, self.layer3, self.layer4):
            for block in stage:
                x = block(x)
        return self.fc(x.mean(axis=(1, 2)))


def resnet18_nnx(num_classes: int = 1000, width: int = 64, seed: int = 0) -> ResNet18NNX:
    model = ResNet18NNX(num_classes, width, rngs=nnx.Rngs(seed))
    model.eval()
    return model


class CausalSelfAttentionNNX(nnx.Module):
    def __init__(self, n_embd: int, n_head: int, *, rngs: nnx.Rngs):
        self.n_head = n_head
        self.qkv = nnx.Linear(n_embd, 3 * n_embd, rngs=rngs)
        self.proj = nnx.Linear(n_embd, n_embd, rngs=rngs)

    def __call__(self, x):
        B, T, C = x.shape
        q, k, v = jnp.split(self.qkv(x), 3, axis=-1)
        q, k, v = (a.reshape(B, T, self.n_head, C // self.n_head) for a in (q, k, v))
        att = jnp.einsum("bqhd,bkhd->bhqk", q, k) / jnp.sqrt(C // self.n_head).astype(x.dtype)
        att = jnp.where(jnp.tril(jnp.ones((T, T), dtype=bool)), att, -jnp.inf)
        y = jnp.einsum("bhqk,bkhd->bqhd", jax.nn.softmax(att, axis=-1), v)
        return self.proj(y.reshape(B, T, C))


class BlockNNX(nnx.Module):
    def __init__(self, n_embd: int, n_head: int, *, rngs: nnx.Rngs):
        self.ln1 = nnx.LayerNorm(n_embd, epsilon=EPS, rngs=rngs)
        self.attn = CausalSelfAttentionNNX(n_embd, n_head, rngs=rngs)
        self.ln2 = nnx.LayerNorm(n_embd, epsilon=EPS, rngs=rngs)
        self.fc = nnx.Linear(n_embd, 4 * n_embd, rngs=rngs)
        self.proj = nnx.Linear(4 * n_embd, n_embd, rngs=rngs)

    def __call__(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.proj(jax.nn.gelu(self.fc(self.ln2(x)), approximate=False))


class GPTNNX(nnx.Module):
    """(N, T) token ids to (N, T, vocab_size) logits, the output tied to the token embedding."""

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, *, rngs: nnx.Rngs):
        self.tok_emb = nnx.Embed(vocab_size, n_embd, rngs=rngs)
        self.pos_emb = nnx.Embed(block_size, n_embd, rngs=rngs)
        self.blocks = nnx.List([BlockNNX(n_embd, n_head, rngs=rngs) for _ in range(n_layer)])
        self.ln_f = nnx.LayerNorm(n_embd, epsilon=EPS, rngs=rngs)

    def __call__(self, idx):
        x = self.tok_emb(idx) + self.pos_emb(jnp.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x) @ self.tok_emb.embedding[...].T


def gpt_nnx(vocab_size: int, block_size: int, n_layer: int, n_head: int, n_embd: int, seed: int = 0) -> GPTNNX:
    model = GPTNNX(vocab_size, block_size, n_layer, n_head, n_embd, rngs=nnx.Rngs(seed))
    model.eval()
    return model


# -------------------------------------------------------------------------------------- Keras


def resnet18_keras(num_classes: int = 1000, width: int = 64) -> keras.Model:
    """Functional Keras ResNet-18, channels_last: (N, H, W, 3) images to (N, num_classes) logits."""

    def conv_bn(x, filters, kernel, stride, name):
        x = layers.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False, name=f"{name}.conv")(x)
        return layers.BatchNormalization(epsilon=EPS, name=f"{name}.bn")(x)

    def block(x, filters, stride, name):
        y = layers.ReLU()(conv_bn(x, filters, 3, stride, f"{name}.1"))
        y = conv_bn(y, filters, 3, 1, f"{name}.2")
        if stride != 1 or x.shape[-1] != filters:
            x = conv_bn(x, filters, 1, stride, f"{name}.downsample")
        return layers.ReLU()(layers.Add()([y, x]))

    inputs = keras.Input(shape=(None, None, 3))
    x = layers.ReLU()(conv_bn(inputs, width, 7, 2, "stem"))
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    for i, (filters, stride) in enumerate([(width, 1), (2 * width, 2), (4 * width, 2), (8 * width, 2)]):
        x = block(x, filters, stride, f"layer{i + 1}.0")
        x = block(x, filters, 1, f"layer{i + 1}.1")
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, name="fc")(x)
    return keras.Model(inputs, outputs, name="resnet18")


class CausalSelfAttentionKeras(layers.Layer):
    def __init__(self, n_embd: int, n_head: int, **kwargs):
        super().__init__(**kwargs)
        self.n_head, self.n_embd = n_head, n_embd
        self.qkv = layers.Dense(3 * n_embd)
        self.proj = layers.Dense(n_embd)

    def call(self, x):
        B, T = ops.shape(x)[0], ops.shape(x)[1]
        hs = self.n_embd // self.n_head
        q, k, v = ops.split(self.qkv(x), 3, axis=-1)
        q, k, v = (ops.reshape(a, (B, T, self.n_head, hs)) for a in (q, k, v))
        att = ops.einsum("bqhd,bkhd->bhqk", q, k) * (1.0 / hs ** 0.5)
        att = ops.where(ops.tril(ops.ones((T, T), dtype="bool")), att, float("-inf"))
        y = ops.einsum("bhqk,bkhd->bqhd", ops.softmax(att, axis=-1), v)
        return self.proj(ops.reshape(y, (B, T, self.n_embd)))


class BlockKeras(layers.Layer):
    def __init__(self, n_embd: int, n_head: int, **kwargs):
        super().__init__(**kwargs)
        self.ln1 = layers.LayerNormalization(epsilon=EPS)
        self.attn = CausalSelfAttentionKeras(n_embd, n_head)
        self.ln2 = layers.LayerNormalization(epsilon=EPS)
        self.fc = layers.Dense(4 * n_embd)
        self.proj = layers.Dense(n_embd)

    def call(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.proj(ops.gelu(self.fc(self.ln2(x)), approximate=False))


class GPTKeras(keras.Model):
    """(N, T) token ids to (N, T, vocab_size) logits, the output tied to the token embedding."""

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, **kwargs):
        super().__init__(**kwargs)
        self.tok_emb = layers.Embedding(vocab_size, n_embd)
        self.pos_emb = layers.Embedding(block_size, n_embd)
        self.blocks = [BlockKeras(n_embd, n_head) for _ in range(n_layer)]
        self.ln_f = layers.LayerNormalization(epsilon=EPS)

    def call(self, idx):
        x = self.tok_emb(idx) + self.pos_emb(ops.arange(ops.shape(idx)[1]))
        for block in self.blocks:
            x = block(x)
        return ops.matmul(self.ln_f(x), ops.transpose(self.tok_emb.embeddings))


def gpt_keras(vocab_size: int, block_size: int, n_layer: int, n_head: int, n_embd: int) -> GPTKeras:
    model = GPTKeras(vocab_size, block_size, n_layer, n_head, n_embd)
    model(ops.zeros((1, block_size), dtype="int32"), training=False)  # builds the weights
    return model


# ------------------------------------------------------------------------------- self-check


def nnx_param_count(model) -> int:
    return sum(v.size for v in jax.tree_util.tree_leaves(nnx.state(model, nnx.Param)))


def keras_param_count(model) -> int:
    return sum(int(w.numpy().size) for w in model.trainable_weights)


def _load_resnet_nnx(model, state):
    """Copies a torch ResNet18 state_dict into ResNet18NNX (OIHW -> HWIO, (out, in) -> (in, out))."""
    names = {"kernel": "weight", "scale": "weight", "bias": "bias", "mean": "running_mean", "var": "running_var"}
    for path, var in nnx.to_flat_state(nnx.state(model)):
        key = ".".join(str(p) for p in path if p != "layers")
        key = key.rsplit(".", 1)[0] + "." + names[path[-1]]
        value = state[key].numpy()
        if value.ndim == 4:
            value = value.transpose(2, 3, 1, 0)
        elif value.ndim == 2:
            value = value.T
        assert value.shape == var[...].shape, (key, value.shape, var[...].shape)
        var[...] = jnp.asarray(value)


def _load_gpt_nnx(model, state):
    names = {"kernel": "weight", "scale": "weight", "bias": "bias", "embedding": "weight"}
    for path, var in nnx.to_flat_state(nnx.state(model)):
        key = ".".join(str(p) for p in path)
        key = key.rsplit(".", 1)[0] + "." + names[path[-1]]
        key = key.replace(".fc.", ".mlp.fc.").replace(".proj.", ".mlp.proj.").replace(".attn.mlp.", ".attn.")
        value = state[key].numpy()
        if path[-1] == "kernel":
            value = value.T
        assert value.shape == var[...].shape, (key, value.shape, var[...].shape)
        var[...] = jnp.asarray(value)


def _load_resnet_keras(model, state):
    """Copies a torch ResNet18 state_dict into resnet18_keras's layers (named after torch's)."""
    for layer in model.layers:
        if not layer.weights or layer.name == "fc":
            continue
        prefix, kind = layer.name.rsplit(".", 1)
        if prefix == "stem":
            torch_name = f"{kind}1"
        elif prefix.endswith(".downsample"):
            torch_name = prefix + (".0" if kind == "conv" else ".1")
        else:
            block, index = prefix.rsplit(".", 1)
            torch_name = f"{block}.{kind}{index}"
        if kind == "conv":
            layer.kernel.assign(state[f"{torch_name}.weight"].numpy().transpose(2, 3, 1, 0))
        else:
            layer.set_weights([state[f"{torch_name}.{n}"].numpy()
                               for n in ("weight", "bias", "running_mean", "running_var")])
    model.get_layer("fc").set_weights([state["fc.weight"].numpy().T, state["fc.bias"].numpy()])


def _load_gpt_keras(model, state):
    get = lambda k: state[k].numpy()
    model.tok_emb.embeddings.assign(get("tok_emb.weight"))
    model.pos_emb.embeddings.assign(get("pos_emb.weight"))
    dense = lambda layer, k: layer.set_weights([get(f"{k}.weight").T, get(f"{k}.bias")])
    norm = lambda layer, k: layer.set_weights([get(f"{k}.weight"), get(f"{k}.bias")])
    for i, block in enumerate(model.blocks):
        p = f"blocks.{i}."
        norm(block.ln1, p + "ln1"), norm(block.ln2, p + "ln2")
        dense(block.attn.qkv, p + "attn.qkv"), dense(block.attn.proj, p + "attn.proj")
        dense(block.fc, p + "mlp.fc"), dense(block.proj, p + "mlp.proj")
    norm(model.ln_f, "ln_f")


def _check() -> int:
    """Parameter counts, output shapes and outputs against the torch examples; 0 when all agree."""
    import importlib.util
    from pathlib import Path

    import numpy as np
    import torch

    root = Path(__file__).resolve().parents[1]

    def load(name):
        spec = importlib.util.spec_from_file_location(f"handwritten_check_{name}", root / "examples" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    failures = 0

    def report(name, torch_model, n_params, got, want, tol):
        nonlocal failures
        torch_params = sum(p.numel() for p in torch_model.parameters())
        diff = float(np.max(np.abs(np.asarray(got) - want))) if np.shape(got) == want.shape else float("inf")
        ok = n_params == torch_params and tuple(np.shape(got)) == want.shape and (tol is None or diff < tol)
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: params {n_params} (torch {torch_params}), "
              f"output {tuple(np.shape(got))} (torch {want.shape}), max diff {diff:.1e}"
              + (" (not checked: padding='same' pads stride-2 layers differently at even sizes)"
                 if tol is None else ""))

    resnet = load("resnet18")
    for num_classes, width, size in [(1000, 64, 224), (10, 16, 65)]:
        original = resnet.ResNet18(num_classes, width).eval()
        with torch.no_grad():  # random batch statistics, so that batch norm does something
            for m in original.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.5, 0.5), m.running_var.uniform_(0.5, 2.0)
                    m.weight.uniform_(0.5, 1.5), m.bias.uniform_(-0.5, 0.5)
        x = rng.standard_normal((2, 3, size, size)).astype(np.float32)
        with torch.no_grad():
            want = original(torch.from_numpy(x)).numpy()
        xh = x.transpose(0, 2, 3, 1)
        model = resnet18_nnx(num_classes, width)
        n = nnx_param_count(model)
        _load_resnet_nnx(model, original.state_dict())
        report(f"resnet18_nnx({num_classes}, {width}) {size}x{size}", original, n,
               nnx.jit(lambda m, v: m(v))(model, jnp.asarray(xh)), want, 1e-3)
        model = resnet18_keras(num_classes, width)
        n = keras_param_count(model)
        _load_resnet_keras(model, original.state_dict())
        report(f"resnet18_keras({num_classes}, {width}) {size}x{size}", original, n,
               model(xh, training=False).numpy(), want, 1e-3 if size % 2 else None)

    gpt = load("gpt")
    args = dict(vocab_size=512, block_size=64, n_layer=4, n_head=4, n_embd=128)
    original = gpt.GPT(gpt.GPTConfig(**args, dropout=0.0)).eval()
    tokens = rng.integers(0, 512, (8, 64)).astype(np.int64)
    with torch.no_grad():
        want = original(torch.from_numpy(tokens)).numpy()
    model = gpt_nnx(**args)
    n = nnx_param_count(model)
    _load_gpt_nnx(model, original.state_dict())
    report("gpt_nnx", original, n, nnx.jit(lambda m, v: m(v))(model, jnp.asarray(tokens)), want, 1e-3)
    model = gpt_keras(**args)
    n = keras_param_count(model)
    _load_gpt_keras(model, original.state_dict())
    report("gpt_keras", original, n, model(tokens, training=False).numpy(), want, 1e-3)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(_check())
