#!/usr/bin/env python3
"""Converts a bundled torch model with ivyc and runs the original and each conversion side by side:
the same input, the original's weights loaded into the converted model with the
`load_torch_weights` that the converted file defines, eval mode. Prints the largest difference
per target and exits 1 when a conversion fails or differs by more than 1e-4 (scripts/demo.sh
calls it).

    .venv/bin/python scripts/demo_model.py [--model gpt|resnet18|cnn|mlp] [--targets jax,tensorflow,numpy]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-4  # fp32 through a few dozen layers
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# How each model is built (from the original's module or the converted one) and fed.
MODELS = {
    "gpt": (lambda m: m.GPT(m.GPTConfig(vocab_size=64, block_size=32, n_layer=2, n_head=4, n_embd=32)),
            lambda rng: rng.integers(0, 64, (2, 24)).astype(np.int64)),
    "resnet18": (lambda m: m.ResNet18(num_classes=10, width=16),
                 lambda rng: rng.standard_normal((2, 3, 64, 64)).astype(np.float32)),
    "cnn": (lambda m: m.SmallCNN(num_classes=10),
            lambda rng: rng.standard_normal((2, 3, 32, 32)).astype(np.float32)),
    "mlp": (lambda m: m.MLP(16), lambda rng: rng.standard_normal((4, 1, 4, 4)).astype(np.float32)),
}


def native(target: str, x: np.ndarray):
    if target == "jax":
        import jax.numpy as jnp
        return jnp.asarray(x)
    if target == "tensorflow":
        import tensorflow as tf
        return tf.constant(x)
    return x


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ivyc", default=os.environ.get("IVYC", str(ROOT / "build" / "ivyc")))
    ap.add_argument("--model", choices=sorted(MODELS), default="gpt")
    ap.add_argument("--targets", default="jax,tensorflow,numpy")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "demo")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    import torch
    build, make_input = MODELS[args.model]
    example = ROOT / "examples" / f"{args.model}.py"
    original_module = load(example, f"demo_{args.model}_torch")
    torch.manual_seed(0)
    original = build(original_module).eval()
    x = make_input(np.random.default_rng(0))
    with torch.inference_mode():
        want = original(torch.from_numpy(x)).numpy()
    state = original.state_dict()
    print(f"{args.model}: {sum(p.numel() for p in original.parameters()):,} parameters, input {x.shape}, "
          f"output {want.shape}")

    failed = False
    for target in args.targets.split(","):
        out = args.out / f"{args.model}_{target}.py"
        r = subprocess.run([args.ivyc, example, "--from", "torch", "--to", target, "-o", out, "-q"],
                           capture_output=True, text=True)
        if not out.exists():
            print(f"  {target:10s} conversion failed:\n{r.stderr}")
            failed = True
            continue
        converted = load(out, f"demo_{args.model}_{target}")
        model = build(converted)
        xt = native(target, x)
        if target == "jax":
            model.eval()
        if target == "tensorflow":
            model(xt, training=False)  # Keras makes its weights on the first call
        converted.load_torch_weights(model, state)
        got = model(xt, training=False) if target == "tensorflow" else model(xt)
        diff = float(np.max(np.abs(np.asarray(got) - want)))
        ok = diff <= TOLERANCE
        failed = failed or not ok
        print(f"  {target:10s} {out.relative_to(ROOT)}: largest difference from torch {diff:.1e}"
              f"{'' if ok else '  (more than 1e-4)'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
