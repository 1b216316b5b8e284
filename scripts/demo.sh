#!/usr/bin/env bash
# The main job, end to end: installs what is missing, builds ivyc, converts the bundled example
# (examples/transformer_block.py, plain PyTorch functions) to JAX, NumPy and TensorFlow, shows
# what the conversion to JAX changed, and runs the original and every conversion on the same
# inputs and weights, printing the largest difference. Exits 1 if a conversion is incomplete or
# differs from torch by more than 1e-4.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

example=examples/transformer_block.py
mkdir -p build/demo
echo
echo "\$ build/ivyc $example --from torch --to jax -o build/demo/transformer_block_jax.py"
build/ivyc "$example" --from torch --to jax -o build/demo/transformer_block_jax.py
echo "\$ diff -u $example build/demo/transformer_block_jax.py"
diff -u "$example" build/demo/transformer_block_jax.py || true
echo
TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python scripts/demo_run.py --example "$example"
