#!/usr/bin/env python3
"""Converts a torch example with ivyc and runs the original and each conversion side by side on
the same inputs and weights, printing the largest difference (scripts/demo.sh calls it).

    .venv/bin/python scripts/demo_run.py [--ivyc build/ivyc] [--example examples/transformer_block.py]
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-4  # fp32, through a block of matmuls, softmax, gelu and layer norms


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def weights(c: int, classes: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    shapes = {"qkv_weight": (3 * c, c), "qkv_bias": (3 * c,), "proj_weight": (c, c), "proj_bias": (c,),
              "fc_weight": (4 * c, c), "fc_bias": (4 * c,), "out_weight": (c, 4 * c), "out_bias": (c,),
              "ln1_weight": (c,), "ln1_bias": (c,), "ln2_weight": (c,), "ln2_bias": (c,), "head": (c, classes)}
    w = {k: (rng.standard_normal(s) * 0.2).astype(np.float32) for k, s in shapes.items()}
    w["ln1_weight"] += 1
    w["ln2_weight"] += 1
    return w


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ivyc", default=os.environ.get("IVYC", str(ROOT / "build" / "ivyc")))
    ap.add_argument("--example", type=Path, default=ROOT / "examples" / "transformer_block.py")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "demo")
    args = ap.parse_args()
    args.example = args.example.resolve()
    args.out.mkdir(parents=True, exist_ok=True)

    w = weights(32, 5)
    x = np.random.default_rng(1).standard_normal((2, 10, 32)).astype(np.float32)

    import torch
    original = load(args.example, "example_torch")
    tw = {k: torch.from_numpy(v) for k, v in w.items()}
    want = original.pooled_logits(original.block(torch.from_numpy(x), tw), tw).numpy()
    print(f"torch       {args.example.name}: output {want.shape}, first row {np.round(want[0], 4)}")

    converters = {
        "jax": lambda a: __import__("jax.numpy").numpy.asarray(a),
        "numpy": lambda a: a,
        "tensorflow": lambda a: __import__("tensorflow").constant(a),
    }
    worst = 0.0
    for target, to_native in converters.items():
        out = args.out / f"{args.example.stem}_{target}.py"
        r = subprocess.run([args.ivyc, str(args.example), "--from", "torch", "--to", target, "-o", str(out)],
                           capture_output=True, text=True)
        sys.stderr.write(r.stderr)
        if r.returncode != 0:
            print(f"{target:11s} ivyc exited {r.returncode}: the example did not convert completely")
            return 1
        converted = load(out, f"example_{target}")
        if "torch" in sys.modules and "torch" in vars(converted):
            print(f"{target:11s} the converted file still imports torch")
            return 1
        cw = {k: to_native(v) for k, v in w.items()}
        got = np.asarray(converted.pooled_logits(converted.block(to_native(x), cw), cw))
        diff = float(np.max(np.abs(got - want)))
        worst = max(worst, diff)
        print(f"{target:11s} {out.relative_to(ROOT)}: largest difference from torch {diff:.2e}")
        if target == "jax":
            before = args.example.read_text().splitlines(keepends=True)
            after = out.read_text().splitlines(keepends=True)
            changed = sum(1 for line in difflib.ndiff(before, after) if line.startswith("+ "))
            print(f"            {changed} of {len(after)} lines differ from the original "
                  f"(diff -u {args.example.relative_to(ROOT)} {out.relative_to(ROOT)})")
    ok = worst <= TOLERANCE
    print(f"demo: {'OK' if ok else 'FAILED'}: largest difference {worst:.2e} (tolerance {TOLERANCE:g})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
