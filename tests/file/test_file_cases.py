"""pytest over the file tests (tests/file/README.md).

* test_case: each case's exit status, stdout and stderr are its .expected file's, and its name
  starts with `fail_` exactly when it exits non-zero.
* test_expectation_agrees_with_cpython: the expectations themselves are checked against the
  reference, without ivyc: a `--python 3.11 --dump-ast` case expects exit 0 and CPython's own dump
  exactly when python3.11's ast.parse accepts the file; a `--roundtrip` case that succeeds expects
  the file's bytes back.
* test_every_diagnostic_kind_has_a_case: the table in README.md names a case for every kind of
  include/ivyc/base/diagnostic_kinds.def, and those cases exist and fail.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


runner = _load("ivyc_file_tests_run", HERE / "run.py")
pyref = _load("pyref", REPO / "tests" / "parser" / "pyref.py")

CASES = runner.find_cases()
CASE_IDS = [runner.case_name(c) for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_case(case, ivyc):
    problems = runner.check_case(case, ivyc)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def cpython_reference():
    return pyref.CPythonReference(pyref.reference_depth_threshold())


def _expected(case: Path):
    path = runner.expected_path(case)
    if not path.exists():
        pytest.fail(f"{runner.case_name(case)}: no {path.name}", pytrace=False)
    return runner.parse_expected(path.read_bytes().decode("utf-8"))


def reference_kind(case: Path) -> str | None:
    """How a case's expectation can be checked without ivyc: "dump" (a `parse --python 3.11
    --dump-ast` of the case file), "roundtrip" (`parse --roundtrip` of it), "convert" (a
    conversion: its output compiles, and is the input for --to of its own framework), or None."""
    args = runner.read_args(case)
    if args and args[0] == case.name and "--from" in args:
        return "convert"
    inputs = [a for a in args[1:] if not a.startswith("--") and a not in ("3.11", "3.12")]
    if args[0] != "parse" or inputs != [case.name]:
        return None
    if "--dump-ast" in args and "--python" in args and args[args.index("--python") + 1] == "3.11":
        return "dump"
    if args[1:] == ["--roundtrip", case.name]:
        return "roundtrip"
    return None


CHECKABLE = [c for c in CASES if reference_kind(c)]


@pytest.mark.parametrize("case", CHECKABLE, ids=[runner.case_name(c) for c in CHECKABLE])
def test_expectation_agrees_with_cpython(case, cpython_reference):
    args = runner.read_args(case)
    expected = _expected(case)
    data = case.read_bytes()
    if reference_kind(case) == "dump":
        verdict = cpython_reference.verdict(data, include_attributes="--include-attributes" in args)
        assert verdict.status != "skipped", verdict.message
        if verdict.status == "accepted":
            assert expected.exit == 0, f"CPython accepts {case.name}, the expectation says exit {expected.exit}"
            assert expected.stdout == verdict.dump, (
                "expected dump differs from CPython's at byte "
                f"{pyref.first_difference(verdict.dump, expected.stdout)}")
        else:
            assert expected.exit == 2, f"CPython rejects {case.name} ({verdict.message}), the expectation says exit {expected.exit}"
            assert expected.stdout == b""
            # Where CPython names a line, ivyc must too (FILE:LINE:COL); where it does not (an
            # unknown encoding, NUL bytes, a tree too deep), a position is not required.
            where = rb"[^\n]*:\d+:\d+: error: " if verdict.lineno else rb"[^\n]*: error: "
            assert re.match(where + rb"[^\n]+\n", expected.stderr), expected.stderr
    elif reference_kind(case) == "convert" and "--check" in args:
        # --check prints one "FILE: stale (...)" line per stale output, and exits 1 exactly then.
        lines = expected.stdout.decode().splitlines()
        assert all(": stale (converted output differs from " in line for line in lines), lines
        assert (expected.exit == 1) == bool(lines)
    elif reference_kind(case) == "convert" and "--report" in args:
        # The report on standard output agrees with the warnings on standard error.
        import json
        report = json.loads(expected.stdout)
        warnings = expected.stderr.count(b": warning: ")
        assert report["unsupported"] == warnings
        assert (expected.exit == 1) == (warnings > 0)
        sites = [s for f in report["files"] for s in f["sites"]]
        assert report["converted"] == sum(s["status"] == "converted" for s in sites)
        total = report["converted"] + report["unsupported"]
        assert report["rate"] == (report["converted"] / total if total else 1.0)
    elif reference_kind(case) == "convert":
        # A conversion's output is valid Python 3.11 (the reference interpreter compiles it), the
        # input's own bytes when converting to its own framework, and nothing on failure.
        if expected.exit in (0, 1):
            compile(expected.stdout, case.name, "exec", dont_inherit=True)
            if args[args.index("--from") + 1] == args[args.index("--to") + 1]:
                assert expected.stdout == data, "converting to the same framework must return the same bytes"
            # exit 1 exactly when something was reported unsupported, and each such site is marked.
            warnings = expected.stderr.count(b": warning: ")
            assert (expected.exit == 1) == (warnings > 0), expected.stderr
            assert expected.stdout.count(b"# ivyc: unsupported: ") == warnings
        else:
            assert expected.stdout == b"", "a failed conversion writes nothing"
    elif expected.exit == 0:
        assert expected.stdout == data, "--roundtrip must print the file back unchanged"


def test_most_cases_are_checked_against_cpython():
    """The cases without a reference are few (driver options, --tokens, --python 3.12, ...)."""
    unchecked = [runner.case_name(c) for c in CASES if c not in CHECKABLE]
    assert len(unchecked) <= 8, unchecked


def _kinds_in_def() -> list[str]:
    text = (REPO / "include" / "ivyc" / "base" / "diagnostic_kinds.def").read_text()
    return re.findall(r"^IVYC_DIAG\((\w+),", text, re.M)


def _kinds_in_readme() -> dict[str, list[str]]:
    """README.md's table rows: | `kind` | `case`, `case` | ..."""
    table: dict[str, list[str]] = {}
    for line in (HERE / "README.md").read_text().splitlines():
        m = re.match(r"^\|\s*`(\w+)`\s*\|([^|]*)\|", line)
        if m:
            table[m.group(1)] = re.findall(r"`([^`]+)`", m.group(2))
    return table


def test_every_diagnostic_kind_has_a_case():
    kinds = _kinds_in_def()
    assert kinds, "no IVYC_DIAG in diagnostic_kinds.def"
    table = _kinds_in_readme()
    missing = [k for k in kinds if not table.get(k)]
    assert not missing, f"diagnostic kinds without a case in tests/file/README.md: {missing}"
    unknown = sorted(set(table) - set(kinds))
    assert not unknown, f"README.md lists kinds that diagnostic_kinds.def lacks: {unknown}"
    for kind, cases in table.items():
        for c in cases:
            path = HERE / c
            assert path.is_file(), f"{kind}: no case {c}"
            assert path.name.startswith("fail_"), f"{kind}: case {c} is not a fail_ case"


@pytest.mark.parametrize("data", [
    b"", b"\n", b"a", b"a\nb", b"a\n\nb\n", b"x\r\ny\r", b"tab\there\n", b"back\\slash \\x41\n",
    b"nul\x00 and \xff\xfe not utf-8\n", "caf\u00e9 \u20ac\n".encode(), b"\r", b"\n\n",
    b"out: not a tag\nerr$\n",
])
def test_expectation_format_round_trips(data):
    outcome = runner.Outcome(3, data, data[::-1])
    assert runner.parse_expected(outcome.format()) == outcome
