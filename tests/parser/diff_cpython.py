#!/usr/bin/env python3
"""The differential test of ivyc's front end against CPython 3.11's ast.

For every .py file: CPython's verdict and `ast.dump(ast.parse(bytes), include_attributes=True)`
(in worker processes), and ivyc's (`ivyc parse FILE --python 3.11 --dump-ast --include-attributes`:
exit 0 accepted, exit 2 rejected, anything else a crash).  They must agree: same dump when CPython
accepts, exit 2 when it rejects.  Exits 1 on any disagreement, crash or timeout.

    tests/parser/diff_cpython.py                      # the stdlib and .venv's site-packages
    tests/parser/diff_cpython.py --sample 2000 --seed 1 --jobs 2
    tests/parser/diff_cpython.py some/dir file.py --ivyc build-tests/ivyc --list-mismatches out.txt
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pyref  # noqa: E402


@dataclasses.dataclass
class FileResult:
    path: str
    category: str
    detail: str = ""  # a short explanation for failures and skips
    cpython_line: int | None = None  # rejected files: where each puts the error
    ivyc_line: int | None = None
    seconds: float = 0.0  # ivyc's time on the file


# ---------------------------------------------------------------------------------------------
# Worker side


_worker: dict = {}


def _init_worker(ivyc: str, threshold: int, timeout: float) -> None:
    _worker["ivyc"] = ivyc
    _worker["timeout"] = timeout
    _worker["ref"] = pyref.CPythonReference(threshold)


def check_file(path: str) -> FileResult:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return FileResult(path, "skipped", f"cannot read: {e}")
    ref = _worker["ref"].verdict(data)
    t0 = time.perf_counter()
    run = pyref.run_ivyc_dump(_worker["ivyc"], path=path, timeout=_worker["timeout"])
    seconds = time.perf_counter() - t0
    category = pyref.classify(ref, run)
    result = FileResult(path, category, seconds=seconds)
    if category == "skipped":
        result.detail = ref.message
    elif category == "dump-mismatch":
        at, exp, act = pyref.diff_context(ref.dump, run.stdout)
        result.detail = (f"first difference at byte {at} of {len(ref.dump)} (ivyc printed "
                         f"{len(run.stdout)})\n      cpython: {exp}\n      ivyc:    {act}")
    elif category == "accepted-by-ivyc-only":
        result.detail = f"cpython: {ref.message} (line {ref.lineno})"
    elif category == "rejected-by-ivyc-only":
        result.detail = "ivyc: " + _first_lines(run.stderr)
    elif category in ("crash", "timeout"):
        result.detail = f"ivyc {run.describe()}: " + _first_lines(run.stderr)
    elif category == "agree-rejected":
        result.cpython_line = ref.lineno
        result.ivyc_line = pyref.ivyc_error_line(run.stderr)
        result.detail = f"cpython: {ref.message} | ivyc: {_first_lines(run.stderr, 1)}"
    return result


def _first_lines(b: bytes, n: int = 3) -> str:
    lines = b.decode("utf-8", "replace").splitlines()[:n]
    return " | ".join(lines) if lines else "(no output)"


# ---------------------------------------------------------------------------------------------
# Driver side


def select_files(inputs: list[Path], sample: int | None, seed: int,
                 max_bytes: int | None = None) -> list[Path]:
    """The .py files of `inputs`.  With `sample`, a deterministic sample: the same number from each
    input (so that the stdlib and site-packages are both represented), drawn with Random(seed) from
    the sorted list of each, files larger than `max_bytes` left out first."""
    per_input = [pyref.collect_py_files(p) for p in inputs]
    if max_bytes is not None:
        per_input = [[f for f in files if f.stat().st_size <= max_bytes] for files in per_input]
    if sample is None:
        chosen = [f for files in per_input for f in files]
    else:
        chosen = []
        rng = random.Random(seed)
        left = sample
        for i, files in enumerate(per_input):
            want = left // (len(per_input) - i)
            take = min(want, len(files))
            chosen.extend(rng.sample(files, take))
            left -= take
    seen = set()
    out = []
    for f in sorted(chosen):
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def run(files: list[Path], ivyc: Path, jobs: int, timeout: float = 30.0,
        progress: bool = False) -> list[FileResult]:
    threshold = pyref.reference_depth_threshold()
    results: list[FileResult] = []
    with pyref.snapshot_ivyc(ivyc) as ivyc, concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs, initializer=_init_worker,
            initargs=(str(ivyc), threshold, timeout)) as pool:
        for i, r in enumerate(pool.map(check_file, [str(f) for f in files], chunksize=4)):
            results.append(r)
            if progress and (i + 1) % 500 == 0:
                print(f"  {i + 1}/{len(files)}", file=sys.stderr, flush=True)
    return results


def summarize(results: list[FileResult], max_listed: int = 50) -> str:
    counts = collections.Counter(r.category for r in results)
    total = len(results)
    compared = total - counts["skipped"]
    lines = [f"files: {total}"]
    for cat in pyref.ALL_CATEGORIES:
        rate = f"  ({100.0 * counts[cat] / compared:.2f}% of compared)" if compared and cat != "skipped" else ""
        lines.append(f"  {cat:24} {counts[cat]:7}{rate}")
    agree = counts["agree-accepted"] + counts["agree-rejected"]
    if compared:
        lines.append(f"agreement: {agree}/{compared} = {100.0 * agree / compared:.3f}%")
    rejected = [r for r in results if r.category == "agree-rejected"]
    if rejected:
        same = sum(1 for r in rejected if r.cpython_line is not None and r.cpython_line == r.ivyc_line)
        lines.append(f"rejected files where ivyc's error line is CPython's: {same}/{len(rejected)} "
                     "(information only)")
    if results:
        slowest = max(results, key=lambda r: r.seconds)
        lines.append(f"ivyc time: {sum(r.seconds for r in results):.1f}s in all, slowest "
                     f"{slowest.seconds:.2f}s ({slowest.path})")
    failures = [r for r in results if r.category in pyref.FAILURE_CATEGORIES]
    if failures:
        lines.append("")
        lines.append(f"disagreements ({len(failures)}):")
        for r in failures[:max_listed]:
            lines.append(f"  [{r.category}] {r.path}")
            if r.detail:
                lines.append(f"      {r.detail}")
        if len(failures) > max_listed:
            lines.append(f"  ... and {len(failures) - max_listed} more (see --list-mismatches)")
    skipped = [r for r in results if r.category == "skipped"]
    for r in skipped[:10]:
        lines.append(f"  [skipped] {r.path}: {r.detail}")
    return "\n".join(lines)


def write_mismatch_list(results: list[FileResult], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in results:
            if r.category in pyref.FAILURE_CATEGORIES:
                f.write(f"{r.category}\t{r.path}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", type=Path,
                    help="files and directories (default: the python3.11 stdlib and "
                         ".venv/lib/python3.11/site-packages)")
    ap.add_argument("--ivyc", type=Path, default=pyref.default_ivyc(),
                    help="the ivyc binary (default: $IVYC or build/ivyc)")
    ap.add_argument("--sample", type=int, default=None, help="check a deterministic sample of N files")
    ap.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    ap.add_argument("--max-bytes", type=int, default=None, help="leave out files larger than this")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds ivyc may take on one file")
    ap.add_argument("--list-mismatches", type=Path, default=None,
                    help="write 'CATEGORY<TAB>PATH' for every disagreement to this file")
    ap.add_argument("--max-listed", type=int, default=50, help="disagreements shown in the report")
    ap.add_argument("--progress", action="store_true")
    args = ap.parse_args(argv)

    if not os.access(args.ivyc, os.X_OK):
        print(f"error: no ivyc binary at {args.ivyc} (build it, or pass --ivyc)", file=sys.stderr)
        return 2
    inputs = args.inputs or pyref.default_roots()
    files = select_files(inputs, args.sample, args.seed, args.max_bytes)
    if not files:
        print("error: no .py files", file=sys.stderr)
        return 2
    t0 = time.time()
    results = run(files, args.ivyc, args.jobs, args.timeout, args.progress)
    print(summarize(results, args.max_listed))
    print(f"wall time: {time.time() - t0:.1f}s with {args.jobs} jobs")
    if args.list_mismatches:
        write_mismatch_list(results, args.list_mismatches)
    return 1 if any(r.category in pyref.FAILURE_CATEGORIES for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
