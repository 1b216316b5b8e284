#!/usr/bin/env bash
# Configures (Release, Ninja) and builds ivyc into build/: the compiler is build/ivyc, the unit
# tests build/tests/unit/ivyc_unit_tests. Extra arguments go to the CMake configure step
# (e.g. -DIVYC_SANITIZE=ON). IVYC_JOBS caps the parallel compile jobs (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
# A build tree made by another generator cannot be reconfigured with Ninja: start it afresh.
if [[ -f $build/CMakeCache.txt ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build/CMakeCache.txt"; then
  echo "build: $build/ was not configured with Ninja; reconfiguring from scratch"
  rm -rf "$build"
fi
# The options are given every time, so that a build/ configured by hand with others (sanitizers,
# say) comes back to the plain build; arguments given here come last and win.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIVYC_SANITIZE=OFF -DIVYC_FUZZ=OFF \
  -DIVYC_TESTS=ON "$@" >/dev/null
cmake --build "$build" -j "${IVYC_JOBS:-$(nproc)}"
