#!/usr/bin/env bash
# The full differential run of the front end against CPython 3.11: every .py file of the stdlib and
# of .venv's site-packages, parsed by build/ivyc and by ast.parse; the trees must be the same, and
# ivyc must reject exactly the files CPython rejects. Installs and builds first; the arguments go to
# tests/parser/diff_cpython.py (e.g. --jobs 2, --list-mismatches out.txt, or files and directories
# to check instead). Exits non-zero on any disagreement.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh
exec .venv/bin/python tests/parser/diff_cpython.py --ivyc build/ivyc "$@"
