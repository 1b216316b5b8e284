#!/usr/bin/env bash
# Runs every test suite: installs what is missing (scripts/setup.sh), builds (scripts/build.sh),
# then CTest runs the Catch2 unit tests and the pytest suites (tests/parser, tests/file,
# tests/driver, ...). Exits non-zero when any test fails, and when there are no tests to run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure --no-tests=error "$@"
