#!/usr/bin/env python3
"""Convert throughput: `ivyc DIR --from torch --to TARGET -o OUT` over a directory of torch code,
against CPython 3.11's `ast.parse` of the same files in the same run (bench/README.md).

The ivyc figure is wall-clock time of the whole command (start-up, loading the op tables, reading,
converting and writing every file) with -j 1 and -j 2; the CPython figure times only ast.parse of
files already in memory, one thread. Default corpus: the torch package of .venv (torch's own
Python source: nn, distributions, optim, fx, ...).
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
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / ".venv" / "lib" / "python3.11" / "site-packages" / "torch"


def corpus_files(root: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    if limit:
        files = files[:: max(1, len(files) // limit)][:limit]
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--ivyc", default=os.environ.get("IVYC", str(ROOT / "build" / "ivyc")))
    ap.add_argument("--to", default="jax", choices=["jax", "numpy", "tensorflow"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="200 files, 2 runs")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    limit = 200 if args.quick else None
    runs = 2 if args.quick else args.runs

    with tempfile.TemporaryDirectory(prefix="ivyc-bench-") as tmp:
        tmp = Path(tmp)
        # The corpus: files CPython accepts, copied so that ivyc and CPython read the same bytes.
        src = tmp / "src"
        datas, rejected = [], 0
        for p in corpus_files(args.corpus, limit):
            data = p.read_bytes()
            try:
                ast.parse(data)
            except (SyntaxError, ValueError):
                rejected += 1
                continue
            dest = src / p.relative_to(args.corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            datas.append(data)
        total = sum(map(len, datas))
        print(f"corpus: {len(datas)} files, {total / 1e6:.1f} MB from {args.corpus} ({rejected} rejected by CPython, left out)")

        # CPython: ast.parse only.
        cpy = []
        for _ in range(runs):
            gc.disable()
            t0 = time.perf_counter()
            for d in datas:
                ast.parse(d)
            cpy.append(time.perf_counter() - t0)
            gc.enable()
        cpy_best = min(cpy)
        print(f"ast.parse:        best {total / 1e6 / cpy_best:7.1f} MB/s  ({cpy_best:.2f} s)")

        results = {"files": len(datas), "bytes": total, "ast_parse_s": cpy_best, "target": args.to}
        for jobs in (1, 2):
            times, rc = [], None
            for run in range(runs):
                # A new output directory each run: deleting one and making the same files again at
                # once is slow on some file systems (ext4 without a journal skips the inodes freed
                # in the last minute, one by one), and that would be timed as ivyc's.
                out = tmp / f"out-j{jobs}-{run}"
                t0 = time.perf_counter()
                r = subprocess.run([args.ivyc, src, "--from", "torch", "--to", args.to, "-o", out, "-q", "-j", str(jobs)],
                                   capture_output=True, text=True, env={**os.environ, "IVYC_PHASE_TIMES": "1"})
                times.append(time.perf_counter() - t0)
                rc = r.returncode
                if rc not in (0, 1):
                    print(r.stderr[-2000:], file=sys.stderr)
                    print(f"ivyc failed (exit {rc})", file=sys.stderr)
                    return 1
            phases = dict(re.findall(r"^ivyc: (\w+) +([0-9.]+) s$", r.stderr, re.M))
            wall = re.search(r"^ivyc: wall: (.*)$", r.stderr, re.M)
            best, med = min(times), statistics.median(times)
            written = sum(1 for _ in out.rglob("*.py"))
            print(f"ivyc -j {jobs}:        best {total / 1e6 / best:7.1f} MB/s  ({best:.2f} s; median {med:.2f} s)  "
                  f"= {cpy_best / best:5.1f}x ast.parse   [{written} files written, exit {rc}]")
            if wall:
                print(f"                  last run's wall time: {wall.group(1)}")
            results[f"ivyc_j{jobs}_s"] = best
            results[f"ivyc_j{jobs}_ratio"] = cpy_best / best
            if jobs == 1 and "total" in phases:
                cpu = float(phases["total"])
                print(f"ivyc phases:      {total / 1e6 / cpu:7.1f} MB/s  ({cpu:.2f} s of CPU in decode..emit, one thread; without "
                      f"start-up, table loading and file I/O) = {cpy_best / cpu:5.1f}x ast.parse")
                print("                  " + ", ".join(f"{k} {v} s" for k, v in phases.items() if k != "total"))
                results["ivyc_phases_s"] = {k: float(v) for k, v in phases.items()}
                results["ivyc_phases_ratio"] = cpy_best / cpu
        # Again into the last output directory, which holds the same bytes: nothing is written
        # (the CI case of a conversion that is up to date).
        t0 = time.perf_counter()
        r = subprocess.run([args.ivyc, src, "--from", "torch", "--to", args.to, "-o", out, "-q", "-j", "2"],
                           capture_output=True, text=True)
        again = time.perf_counter() - t0
        if r.returncode not in (0, 1):
            print(r.stderr[-2000:], file=sys.stderr)
            return 1
        print(f"ivyc -j 2, up to date: {total / 1e6 / again:5.1f} MB/s  ({again:.2f} s; nothing written) = {cpy_best / again:5.1f}x ast.parse")
        results["ivyc_j2_up_to_date_s"] = again
        results["ivyc_j2_up_to_date_ratio"] = cpy_best / again
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
