#!/usr/bin/env bash
# Fuzzes the front end (tests/fuzz/fuzz_parse.cpp: decode, lex, parse, dump, and their invariants)
# with libFuzzer under ASan and UBSan, for SECONDS (default 60), single process.
#   scripts/fuzz.sh [SECONDS] [LIBFUZZER OPTION...]
# e.g. `scripts/fuzz.sh 600 -fork=2 -ignore_crashes=1` goes on past findings, on two cores.
# Installs clang and its sanitizer runtime when missing, builds into build-fuzz/ with clang, and
# runs from the committed seed corpus tests/fuzz/corpus/ plus the git-ignored work corpus
# tests/fuzz/corpus-work/ (new interesting inputs accumulate there between runs). Prints the number
# of runs; a crash, leak, timeout or out-of-memory input is saved under build-fuzz/artifacts/ and
# the script exits non-zero. Reproduce one with: build-fuzz/tests/fuzz/fuzz_parse FILE
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS] [LIBFUZZER OPTION...]" >&2; exit 2; }
shift $(($# > 0 ? 1 : 0))
log() { printf 'fuzz: %s\n' "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else log "need root to run: $*"; exit 1
  fi
}
apt_install() {
  log "installing $*"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# --- the toolchain: the C++ build's packages, clang, and clang's libFuzzer/sanitizer runtime -----
scripts/setup.sh --no-venv
command -v clang++ >/dev/null || apt_install clang
can_link_fuzzer() {
  local dir
  dir=$(mktemp -d)
  printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' >"$dir/t.cpp"
  clang++ -fsanitize=fuzzer,address,undefined "$dir/t.cpp" -o "$dir/t" >/dev/null 2>&1
  local ok=$?
  rm -rf "$dir"
  return $ok
}
if ! can_link_fuzzer; then
  # Debian ships the runtime apart from the compiler: libclang-rt-14-dev on Debian 12, named after
  # the clang major version elsewhere too.
  major=$(clang++ -dumpversion | cut -d. -f1)
  apt_install "libclang-rt-$major-dev"
  can_link_fuzzer || { log "clang++ still cannot link -fsanitize=fuzzer"; exit 1; }
fi

# --- build ----------------------------------------------------------------------------------------
build=build-fuzz
if [[ -f $build/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang' "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DIVYC_FUZZ=ON -DIVYC_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzz_parse -j "${IVYC_JOBS:-$(nproc)}"

# --- run ------------------------------------------------------------------------------------------
work=tests/fuzz/corpus-work
artifacts=$build/artifacts
mkdir -p "$work" "$artifacts"
before=$(ls "$artifacts" | wc -l)
log "running for ${seconds}s (seed corpus: $(ls tests/fuzz/corpus | wc -l) files, work corpus: $(ls "$work" | wc -l) files)"
set +e
started=$SECONDS
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$build/tests/fuzz/fuzz_parse" "$work" tests/fuzz/corpus \
  -dict=tests/fuzz/python.dict -max_total_time="$seconds" -detect_leaks=1 -timeout=10 \
  -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" \
  >"$build/fuzz.log" 2>&1
rc=$?
elapsed=$((SECONDS - started))
set -e

runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz.log" | grep -o '[0-9]*$' || true)
if [[ -z $runs ]]; then
  runs=$(grep -o '^#[0-9]*' "$build/fuzz.log" | tail -1 | tr -d '#')
fi
log "runs: ${runs:-0} in ${elapsed}s; work corpus now $(ls "$work" | wc -l) files; log: $build/fuzz.log"
new=$(ls -t "$artifacts" | head -n $(($(ls "$artifacts" | wc -l) - before)))
if ((rc != 0)) || [[ -n $new ]]; then
  log "FAILED (libFuzzer exit $rc). The report:"
  grep -E -A40 '^==[0-9]+==|runtime error|invariant broken|internal error|Test unit written' "$build/fuzz.log" |
    grep -v -E '^ +#[0-9]+ .*(libFuzzer|fuzzer::|libc\.so|__sanitizer_print_stack_trace|_start )' | head -40
  for f in $new; do
    # Each finding again on its own, for its one-line reason (in -fork mode the log lacks it).
    why=$("$build/tests/fuzz/fuzz_parse" -timeout=10 -rss_limit_mb=2048 "$artifacts/$f" 2>&1 |
      grep -m1 -E 'invariant broken|ERROR: (Address|Leak|Undefined)Sanitizer|runtime error|internal error|timeout|out-of-memory|deadly signal' || true)
    log "finding: $artifacts/$f: ${why:-see the log}"
  done
  log "reproduce one with: $build/tests/fuzz/fuzz_parse FILE"
  exit 1
fi
log "no crash"
