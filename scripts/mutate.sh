#!/bin/sh
# The mutation test of the front end against CPython 3.11 (tests/parser/mutate.py).
#   scripts/mutate.sh --count 10000 --seed 1 --jobs 2 [--ivyc build/ivyc]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
py="$root/.venv/bin/python"
[ -x "$py" ] || py=python3.11
exec "$py" "$root/tests/parser/mutate.py" "$@"
