"""Forward time of converted models against the torch original (issue 4).

For each model (examples/resnet18.py, examples/gpt.py) the bench converts the file to jax and
tensorflow with ivyc, loads the torch model's weights into the converted one with the
load_torch_weights that the converted file defines, checks that the outputs agree, and times one
forward pass in eval mode, on CPU, in the same process:

* torch: the original under torch.inference_mode();
* jax: the converted nnx model under nnx.jit (model and input as arguments);
* tensorflow: the converted Keras model's call under tf.function (training=False).

Each target is also measured against a hand-written native baseline (bench/handwritten.py): the
same architecture written by hand the way a Flax NNX or Keras user would, in the framework's own
layout (NHWC for the CNN, whose input is transposed once, outside the timed call), random weights,
eval mode, timed the same way (nnx.jit / tf.function).

Each is warmed up (compilation excluded), then timed `--runs` times; the median is reported, with
each target's ratio to torch (below 1: faster than torch) and the converted model's ratio to the
hand-written one (`<target>_vs_handwritten`; 1: as fast). The goal is no per-call overhead a
hand-written model would not have: the converted code calls the frameworks directly, with no
wrapper and no run-time layout change.

    .venv/bin/python bench/model_bench.py [--runs 30] [--json bench/results/models.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/handwritten.py
IVYC = os.environ.get("IVYC", str(ROOT / "build" / "ivyc"))
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def models():
    """(label, example stem, class, constructor, torch module, input, hand-written builders, layout)
    for each benchmarked model; the builders map a target to a function that makes the hand-written
    model, and the layout to the input it takes ("nhwc": the NCHW input transposed)."""
    import handwritten
    torch_resnet = load(ROOT / "examples" / "resnet18.py", "bench_resnet18_torch")
    torch_gpt = load(ROOT / "examples" / "gpt.py", "bench_gpt_torch")
    rng = np.random.default_rng(0)
    image = rng.standard_normal((2, 3, 224, 224)).astype(np.float32)
    tokens = rng.integers(0, 512, (8, 64)).astype(np.int64)
    gpt_sizes = dict(vocab_size=512, block_size=64, n_layer=4, n_head=4, n_embd=128)
    gpt_args = dict(gpt_sizes, dropout=0.0)
    return [
        ("resnet18 (width 64, 2x3x224x224)", "resnet18", "ResNet18",
         lambda m: m.ResNet18(num_classes=1000, width=64), torch_resnet, image,
         {"jax": lambda: handwritten.resnet18_nnx(num_classes=1000, width=64),
          "tensorflow": lambda: handwritten.resnet18_keras(num_classes=1000, width=64)}, "nhwc"),
        ("gpt (4 layers, 128 wide, 8x64 tokens)", "gpt", "GPT",
         lambda m: m.GPT(m.GPTConfig(**gpt_args)), torch_gpt, tokens,
         {"jax": lambda: handwritten.gpt_nnx(**gpt_sizes),
          "tensorflow": lambda: handwritten.gpt_keras(**gpt_sizes)}, None),
    ]


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import torch
    import jax
    import jax.numpy as jnp
    import tensorflow as tf
    from flax import nnx

    torch.manual_seed(0)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, stem, cls, build, torch_module, x, handwritten, layout in models():
            x_native = np.ascontiguousarray(x.transpose(0, 2, 3, 1)) if layout == "nhwc" else x
            original = build(torch_module).eval()
            with torch.inference_mode():
                want = original(torch.from_numpy(x)).numpy()
                t_torch = median_time(lambda: original(torch.from_numpy(x)), args.runs)
            state = original.state_dict()
            row = {"model": label, "torch_ms": t_torch * 1e3}
            for target in ("jax", "tensorflow"):
                out = Path(tmp) / f"{stem}_{target}.py"
                r = subprocess.run([IVYC, ROOT / "examples" / f"{stem}.py", "--from", "torch", "--to", target,
                                    "-o", out, "-q"], capture_output=True, text=True)
                if not out.exists():
                    print(f"{label}: ivyc could not convert to {target}:\n{r.stderr}", file=sys.stderr)
                    return 1
                converted = load(out, f"bench_{stem}_{target}")
                model = build(converted)
                if target == "jax":
                    model.eval()
                    xj = jnp.asarray(x)
                    converted.load_torch_weights(model, state)
                    forward = nnx.jit(lambda m, v: m(v))
                    got = np.asarray(forward(model, xj))
                    call = lambda: forward(model, xj).block_until_ready()
                else:
                    xt = tf.constant(x)
                    model(xt, training=False)  # Keras makes its weights on the first call
                    converted.load_torch_weights(model, state)
                    forward = tf.function(lambda v: model(v, training=False))
                    got = forward(xt).numpy()
                    call = lambda: forward(xt).numpy()
                diff = float(np.max(np.abs(got - want)))
                call()
                t = median_time(call, args.runs)
                row[f"{target}_ms"] = t * 1e3
                row[f"{target}_ratio"] = t / t_torch
                row[f"{target}_max_abs_diff"] = diff

                # The hand-written native model, timed the same way (random weights: no output check).
                native = handwritten[target]()
                if target == "jax":
                    xn = jnp.asarray(x_native)
                    native_forward = nnx.jit(lambda m, v: m(v))
                    native_forward(native, xn).block_until_ready()
                    native_call = lambda: native_forward(native, xn).block_until_ready()
                else:
                    xn = tf.constant(x_native)
                    native_forward = tf.function(lambda v: native(v, training=False))
                    native_forward(xn).numpy()
                    native_call = lambda: native_forward(xn).numpy()
                if native_call().shape != got.shape:
                    print(f"{label}: the hand-written {target} model's output shape differs", file=sys.stderr)
                    return 1
                t_native = median_time(native_call, args.runs)
                row[f"{target}_handwritten_ms"] = t_native * 1e3
                row[f"{target}_vs_handwritten"] = t / t_native
            results.append(row)
            print(f"{label}: torch {row['torch_ms']:.2f} ms | jax {row['jax_ms']:.2f} ms "
                  f"({row['jax_ratio']:.2f}x, max diff {row['jax_max_abs_diff']:.1e}; hand-written "
                  f"{row['jax_handwritten_ms']:.2f} ms, {row['jax_vs_handwritten']:.2f}x) | tensorflow "
                  f"{row['tensorflow_ms']:.2f} ms ({row['tensorflow_ratio']:.2f}x, max diff "
                  f"{row['tensorflow_max_abs_diff']:.1e}; hand-written {row['tensorflow_handwritten_ms']:.2f} ms, "
                  f"{row['tensorflow_vs_handwritten']:.2f}x)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": platform.platform(), "cpus": os.cpu_count(),
                                         "runs": args.runs, "results": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
