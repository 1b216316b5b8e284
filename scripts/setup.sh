#!/usr/bin/env bash
# Installs what ivyc needs to build and test, and nothing more; safe to run again (seconds when
# everything is present).
#   - Debian packages: a C++20 compiler, CMake, Ninja, fmt, CLI11, nlohmann-json, Catch2 (v2 on
#     Debian 12, v3 on 13: the CMake handles both), Python 3.11 with venv (and its headers, for the
#     Python extension, where Debian packages it).
#   - .venv/: a Python 3.11 virtual environment with requirements.txt installed exactly. pip runs
#     only when requirements.txt changed since the last install (a stamp in .venv records its hash)
#     or the venv's python does not work.
# With --no-venv only the Debian packages (the C++ build's needs). Fuzzing needs clang and its
# runtime too: scripts/fuzz.sh installs those itself.
set -euo pipefail
cd "$(dirname "$0")/.."

with_venv=1
for arg in "$@"; do
  case $arg in
    --no-venv) with_venv=0 ;;
    *) echo "usage: scripts/setup.sh [--no-venv]" >&2; exit 2 ;;
  esac
done

log() { printf 'setup: %s\n' "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else log "need root to run: $*"; exit 1
  fi
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# --- Debian packages ---------------------------------------------------------------------------
packages=(cmake ninja-build g++ libfmt-dev libcli11-dev nlohmann-json3-dev catch2)
# python3.11 is called by name. Debian 12 packages it; on a release that does not, it must already
# be on the PATH.
if ! command -v python3.11 >/dev/null; then
  packages+=(python3.11)
fi
# `python3.11 -m venv` needs ensurepip, which Debian splits out.
if ! python3.11 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages+=(python3.11-venv)
fi
# Python's headers, for the extension ivyc._engine (scripts/build.sh builds it when they are there):
# Debian's python3.11-dev, where python3.11 is Debian's.
py311=$(command -v python3.11 || true)
if [[ -z $py311 || $py311 == /usr/bin/python3.11 ]] && [[ ! -f /usr/include/python3.11/Python.h ]]; then
  packages+=(python3.11-dev)
fi
missing=()
for p in "${packages[@]}"; do
  is_installed "$p" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! command -v python3.11 >/dev/null; then
  log "python3.11 is not on this machine and apt has no python3.11 package: install Python 3.11"
  exit 1
fi

((with_venv)) || exit 0

# --- the Python environment ---------------------------------------------------------------------
venv=.venv
stamp=$venv/.ivyc-requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
venv_ok() {
  "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1
}
if venv_ok && [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
  log "up to date (.venv matches requirements.txt)"
  exit 0
fi
if ! venv_ok; then
  log "creating $venv with python3.11"
  # Keeps whatever is installed in an existing .venv; only the interpreter links are (re)made.
  python3.11 -m venv "$venv"
fi
log "installing requirements.txt into $venv"
rm -f "$stamp"
"$venv/bin/python" -m pip install --no-input -q -r requirements.txt
echo "$want" >"$stamp"
log "done"
