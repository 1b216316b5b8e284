"""The reference side of the parser tests: CPython 3.11's verdict and ast.dump for some bytes, and
ivyc's, obtained the same way for every suite (diff_cpython.py, mutate.py, the pytest tests).

The reference is exactly what
    python3.11 -c "import ast; print(ast.dump(ast.parse(open(FILE, 'rb').read()),
                                              include_attributes=True))"
prints, with two refinements that make it usable in a worker process:

* CPython 3.11 builds the ast objects under a recursion budget of 3 * (recursion limit - current
  depth), so how deep a tree it accepts depends on the caller's stack depth.  The workers calibrate
  their recursion limit once so that the deepest accepted nesting is the one of the command above
  (measured in a subprocess).  See `reference_depth_threshold` and `CPythonReference`.
* ast.dump itself is recursive Python; we run it in a thread with a large stack and a large
  recursion limit, so that deeply nested but valid files are compared instead of skipped.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# What CPython raises for source it does not accept.  ValueError: NUL bytes (3.11); MemoryError:
# parser stack overflow; RecursionError: too deep during ast construction.
REJECTING_ERRORS = (SyntaxError, ValueError, MemoryError, RecursionError)

IVYC_ACCEPT = 0
IVYC_REJECT = 2

# The exact command line the reference stands for (used for calibration and in reports).
REFERENCE_SNIPPET = (
    "import ast,sys; "
    "ast.dump(ast.parse(open(sys.argv[1],'rb').read()), include_attributes=True)"
)


def default_ivyc() -> Path:
    """The ivyc binary: $IVYC if set, else build/ivyc in the repository (where the README builds)."""
    env = os.environ.get("IVYC")
    return Path(env) if env else REPO / "build" / "ivyc"


def stdlib_dir() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def site_packages_dir() -> Path:
    return REPO / ".venv" / "lib" / "python3.11" / "site-packages"


def default_roots() -> list[Path]:
    return [stdlib_dir(), site_packages_dir()]


def reference_python() -> str:
    """The interpreter whose ast is the reference: python3.11 (this one, when it is 3.11)."""
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    return "python3.11"


# ---------------------------------------------------------------------------------------------
# Corpus


def collect_py_files(root: Path) -> list[Path]:
    """The .py files under `root` (or `root` itself), sorted.  Skips __pycache__, hidden
    directories, symlinked directories and, under the stdlib, its site-packages (a separate root)."""
    root = Path(root)
    if root.is_file():
        return [root]
    skip = {stdlib_dir() / "site-packages"}
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        dirnames[:] = sorted(
            n for n in dirnames
            if n != "__pycache__" and not n.startswith(".") and (d / n) not in skip
            and not (d / n).is_symlink()
        )
        for name in sorted(filenames):
            if name.endswith(".py"):
                p = d / name
                if p.is_file():
                    out.append(p)
    return out


# ---------------------------------------------------------------------------------------------
# CPython


@dataclasses.dataclass
class Verdict:
    status: str  # "accepted", "rejected" or "skipped"
    dump: bytes = b""  # accepted: ast.dump(..., include_attributes=True) + "\n", UTF-8
    message: str = ""  # rejected: "SyntaxError: ..."; skipped: why
    lineno: int | None = None  # rejected: where CPython puts the error, when it says
    offset: int | None = None


def _parse(data: bytes):
    return ast.parse(data)


def _deep_probe(n: int) -> bytes:
    return b"-" * n + b"1"


def _run_with_big_stack(fn, *args):
    """Runs fn(*args) in a thread with a 512 MiB stack and a high recursion limit."""
    result: list = []

    def target():
        try:
            result.append(("ok", fn(*args)))
        except BaseException as e:  # noqa: BLE001 - reported to the caller
            result.append(("error", e))

    old_size = threading.stack_size()
    old_limit = sys.getrecursionlimit()
    threading.stack_size(512 << 20)
    try:
        sys.setrecursionlimit(1_000_000)
        t = threading.Thread(target=target)
        t.start()
        t.join()
    finally:
        sys.setrecursionlimit(old_limit)
        threading.stack_size(old_size)
    kind, value = result[0]
    if kind == "error":
        raise value
    return value


def _dump(tree, include_attributes: bool = True) -> str:
    return ast.dump(tree, include_attributes=include_attributes)


@functools.lru_cache(maxsize=None)
def reference_depth_threshold(python: str | None = None) -> int:
    """The largest n such that the reference command accepts b'-' * n + b'1' (CPython 3.11 rejects
    deeper nesting with RecursionError during ast construction).  Binary search in subprocesses."""
    python = python or reference_python()

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.py"

        def accepts(n: int) -> bool:
            probe.write_bytes(_deep_probe(n))
            snippet = (
                "import ast,sys\n"
                "try:\n ast.parse(open(sys.argv[1],'rb').read())\n"
                "except (RecursionError, MemoryError): sys.exit(3)\n"
            )
            r = subprocess.run([python, "-c", snippet, str(probe)], capture_output=True)
            if r.returncode not in (0, 3):
                raise RuntimeError(f"reference python failed: {r.stderr.decode(errors='replace')}")
            return r.returncode == 0

        lo, hi = 1, 10_000
        if not accepts(lo):
            raise RuntimeError("reference python rejects '-1'")
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if accepts(mid):
                lo = mid
            else:
                hi = mid - 1
        return lo


class CPythonReference:
    """CPython's verdict for source bytes, computed in this process.

    `threshold` is reference_depth_threshold() (measured once by the parent and handed to the
    workers); the first call of `verdict` adjusts this process's recursion limit so that the
    deepest nesting accepted here is the same.  Always call `verdict` from the same call depth."""

    def __init__(self, threshold: int | None):
        self.threshold = threshold
        self.calibrated = threshold is None

    def _accepts_here(self, n: int) -> bool:
        try:
            _parse(_deep_probe(n))
            return True
        except (RecursionError, MemoryError):
            return False

    def _threshold_here(self) -> int:
        lo, hi = 1, 20_000
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._accepts_here(mid):
                lo = mid
            else:
                hi = mid - 1
        return lo

    def verdict(self, data: bytes, include_attributes: bool = True) -> Verdict:
        if not self.calibrated:
            # _threshold_here -> _accepts_here -> _parse: two frames deeper than verdict -> _parse.
            # Measure, shift the limit (each frame is worth 3 levels of nesting), measure again.
            for _ in range(4):
                here = self._threshold_here()
                if here == self.threshold:
                    break
                sys.setrecursionlimit(sys.getrecursionlimit() + (self.threshold - here) // 3)
            # The calls below come from two frames higher up; compensate.
            sys.setrecursionlimit(sys.getrecursionlimit() - 2)
            self.calibrated = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                tree = _parse(data)
            except REJECTING_ERRORS as e:
                return Verdict(
                    "rejected",
                    message=f"{type(e).__name__}: {e}",
                    lineno=getattr(e, "lineno", None),
                    offset=getattr(e, "offset", None),
                )
            except Exception as e:  # noqa: BLE001 - anything else: not a verdict
                return Verdict("skipped", message=f"ast.parse: {type(e).__name__}: {e}")
        try:
            text = _run_with_big_stack(_dump, tree, include_attributes)
        except Exception as e:  # noqa: BLE001
            return Verdict("skipped", message=f"ast.dump: {type(e).__name__}: {e}")
        return Verdict("accepted", dump=(text + "\n").encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------------------------------------
# ivyc


IVYC_DUMP_ARGS = ["--python", "3.11", "--dump-ast", "--include-attributes"]


@dataclasses.dataclass
class IvycRun:
    returncode: int | None  # None: timed out; negative: killed by that signal
    stdout: bytes
    stderr: bytes

    @property
    def status(self) -> str:
        if self.returncode is None:
            return "timeout"
        if self.returncode == IVYC_ACCEPT:
            return "accepted"
        if self.returncode == IVYC_REJECT:
            return "rejected"
        return "crash"

    def describe(self) -> str:
        if self.returncode is None:
            return "timed out"
        if self.returncode < 0:
            return f"killed by signal {-self.returncode}"
        return f"exit {self.returncode}"


def run_ivyc_dump(ivyc: Path | str, path: Path | str | None = None, data: bytes | None = None,
                  timeout: float = 30.0) -> IvycRun:
    """`ivyc parse FILE --python 3.11 --dump-ast --include-attributes`, or on standard input
    ('-') when `data` is given."""
    args = [str(ivyc), "parse", str(path) if data is None else "-", *IVYC_DUMP_ARGS]
    try:
        r = subprocess.run(args, input=data if data is not None else b"", capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return IvycRun(None, e.stdout or b"", e.stderr or b"")
    except OSError as e:  # could not start it: a failure of this file, not of the whole run
        return IvycRun(127, b"", f"cannot run {ivyc}: {e}".encode())
    return IvycRun(r.returncode, r.stdout, r.stderr)


@contextlib.contextmanager
def snapshot_ivyc(ivyc: Path | str):
    """A private copy of the binary for a long run, so that a rebuild meanwhile changes nothing."""
    with tempfile.TemporaryDirectory(prefix="ivyc-snapshot-") as tmp:
        copy = Path(tmp) / "ivyc"
        shutil.copy2(Path(ivyc).resolve(), copy)
        yield copy


def first_difference(expected: bytes, actual: bytes) -> int:
    """The offset of the first byte where the two differ (len of the shorter if one is a prefix)."""
    n = min(len(expected), len(actual))
    lo = 0
    step = 1 << 16
    while lo < n and expected[lo:lo + step] == actual[lo:lo + step]:
        lo += step
    hi = min(lo + step, n)
    for i in range(lo, hi):
        if expected[i] != actual[i]:
            return i
    return hi if hi < n else n


def diff_context(expected: bytes, actual: bytes, width: int = 70) -> tuple[int, str, str]:
    """(offset, expected around it, actual around it), for a short report."""
    at = first_difference(expected, actual)
    lo = max(0, at - width // 2)

    def show(b: bytes) -> str:
        s = b[lo:at + width // 2].decode("utf-8", "replace")
        return ("..." if lo else "") + s.replace("\n", "\\n")

    return at, show(expected), show(actual)


def classify(ref: Verdict, run: IvycRun) -> str:
    """One of: agree-accepted, agree-rejected, dump-mismatch, accepted-by-ivyc-only,
    rejected-by-ivyc-only, crash, timeout, skipped."""
    if ref.status == "skipped":
        return "skipped"
    if run.status in ("crash", "timeout"):
        return run.status
    if ref.status == "accepted":
        if run.status == "rejected":
            return "rejected-by-ivyc-only"
        return "agree-accepted" if run.stdout == ref.dump else "dump-mismatch"
    return "accepted-by-ivyc-only" if run.status == "accepted" else "agree-rejected"


FAILURE_CATEGORIES = ("dump-mismatch", "accepted-by-ivyc-only", "rejected-by-ivyc-only", "crash",
                      "timeout")
ALL_CATEGORIES = ("agree-accepted", "agree-rejected", *FAILURE_CATEGORIES, "skipped")


def ivyc_error_line(stderr: bytes) -> int | None:
    """The LINE of ivyc's first `FILE:LINE:COL: error: MESSAGE` line, if it printed one."""
    import re

    m = re.search(rb"^.*?:(\d+):(\d+): error: ", stderr, re.M)
    return int(m.group(1)) if m else None
