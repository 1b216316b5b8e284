#!/usr/bin/env bash
# The main job, end to end: installs what is missing, builds ivyc, and runs it on the bundled
# example model. Conversion is being built; until it lands, the demo parses examples/mlp.py,
# prints its syntax tree, and checks that the tree is exactly what CPython 3.11's ast.dump prints
# for the same file.
set -euo pipefail
cd "$(dirname "$0")/.."

example=${1:-examples/mlp.py}
scripts/setup.sh
scripts/build.sh

echo
echo "\$ build/ivyc parse $example --dump-ast"
ours=$(build/ivyc parse "$example" --dump-ast)
printf '%s\n' "$ours"

theirs=$(python3.11 -c 'import ast, sys
with open(sys.argv[1], "rb") as f:
    print(ast.dump(ast.parse(f.read(), filename=sys.argv[1])))' "$example")

echo
if [[ $ours == "$theirs" ]]; then
  echo "demo: ivyc's tree for $example is identical to python3.11's ast.dump (${#ours} characters)"
else
  # Where the two part, with some context on each side.
  python3.11 -c 'import sys
name, a, b = sys.argv[1:]
i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
print(f"demo: the tree for {name} differs from python3.11 ast.dump at character {i}:")
cut = "..." if i > 60 else ""
print("  python3.11: " + cut + a[max(0, i - 60):i + 60])
print("  build/ivyc: " + cut + b[max(0, i - 60):i + 60])' "$example" "$theirs" "$ours"
  exit 1
fi
