#!/usr/bin/env bash
# Configures (Release, Ninja) and builds ivyc into build/: the compiler is build/ivyc, the unit
# tests build/tests/unit/ivyc_unit_tests, the Python extension build/python/ivyc/_engine*.so.
# Extra arguments go to the CMake configure step (e.g. -DIVYC_SANITIZE=ON). IVYC_JOBS caps the
# parallel compile jobs (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
# A build tree made by another generator cannot be reconfigured with Ninja: start it afresh.
if [[ -f $build/CMakeCache.txt ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build/CMakeCache.txt"; then
  echo "build: $build/ was not configured with Ninja; reconfiguring from scratch"
  rm -rf "$build"
fi
# The Python extension ivyc._engine (python/, CMake option IVYC_PYTHON_MODULE) is built when .venv
# has pybind11 and its Python's headers are installed; otherwise the build goes on without it.
python_opts=(-DIVYC_PYTHON_MODULE=OFF)
if [[ -x .venv/bin/python ]] && .venv/bin/python -c 'import os, sysconfig, pybind11
assert os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))' >/dev/null 2>&1; then
  python_opts=(-DIVYC_PYTHON_MODULE=ON "-DPython_EXECUTABLE=$PWD/.venv/bin/python")
fi
# The options are given every time, so that a build/ configured by hand with others (sanitizers,
# say) comes back to the plain build; arguments given here come last and win.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIVYC_SANITIZE=OFF -DIVYC_FUZZ=OFF \
  -DIVYC_TESTS=ON "${python_opts[@]}" "$@" >/dev/null
cmake --build "$build" -j "${IVYC_JOBS:-$(nproc)}"
