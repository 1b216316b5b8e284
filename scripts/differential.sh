#!/usr/bin/env bash
# The full differential run of the front end against CPython 3.11: every .py file of the stdlib and
# of .venv's site-packages, parsed by build/ivyc and by ast.parse; the trees must be the same, and
# ivyc must reject exactly the files CPython rejects. Installs and builds first, then runs
# scripts/diff_cpython.sh (tests/parser/diff_cpython.py) on build/ivyc; the arguments go to it (e.g.
# --jobs 2, --list-mismatches out.txt, or files and directories to check instead). Exits non-zero
# on any disagreement.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh
exec scripts/diff_cpython.sh --ivyc build/ivyc "$@"
