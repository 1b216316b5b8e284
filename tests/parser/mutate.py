#!/usr/bin/env python3
"""The mutation test of ivyc's front end: broken and odd inputs derived from real code.

From a deterministic sample of real files (the stdlib and .venv's site-packages), each mutant takes
a window of ~30 lines around a token (whole logical lines; when the window starts inside blocks,
`if 1:` header lines open blocks of the same indentation, so that the window alone is valid Python)
or a whole small file, and applies one edit found with python3.11's `tokenize`, on the bytes:

  delete       remove a token (NEWLINE, INDENT and COMMENT included)
  duplicate    repeat a token right after itself
  swap         exchange a token with the next one
  insert       copy another token of the window in front of this one
  delete-char  remove one character of a token (strings, numbers, names, operators)
  insert-char  put a character the lexer treats specially (a quote, a bracket, a backslash, tab,
               CR, form feed, NUL, a byte that is not UTF-8, ...) in front of a token

For each mutant, ivyc (`parse - --python 3.11 --dump-ast --include-attributes`) must accept exactly
when CPython 3.11's ast.parse does, and print the same dump when both accept.  Disagreements are
written to --out-dir (the mutant and a note of how it was made) and the exit status is 1.

    tests/parser/mutate.py --count 10000 --seed 1 --jobs 2
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import io
import os
import random
import sys
import time
import token as token_module
import tokenize
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pyref  # noqa: E402

OPS = (("delete", 28), ("duplicate", 18), ("swap", 18), ("insert", 14), ("delete-char", 12),
       ("insert-char", 10))
# What insert-char puts in front of a token: characters the lexer treats specially.
INSERT_CHARS = (b" ", b"\t", b"\x0c", b"\\", b"\\\n", b"\n", b"\r", b"\r\n", b"'", b'"', b"'''",
                b"#", b"(", b")", b"[", b"]", b"{", b"}", b":", b"=", b".", b"0", b"_", b"j", b"e",
                b"$", b"?", b"!", b"\0", b"\xff", "\u00e9".encode(), "\u00a0".encode(),
                "\u20ac".encode())
SMALL_FILE_LINES = 40  # files this short are mutated whole
WINDOW_BEFORE = (0, 8)  # logical lines taken before the target's (random in this range)
WINDOW_AFTER = (0, 10)  # and after it
MAX_WINDOW_LINES = 400  # a window this long (one huge statement) is not used
BOM = b"\xef\xbb\xbf"


# ---------------------------------------------------------------------------------------------
# Tokens and windows


@dataclasses.dataclass
class Tok:
    type: int
    begin: int  # byte offsets in the file
    end: int
    row: int


@dataclasses.dataclass
class LogicalLine:
    first_tok: int  # index in FileInfo.toks of its first token
    line_begin: int  # byte offset of the physical line it starts on
    indents: tuple[bytes, ...]  # the indentation of the enclosing blocks, innermost last
    opens_block: bool = False  # followed by an INDENT
    end: int = 0  # byte offset where the next logical line's physical line starts (or EOF)


@dataclasses.dataclass
class FileInfo:
    path: str
    data: bytes
    toks: list[Tok]
    lines: list[LogicalLine]
    n_lines: int


def analyze(path: str, data: bytes) -> FileInfo | None:
    """Tokens with byte offsets and the logical lines of a UTF-8 file; None for files we do not
    mutate (other encodings, CR line ends, tokenize errors)."""
    if b"\r" in data or b"\0" in data:
        return None
    bom = 3 if data.startswith(BOM) else 0
    try:
        data[bom:].decode("utf-8")
        toks_py = list(tokenize.tokenize(io.BytesIO(data).readline))
    except (SyntaxError, UnicodeDecodeError, tokenize.TokenError, IndentationError, ValueError):
        return None
    if not toks_py or toks_py[0].string not in ("utf-8", "utf-8-sig"):
        return None
    raw_lines = data.split(b"\n")
    starts = [0]
    for raw in raw_lines[:-1]:
        starts.append(starts[-1] + len(raw) + 1)
    decoded: dict[int, str] = {}

    def offset(row: int, col: int) -> int:
        if row > len(raw_lines):
            return len(data)
        raw = raw_lines[row - 1]
        extra = bom if row == 1 else 0
        if raw.isascii():
            return starts[row - 1] + extra + col
        s = decoded.get(row)
        if s is None:
            s = decoded[row] = raw[extra:].decode("utf-8")
        return starts[row - 1] + extra + len(s[:col].encode("utf-8"))

    toks: list[Tok] = []
    for t in toks_py:
        if t.type in (token_module.ENCODING, token_module.ENDMARKER):
            continue
        toks.append(Tok(t.type, offset(*t.start), offset(*t.end), t.start[0]))

    lines: list[LogicalLine] = []
    indents: list[bytes] = []
    at_line_start = True
    trivia = (token_module.NL, token_module.COMMENT, token_module.INDENT, token_module.DEDENT)
    for i, t in enumerate(toks):
        if t.type == token_module.INDENT:
            indents.append(data[t.begin:t.end])
            if lines and lines[-1].first_tok < i:
                lines[-1].opens_block = True
        elif t.type == token_module.DEDENT:
            if indents:
                indents.pop()
        if t.type in trivia:
            continue
        if t.type == token_module.NEWLINE:
            at_line_start = True
            continue
        if at_line_start:
            # indents: the blocks it is in, its own indentation last (one `if 1:` header each).
            lines.append(LogicalLine(i, starts[t.row - 1], tuple(indents)))
            at_line_start = False
    for k, line in enumerate(lines):
        line.end = lines[k + 1].line_begin if k + 1 < len(lines) else len(data)
    return FileInfo(path, data, toks, lines, data.count(b"\n") + 1)


def headers_for(indents: tuple[bytes, ...]) -> bytes:
    """`if 1:` lines that open blocks indented as `indents` (outermost first)."""
    out = []
    outer = b""
    for ind in indents:
        out.append(outer + b"if 1:\n")
        outer = ind
    return b"".join(out)


@dataclasses.dataclass
class Window:
    begin: int  # byte range of the file
    end: int
    header: bytes

    def text(self, data: bytes) -> bytes:
        return self.header + data[self.begin:self.end]

    def shift(self) -> int:  # file offset -> window offset
        return len(self.header) - self.begin


def choose_window(info: FileInfo, t: int, rng: random.Random) -> Window | None:
    if info.n_lines <= SMALL_FILE_LINES:
        return Window(0, len(info.data), b"")
    # The logical line holding token t: the last one starting at or before it.
    lo, hi = 0, len(info.lines) - 1
    k = -1
    while lo <= hi:
        mid = (lo + hi) // 2
        if info.lines[mid].first_tok <= t:
            k = mid
            lo = mid + 1
        else:
            hi = mid - 1
    if k < 0:
        first = 0
        begin = 0
        header = b""
    else:
        first = max(0, k - rng.randint(*WINDOW_BEFORE))
        begin = info.lines[first].line_begin
        header = headers_for(info.lines[first].indents)
    last = min(len(info.lines) - 1, max(k, 0) + rng.randint(*WINDOW_AFTER))
    while last + 1 < len(info.lines) and info.lines[last].opens_block:
        last += 1
    end = info.lines[last].end if info.lines else len(info.data)
    tok = info.toks[t]
    if not (begin <= tok.begin and tok.end <= end):
        return None
    if info.data.count(b"\n", begin, end) > MAX_WINDOW_LINES:
        return None
    return Window(begin, end, header)


# ---------------------------------------------------------------------------------------------
# Mutations


def _char_bounds(b: bytes) -> list[int]:
    """Offsets where UTF-8 characters start in b, plus len(b)."""
    return [i for i in range(len(b)) if (b[i] & 0xC0) != 0x80] + [len(b)]


def mutate_once(info: FileInfo, rng: random.Random, ref: pyref.CPythonReference
                ) -> tuple[bytes, str] | None:
    """One mutant of `info` as (bytes, description), or None when no usable window was found."""
    data = info.data
    candidates = [i for i, t in enumerate(info.toks) if t.end > t.begin]
    if not candidates:
        return None
    for _attempt in range(8):
        t = rng.choice(candidates)
        window = choose_window(info, t, rng)
        if window is None:
            continue
        original = window.text(data)
        if window.header or window.begin or window.end != len(data):
            if ref.verdict(original).status != "accepted":
                continue  # the window alone is not valid Python (an `else:` at its start, ...)
        shift = window.shift()
        in_window = [i for i in candidates
                     if window.begin <= info.toks[i].begin and info.toks[i].end <= window.end]
        tok = info.toks[t]
        a, b = tok.begin + shift, tok.end + shift
        text = original[a:b]
        op = rng.choices([o for o, _ in OPS], weights=[w for _, w in OPS])[0]
        name = token_module.tok_name[tok.type]
        extra = ""
        if op == "delete":
            mutant = original[:a] + original[b:]
        elif op == "duplicate":
            mutant = original[:b] + text + original[b:]
        elif op == "swap":
            later = [i for i in in_window if i > t]
            if not later:
                continue
            u = info.toks[later[0]]
            c, d = u.begin + shift, u.end + shift
            mutant = original[:a] + original[c:d] + original[b:c] + text + original[d:]
            extra = f" with {token_module.tok_name[u.type]} {original[c:d]!r}"
        elif op == "insert":
            u = info.toks[rng.choice(in_window)]
            other = original[u.begin + shift:u.end + shift]
            mutant = original[:a] + other + original[a:]
            extra = f": inserted {token_module.tok_name[u.type]} {other!r} before it"
        elif op == "insert-char":
            char = rng.choice(INSERT_CHARS)
            mutant = original[:a] + char + original[a:]
            extra = f": inserted {char!r} before it"
        else:  # delete-char
            bounds = _char_bounds(text)
            if len(bounds) < 3:
                continue
            j = rng.randrange(len(bounds) - 1)
            mutant = original[:a + bounds[j]] + original[a + bounds[j + 1]:]
            extra = f": character {j}"
        where = f"{info.path}:{tok.row}"
        nl = b"\n"
        span = f"lines {data.count(nl, 0, window.begin) + 1}-{data.count(nl, 0, window.end)}"
        desc = (f"{op} {name} {text!r}{extra} at {where}; window {span}, "
                f"{window.header.count(nl)} header lines")
        return mutant, desc
    return None


# ---------------------------------------------------------------------------------------------
# Workers


_worker: dict = {}


def _init_worker(ivyc: str, threshold: int, timeout: float) -> None:
    _worker["ivyc"] = ivyc
    _worker["timeout"] = timeout
    _worker["ref"] = pyref.CPythonReference(threshold)


def validate_file(path: str) -> str | None:
    """`path` when it can serve as a mutation source: UTF-8, tokenizes, CPython accepts it."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if analyze(path, data) is None:
        return None
    v = _worker["ref"].verdict(data)
    return path if v.status == "accepted" else None


@dataclasses.dataclass
class MutantResult:
    index: int
    category: str  # pyref.classify's, or "no-window"
    description: str = ""
    detail: str = ""
    mutant: bytes = b""  # kept for failures only


def mutant_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"ivyc-mutate:{seed}:{index}")


def run_mutants(task: tuple[str, int, list[int]]) -> list[MutantResult]:
    path, seed, indices = task
    data = Path(path).read_bytes()
    info = analyze(path, data)
    ref = _worker["ref"]
    out = []
    for index in indices:
        rng = mutant_rng(seed, index)
        rng.random()  # the draw the parent used to pick the file
        made = mutate_once(info, rng, ref)
        if made is None:
            out.append(MutantResult(index, "no-window"))
            continue
        mutant, desc = made
        v = ref.verdict(mutant)
        run = pyref.run_ivyc_dump(_worker["ivyc"], data=mutant, timeout=_worker["timeout"])
        category = pyref.classify(v, run)
        r = MutantResult(index, category, desc)
        if category in pyref.FAILURE_CATEGORIES:
            r.mutant = mutant
            if category == "dump-mismatch":
                at, exp, act = pyref.diff_context(v.dump, run.stdout)
                r.detail = f"first difference at byte {at}\ncpython: {exp}\nivyc:    {act}"
            elif category == "accepted-by-ivyc-only":
                r.detail = f"cpython: {v.message} (line {v.lineno})"
            else:
                r.detail = f"ivyc {run.describe()}: " + run.stderr.decode("utf-8", "replace")[:2000]
            if v.status == "rejected" and category != "accepted-by-ivyc-only":
                r.detail += f"\ncpython: {v.message} (line {v.lineno})"
        elif category == "skipped":
            r.detail = v.message
        out.append(r)
    return out


# ---------------------------------------------------------------------------------------------
# Driver


def source_pool(roots: list[Path], n_files: int, seed: int, max_bytes: int, jobs: int,
                pool: concurrent.futures.Executor) -> list[str]:
    """A deterministic sample of up to `n_files` candidate files (the same number from each root),
    reduced to those usable as mutation sources."""
    rng = random.Random(f"ivyc-mutate-files:{seed}")
    chosen: list[Path] = []
    for i, root in enumerate(roots):
        files = [f for f in pyref.collect_py_files(root) if f.stat().st_size <= max_bytes]
        want = (n_files - len(chosen)) // (len(roots) - i)
        chosen.extend(rng.sample(files, min(want, len(files))))
    chosen = sorted(set(chosen))
    return [p for p in pool.map(validate_file, [str(f) for f in chosen], chunksize=8) if p]


def run(count: int, seed: int, jobs: int, ivyc: Path, roots: list[Path] | None = None,
        n_files: int = 400, max_bytes: int = 100_000, timeout: float = 30.0,
        progress: bool = False) -> tuple[list[str], list[MutantResult]]:
    roots = roots or pyref.default_roots()
    threshold = pyref.reference_depth_threshold()
    with pyref.snapshot_ivyc(ivyc) as ivyc, concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs, initializer=_init_worker,
            initargs=(str(ivyc), threshold, timeout)) as pool:
        files = source_pool(roots, n_files, seed, max_bytes, jobs, pool)
        if not files:
            raise RuntimeError("no usable source files")
        by_file: dict[str, list[int]] = collections.defaultdict(list)
        for index in range(count):
            rng = mutant_rng(seed, index)
            by_file[files[int(rng.random() * len(files))]].append(index)
        tasks = []
        for path in sorted(by_file):
            idx = by_file[path]
            for k in range(0, len(idx), 25):
                tasks.append((path, seed, idx[k:k + 25]))
        results: list[MutantResult] = []
        for batch in pool.map(run_mutants, tasks):
            results.extend(batch)
            if progress and len(results) // 1000 != (len(results) - len(batch)) // 1000:
                print(f"  {len(results)}/{count}", file=sys.stderr, flush=True)
    results.sort(key=lambda r: r.index)
    return files, results


def write_failures(results: list[MutantResult], seed: int, out_dir: Path) -> list[Path]:
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for r in results:
        if r.category not in pyref.FAILURE_CATEGORIES:
            continue
        base = out_dir / f"mutant-{seed}-{r.index}"
        base.with_suffix(".py").write_bytes(r.mutant)
        base.with_suffix(".txt").write_text(
            f"{r.category}\n{r.description}\n{r.detail}\n"
            f"reproduce: ivyc parse {base.with_suffix('.py')} {' '.join(pyref.IVYC_DUMP_ARGS)}\n",
            encoding="utf-8")
        written.append(base.with_suffix(".py"))
    return written


def summarize(files: list[str], results: list[MutantResult], max_listed: int = 30) -> str:
    counts = collections.Counter(r.category for r in results)
    made = len(results) - counts["no-window"]
    compared = made - counts["skipped"]
    lines = [f"source files: {len(files)}", f"mutants: {len(results)} ({made} made, "
             f"{counts['no-window']} without a valid window)"]
    for cat in pyref.ALL_CATEGORIES:
        lines.append(f"  {cat:24} {counts[cat]:7}")
    agree = counts["agree-accepted"] + counts["agree-rejected"]
    if compared:
        lines.append(f"agreement: {agree}/{compared} = {100.0 * agree / compared:.3f}%; "
                     f"CPython accepted {counts['agree-accepted'] + counts['dump-mismatch'] + counts['rejected-by-ivyc-only']}")
    ops = collections.Counter(r.description.split(" ", 1)[0] for r in results if r.description)
    lines.append("operations: " + ", ".join(f"{o} {n}" for o, n in sorted(ops.items())))
    failures = [r for r in results if r.category in pyref.FAILURE_CATEGORIES]
    if failures:
        lines.append(f"\ndisagreements ({len(failures)}):")
        for r in failures[:max_listed]:
            lines.append(f"  #{r.index} [{r.category}] {r.description}")
            for d in r.detail.splitlines()[:4]:
                lines.append(f"      {d}")
        if len(failures) > max_listed:
            lines.append(f"  ... and {len(failures) - max_listed} more (see --out-dir)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("roots", nargs="*", type=Path,
                    help="where the source files come from (default: the python3.11 stdlib and "
                         ".venv/lib/python3.11/site-packages)")
    ap.add_argument("--count", type=int, default=10_000, help="mutants (default 10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--files", type=int, default=400, help="source files sampled (default 400)")
    ap.add_argument("--max-bytes", type=int, default=100_000, help="largest source file used")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--ivyc", type=Path, default=pyref.default_ivyc(),
                    help="the ivyc binary (default: $IVYC or build/ivyc)")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--out-dir", type=Path, default=pyref.REPO / ".cache" / "mutants",
                    help="where disagreeing mutants are written (default .cache/mutants)")
    ap.add_argument("--progress", action="store_true")
    args = ap.parse_args(argv)
    if not os.access(args.ivyc, os.X_OK):
        print(f"error: no ivyc binary at {args.ivyc} (build it, or pass --ivyc)", file=sys.stderr)
        return 2
    t0 = time.time()
    files, results = run(args.count, args.seed, args.jobs, args.ivyc, args.roots or None,
                         args.files, args.max_bytes, args.timeout, args.progress)
    print(summarize(files, results))
    written = write_failures(results, args.seed, args.out_dir)
    if written:
        print(f"{len(written)} disagreeing mutants written to {args.out_dir}")
    print(f"wall time: {time.time() - t0:.1f}s with {args.jobs} jobs")
    return 1 if written else 0


if __name__ == "__main__":
    sys.exit(main())
