#!/usr/bin/env python3.11
"""Compares ivyc's parser with CPython 3.11's ast, file by file.

    tools/compare_ast.py [--ivyc build-parse/ivyc] [--python 3.11] [-j 2] [-q] FILE_OR_DIR...
    tools/compare_ast.py --stdlib -q              # the whole stdlib of this python3.11

For each .py file: `ast.dump(ast.parse(bytes), include_attributes=True)` against
`ivyc parse --python 3.11 --dump-ast --include-attributes FILE`. A file agrees when both accept
it with the same dump, or both reject it. Prints one line per file that disagrees (with the first
differing position and some context; -v prints agreeing files too) and a summary. Exit status 1
when some file disagrees. A quick tool for the parser's own work; tests/parser/diff_cpython.py is
the full differential test.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import os
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def reference(data: bytes) -> tuple[bool, str]:
    """CPython's verdict and dump (the dump in a thread with a big stack: it recurses)."""
    out: list = [None]

    def run() -> None:
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
            out[0] = (False, f"{type(e).__name__}: {e}")
            return
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(100000)
        try:
            out[0] = (True, ast.dump(tree, include_attributes=True))
        finally:
            sys.setrecursionlimit(old)

    # ast.parse's depth limit depends on the caller's stack depth; parse at top level first so
    # that the verdict is the one of `python3.11 -c "import ast; ast.parse(...)"`.
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
        return False, f"{type(e).__name__}: {e}"
    del tree
    threading.stack_size(512 * 1024 * 1024)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    return out[0]


def first_difference(a: str, b: str) -> int:
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def check(path: str, ivyc: str, version: str) -> tuple[str, str, str]:
    data = Path(path).read_bytes()
    ok, expected = reference(data)
    try:
        run = subprocess.run(
            [ivyc, "parse", "--python", version, "--dump-ast", "--include-attributes", path],
            capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return path, "timeout", ""
    except OSError as e:  # e.g. the binary is being rebuilt
        return path, "not-run", str(e)
    if run.returncode not in (0, 2):
        return path, "crash", f"exit {run.returncode}: {run.stderr.decode(errors='replace')[:300]}"
    got_ok = run.returncode == 0
    got = run.stdout.decode("utf-8", errors="replace").rstrip("\n")
    if ok and got_ok:
        if got == expected:
            return path, "agree", ""
        i = first_difference(expected, got)
        lo = max(0, i - 80)
        return path, "dump-differs", (f"at byte {i}\n    cpython: ...{expected[lo:i + 80]}\n"
                                      f"    ivyc:    ...{got[lo:i + 80]}")
    if not ok and not got_ok:
        return path, "agree", ""
    if ok:
        return path, "ivyc-rejects", run.stderr.decode(errors="replace").strip()[:400]
    return path, "ivyc-accepts", expected[:300]


def collect(args: list[str]) -> list[str]:
    files: list[str] = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            files.extend(sorted(str(f) for f in p.rglob("*.py") if f.is_file()))
        else:
            files.append(a)
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--ivyc", default=str(REPO / "build-parse" / "ivyc"))
    ap.add_argument("--python", default="3.11", help="ivyc's --python (3.11 or 3.12)")
    ap.add_argument("--stdlib", action="store_true", help="check the stdlib of this python")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-q", "--quiet", action="store_true", help="only the summary and failures' names")
    args = ap.parse_args()
    paths = list(args.paths)
    if args.stdlib:
        paths.append(sysconfig.get_paths()["stdlib"])
    files = collect(paths)
    counts: dict[str, int] = {}
    with concurrent.futures.ProcessPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(check, f, args.ivyc, args.python) for f in files]
        for fut in concurrent.futures.as_completed(futures):
            path, verdict, detail = fut.result()
            counts[verdict] = counts.get(verdict, 0) + 1
            if verdict != "agree" or args.verbose:
                print(f"{verdict}: {path}")
                if detail and not args.quiet:
                    print("    " + detail.replace("\n", "\n    "))
    agree = counts.get("agree", 0)
    print(f"{agree}/{len(files)} files agree; " +
          ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()) if k != "agree"))
    return 0 if agree == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
