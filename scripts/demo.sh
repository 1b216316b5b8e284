#!/usr/bin/env bash
# The main job, end to end: installs what is missing, builds ivyc, converts the bundled model
# (examples/gpt.py, a small GPT written with torch.nn) to JAX / Flax NNX and shows what the
# conversion changed; then converts it to TensorFlow / Keras and NumPy too, loads the original's
# weights into each conversion (load_torch_weights, which the converted file defines), runs
# everything on the same tokens and prints the largest difference from torch. Last, the same for
# plain torch functions (examples/transformer_block.py). Exits 1 if a conversion fails or differs
# from torch by more than 1e-4.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

model=examples/gpt.py
mkdir -p build/demo
echo
echo "\$ build/ivyc $model --from torch --to jax -o build/demo/gpt_jax.py"
# Exit 1 is expected here: the file's training script (__main__) uses torch.optim, which is reported.
build/ivyc "$model" --from torch --to jax -o build/demo/gpt_jax.py || [[ $? == 1 ]]
echo "\$ diff -u $model build/demo/gpt_jax.py"
diff -u "$model" build/demo/gpt_jax.py || true
echo
TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python scripts/demo_model.py --model gpt
echo
TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python scripts/demo_run.py --example examples/transformer_block.py
