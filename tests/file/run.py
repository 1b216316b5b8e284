#!/usr/bin/env python3
"""The file tests: run every case under tests/file/ and compare with its expectation.

A case is a file NAME.py in a subdirectory of tests/file/ whose `# ARGS: ...` line gives the
ivyc command line (%s is the case's file name; ivyc runs in the case's directory).  Its expected
exit status, standard output and standard error are in NAME.expected beside it (format in
tests/file/README.md).  A case's name starts with `fail_` exactly when it exits non-zero.

    tests/file/run.py                       # run all cases
    tests/file/run.py lex/fail_tab_error.py # some cases
    tests/file/run.py --autoupdate          # rewrite the .expected files; review with git diff
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARGS_RE = re.compile(rb"^# ARGS:(.*)$")
BOM = b"\xef\xbb\xbf"
HEADER = "# ivyc file test expectation (tests/file/README.md); update with tests/file/run.py --autoupdate\n"


def default_ivyc() -> Path:
    env = os.environ.get("IVYC")
    return Path(env) if env else REPO / "build" / "ivyc"


def find_cases(paths: list[Path] | None = None) -> list[Path]:
    """The case files: *.py in the subdirectories of tests/file/ (or the given files/dirs)."""
    roots = paths or [d for d in sorted(HERE.iterdir()) if d.is_dir() and not d.name.startswith((".", "_"))]
    out = []
    for root in roots:
        root = Path(root).resolve()
        if root.is_file():
            out.append(root)
        else:
            out.extend(p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts)
    return out


def case_name(case: Path) -> str:
    return case.relative_to(HERE).as_posix()


def read_args(case: Path) -> list[str]:
    """The ivyc arguments of a case: its `# ARGS:` line (lines split at \\n, \\r\\n or \\r)."""
    data = case.read_bytes()
    if data.startswith(BOM):
        data = data[3:]
    found = [m.group(1) for line in re.split(rb"\r\n|\r|\n", data) if (m := ARGS_RE.match(line))]
    if len(found) != 1:
        raise ValueError(f"{case_name(case)}: needs exactly one '# ARGS:' line, found {len(found)}")
    return [a.replace("%s", case.name) for a in shlex.split(found[0].decode("utf-8"))]


# ---------------------------------------------------------------------------------------------
# The .expected format: `exit: N`, then each line of stdout as `out: TEXT` and of stderr as
# `err: TEXT` (TEXT and a \n).  Lines end at \n, \r\n or \r.  A line that is not clean UTF-8 text
# ending in \n (it ends in \r\n or \r or nothing, or holds a control character other than tab,
# or bytes that are not UTF-8) is written `out\ ESCAPED`: its bytes exactly, line end included,
# with \\, \n, \r, \t and \xNN escapes.

LINE_RE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")


def _clean(line: bytes) -> bool:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any((ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F for c in text)


ESCAPES = {"\\": "\\\\", "\r": "\\r", "\n": "\\n", "\t": "\\t"}


def escape_line(line: bytes) -> str:
    out = []
    for c in line.decode("utf-8", "surrogateescape"):
        o = ord(c)
        if c in ESCAPES:
            out.append(ESCAPES[c])
        elif 0xDC80 <= o <= 0xDCFF:  # a byte that is not UTF-8
            out.append(f"\\x{o - 0xDC00:02x}")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        else:
            out.append(c)
    return "".join(out)


def unescape_line(text: str) -> bytes:
    simple = {"\\": b"\\", "r": b"\r", "n": b"\n", "t": b"\t"}
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
        elif text[i + 1:i + 2] in simple:
            out += simple[text[i + 1]]
            i += 2
        elif text[i + 1:i + 2] == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            raise ValueError(f"bad escape in expectation: {text!r}")
    return bytes(out)


def split_lines(data: bytes) -> list[bytes]:
    r"""`data` cut after each \n, \r\n and \r, line ends kept."""
    return [m.group(0) for m in LINE_RE.finditer(data) if m.group(0)]


def format_stream(tag: str, data: bytes) -> str:
    out = []
    for line in split_lines(data):
        body = line[:-1]
        if line.endswith(b"\n") and not body.endswith(b"\r") and _clean(body):
            out.append(f"{tag}: {body.decode('utf-8')}\n")
        else:
            out.append(f"{tag}\\ {escape_line(line)}\n")
    return "".join(out)


@dataclasses.dataclass
class Outcome:
    exit: int
    stdout: bytes
    stderr: bytes

    def format(self) -> str:
        return (HEADER + f"exit: {self.exit}\n" + format_stream("out", self.stdout)
                + format_stream("err", self.stderr))


def parse_expected(text: str) -> Outcome:
    exit_code = None
    streams: dict[str, list[bytes]] = {"out": [], "err": []}
    for raw in text.split("\n"):
        if not raw or raw.startswith("#"):
            continue
        if raw.startswith("exit: "):
            exit_code = int(raw[6:])
            continue
        tag, kind = raw[:3], raw[3:5]
        if tag not in streams or kind not in (": ", "\\ "):
            raise ValueError(f"bad expectation line: {raw!r}")
        streams[tag].append(raw[5:].encode("utf-8") + b"\n" if kind == ": " else unescape_line(raw[5:]))
    if exit_code is None:
        raise ValueError("no 'exit:' line")
    return Outcome(exit_code, b"".join(streams["out"]), b"".join(streams["err"]))


# ---------------------------------------------------------------------------------------------


def expected_path(case: Path) -> Path:
    return case.with_suffix(".expected")


def run_case(case: Path, ivyc: Path, timeout: float = 60.0) -> Outcome:
    args = read_args(case)
    try:
        r = subprocess.run([str(ivyc), *args], cwd=case.parent, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return Outcome(-999, e.stdout or b"", (e.stderr or b"") + b"\n<timed out>\n")
    return Outcome(r.returncode, r.stdout, r.stderr)


def check_case(case: Path, ivyc: Path) -> list[str]:
    """The problems with a case: empty when it passes."""
    problems = []
    name = case_name(case)
    if case.name.startswith("test_") or case.name.endswith("_test.py"):
        problems.append(f"{name}: a case must not be named like a pytest module")
    actual = run_case(case, ivyc)
    if actual.exit < 0:
        problems.append(f"{name}: ivyc crashed or timed out ({actual.exit})")
    if case.name.startswith("fail_") != (actual.exit != 0):
        problems.append(f"{name}: exit {actual.exit}, but the name "
                        + ("starts with 'fail_'" if case.name.startswith("fail_")
                           else "does not start with 'fail_'"))
    exp_path = expected_path(case)
    if not exp_path.exists():
        problems.append(f"{name}: no {exp_path.name} (run tests/file/run.py --autoupdate)")
        return problems
    expected_text = exp_path.read_bytes().decode("utf-8")
    actual_text = actual.format()
    if parse_expected(expected_text) != actual or expected_text != actual_text:
        diff = difflib.unified_diff(expected_text.splitlines(keepends=True),
                                    actual_text.splitlines(keepends=True),
                                    f"{name} (expected)", f"{name} (actual)", n=2)
        problems.append(f"{name}: output differs from {exp_path.name}:\n" + "".join(
            d if len(d) < 500 else d[:500] + "...\n" for d in diff))
    return problems


def autoupdate(case: Path, ivyc: Path) -> bool:
    """Rewrites the case's expectation from ivyc's output; True when it changed."""
    text = run_case(case, ivyc).format()
    path = expected_path(case)
    if path.exists() and path.read_bytes() == text.encode("utf-8"):
        return False
    path.write_bytes(text.encode("utf-8"))
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", nargs="*", type=Path, help="case files or directories (default: all)")
    ap.add_argument("--ivyc", type=Path, default=default_ivyc(),
                    help="the ivyc binary (default: $IVYC or build/ivyc)")
    ap.add_argument("--autoupdate", action="store_true",
                    help="rewrite the .expected files from ivyc's output")
    args = ap.parse_args(argv)
    if not os.access(args.ivyc, os.X_OK):
        print(f"error: no ivyc binary at {args.ivyc} (build it, or pass --ivyc)", file=sys.stderr)
        return 2
    ivyc = args.ivyc.resolve()
    cases = find_cases(args.cases or None)
    if args.autoupdate:
        changed = [case_name(c) for c in cases if autoupdate(c, ivyc)]
        for c in changed:
            print(f"updated {c}")
        print(f"{len(changed)} of {len(cases)} expectations changed; review them with git diff")
    failed = 0
    for case in cases:
        problems = check_case(case, ivyc)
        if problems:
            failed += 1
            for p in problems:
                print("FAIL " + p)
    print(f"{len(cases) - failed} of {len(cases)} file tests passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
