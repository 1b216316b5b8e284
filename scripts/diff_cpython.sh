#!/bin/sh
# The differential test of the front end against CPython 3.11's ast (tests/parser/diff_cpython.py).
#   scripts/diff_cpython.sh                              # stdlib + .venv site-packages, build/ivyc
#   scripts/diff_cpython.sh --sample 2000 --seed 1 --ivyc build-tests/ivyc --jobs 2
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
py="$root/.venv/bin/python"
[ -x "$py" ] || py=python3.11
exec "$py" "$root/tests/parser/diff_cpython.py" "$@"
