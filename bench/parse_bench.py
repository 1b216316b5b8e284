#!/usr/bin/env python3.11
"""Parse throughput and peak memory: ivyc's front end against CPython 3.11's ast.parse.

Both parse the same files, one thread each, in the same run:
  - ivyc: `ivyc parse --files-from LIST --quiet --stats --python 3.11`, several runs; the figure is
    ivyc's own --stats (decoding + lexing + parsing; not reading files, not process start-up).
  - CPython: the files are read into memory first, then only ast.parse(bytes) is timed (it decodes,
    tokenizes and parses, and builds the Python ast objects), with the cyclic GC off.
The corpus is every .py file under the given directories (default: the venv's site-packages) that
CPython 3.11 accepts; the files it rejects are left out of both.

Peak memory is the maximum resident set size, as `/usr/bin/time -v` reports it, of a process doing
the whole job, one file after another: the ivyc run, and a Python process that reads and
ast.parses each file in turn (the interpreter's own start-up size is shown beside it).

  .venv/bin/python bench/parse_bench.py            # all of site-packages
  .venv/bin/python bench/parse_bench.py --quick    # one file in 20, fewer runs (about a minute)
  .venv/bin/python bench/parse_bench.py DIR... --json bench/results/run.json
"""

from __future__ import annotations

import argparse
import ast
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATS = re.compile(r"ivyc: parsed (\d+) files, (\d+) bytes in ([0-9.]+) s: ([0-9.]+) MB/s \((\d+) failed\)")
GOAL = 10.0

# Run in a child interpreter: read each listed file and ast.parse it, one after another.
PY_MEMORY_JOB = """
import ast, sys, warnings
warnings.simplefilter("ignore")
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, "rb") as f:
        tree = ast.parse(f.read())
    del tree
"""


GNU_TIME = "/usr/bin/time"
MAX_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def run_measured(cmd: list[str]) -> tuple[int, str, str, int | None]:
    """Runs cmd under `/usr/bin/time -v`; returns its exit status, stdout, stderr (time's report
    removed) and peak RSS in KiB (None without GNU time). GNU time forks the command from its own
    small process: a child forked straight from this big interpreter would count the parent's
    pages in its ru_maxrss."""
    have_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.NamedTemporaryFile("w+", suffix=".time") as report:
        full = [GNU_TIME, "-v", "-o", report.name, *cmd] if have_time else cmd
        proc = subprocess.run(full, capture_output=True, text=True, errors="replace")
        rss = None
        if have_time:
            m = MAX_RSS.search(Path(report.name).read_text())
            rss = int(m.group(1)) if m else None
    return proc.returncode, proc.stdout, proc.stderr, rss


def mib(kib: int | None) -> str:
    return f"{kib / 1024:.1f} MiB" if kib is not None else f"n/a (needs GNU time at {GNU_TIME})"


def collect(dirs: list[Path], every: int) -> list[Path]:
    files = sorted(p for d in dirs for p in d.rglob("*.py") if p.is_file())
    return files[::every]


def cpython_accepts(data: bytes) -> bool:
    try:
        ast.parse(data)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def time_cpython(sources: list[bytes]) -> float:
    """Seconds spent in ast.parse over all sources (the reading is done before). The cyclic GC is
    off while timing (about 20% faster here): the baseline is CPython at its best."""
    total = 0.0
    gc.collect()
    gc.disable()
    try:
        for data in sources:
            start = time.perf_counter()
            tree = ast.parse(data)
            total += time.perf_counter() - start
            del tree
    finally:
        gc.enable()
    return total


def run_ivyc(ivyc: str, listing: str) -> dict:
    rc, _, err, rss = run_measured([ivyc, "parse", "--files-from", listing, "--quiet", "--stats",
                                    "--python", "3.11"])
    m = STATS.search(err)
    if not m:
        sys.exit(f"parse_bench: no --stats line from ivyc (exit {rc}):\n{err[-2000:]}")
    files, size, seconds, _, failed = m.groups()
    return {"rc": rc, "files": int(files), "bytes": int(size), "seconds": float(seconds),
            "failed": int(failed), "rss_kib": rss,
            "first_errors": [l for l in err.splitlines() if ": error: " in l][:5]}


def mb_per_s(size: int, seconds: float) -> float:
    return size / 1e6 / seconds if seconds > 0 else float("inf")


def main() -> int:
    default_dir = Path(sysconfig.get_paths()["purelib"])
    venv_dir = ROOT / ".venv/lib/python3.11/site-packages"
    if venv_dir.is_dir():
        default_dir = venv_dir
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path, help=f"directories to search for .py files "
                    f"(default: {default_dir})")
    ap.add_argument("--ivyc", default=str(ROOT / "build/ivyc"), help="the ivyc binary (build/ivyc)")
    ap.add_argument("--quick", action="store_true", help="one file in 20, fewer runs")
    ap.add_argument("--runs", type=int, help="ivyc runs (default 5; --quick 3)")
    ap.add_argument("--python-runs", type=int, help="ast.parse runs (default 3; --quick 2)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = ap.parse_args()
    dirs = args.dirs or [default_dir]
    ivyc_runs = args.runs or (3 if args.quick else 5)
    py_runs = args.python_runs or (2 if args.quick else 3)
    if not os.access(args.ivyc, os.X_OK):
        sys.exit(f"parse_bench: {args.ivyc} not found: build it with scripts/build.sh")
    if sys.version_info[:2] != (3, 11):
        print(f"parse_bench: warning: the reference is CPython 3.11; this is {sys.version.split()[0]}")
    warnings.simplefilter("ignore")  # SyntaxWarning/DeprecationWarning for escapes: not our subject

    # The corpus: files CPython accepts. This first pass also warms the file cache and the parser.
    files = collect(dirs, 20 if args.quick else 1)
    sources, kept, rejected = [], [], 0
    for path in files:
        data = path.read_bytes()
        if cpython_accepts(data):
            sources.append(data)
            kept.append(path)
        else:
            rejected += 1
    total = sum(map(len, sources))
    if not sources:
        sys.exit("parse_bench: no Python files found")
    print(f"corpus: {len(kept):,} files, {total / 1e6:.1f} MB from {', '.join(map(str, dirs))}"
          f"{' (--quick: one file in 20)' if args.quick else ''}; {rejected} files CPython rejects left out")

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("".join(f"{p}\n" for p in kept))
        listing = f.name
    try:
        ivyc = [run_ivyc(args.ivyc, listing) for _ in range(ivyc_runs)]
        py_seconds = [time_cpython(sources) for _ in range(py_runs)]
        _, _, _, py_rss = run_measured([sys.executable, "-c", PY_MEMORY_JOB, listing])
        _, _, _, py_base_rss = run_measured([sys.executable, "-c", "import ast"])
    finally:
        os.unlink(listing)

    ivyc_speeds = [mb_per_s(r["bytes"], r["seconds"]) for r in ivyc]
    py_speeds = [mb_per_s(total, s) for s in py_seconds]
    best_ivyc, best_py = max(ivyc_speeds), max(py_speeds)
    ratio = best_ivyc / best_py
    failed = ivyc[0]["failed"]
    print(f"ivyc parse       : best {best_ivyc:8.1f} MB/s, median {statistics.median(ivyc_speeds):8.1f} MB/s "
          f"({ivyc_runs} runs, {min(r['seconds'] for r in ivyc):.3f} s); peak RSS {mib(ivyc[0]['rss_kib'])}")
    print(f"CPython ast.parse: best {best_py:8.1f} MB/s, median {statistics.median(py_speeds):8.1f} MB/s "
          f"({py_runs} runs, {min(py_seconds):.3f} s); peak RSS {mib(py_rss)} "
          f"(the interpreter alone: {mib(py_base_rss)})")
    print(f"ratio            : {ratio:.1f}x ast.parse (goal >= {GOAL:.0f}x: {'met' if ratio >= GOAL else 'NOT met'})")
    if failed:
        print(f"note: ivyc rejected {failed} of the {len(kept)} files CPython accepts, e.g.:")
        for line in ivyc[0]["first_errors"]:
            print(f"  {line}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "dirs": list(map(str, dirs)), "quick": args.quick, "files": len(kept), "bytes": total,
            "rejected_by_cpython": rejected, "ivyc_failed": failed,
            "ivyc": {"mb_per_s": ivyc_speeds, "seconds": [r["seconds"] for r in ivyc],
                     "peak_rss_kib": ivyc[0]["rss_kib"]},
            "cpython": {"version": sys.version.split()[0], "mb_per_s": py_speeds,
                        "seconds": py_seconds, "peak_rss_kib": py_rss,
                        "interpreter_rss_kib": py_base_rss},
            "ratio_best": ratio,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
