"""The harnesses themselves: with stand-ins for ivyc that are right, or wrong in each known way,
diff_cpython.py and mutate.py must sort every file into the right category.  Without this, a
harness that compares nothing would pass."""

import sys
from pathlib import Path

import diff_cpython
import mutate
import pyref
import pytest

VALID = b"def f(x):\n    return x + 1  # caf\xc3\xa9\n"
INVALID = b"x = = 1\n"

# A stand-in that does what ivyc must do, computed by CPython itself.
PERFECT = f"""#!{sys.executable}
import ast, sys, warnings
path = sys.argv[2]
data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(data)
except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
    print(f"{{path}}:1:1: error: {{e}}", file=sys.stderr)
    sys.exit(2)
print(ast.dump(tree, include_attributes=True))
"""

STAND_INS = {
    "perfect": PERFECT,
    "always_accepts": "#!/bin/sh\necho 'Module(body=[], type_ignores=[])'\n",
    "always_rejects": "#!/bin/sh\necho \"$2:1:1: error: no\" >&2\nexit 2\n",
    "segfaults": "#!/bin/sh\nkill -SEGV $$\n",
    "exits_1": "#!/bin/sh\nexit 1\n",
    "hangs": "#!/bin/sh\nexec sleep 30\n",
}

EXPECTED = {  # stand-in -> (category of VALID, category of INVALID)
    "perfect": ("agree-accepted", "agree-rejected"),
    "always_accepts": ("dump-mismatch", "accepted-by-ivyc-only"),
    "always_rejects": ("rejected-by-ivyc-only", "agree-rejected"),
    "segfaults": ("crash", "crash"),
    "exits_1": ("crash", "crash"),
    "hangs": ("timeout", "timeout"),
}


def _stand_in(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"ivyc_{name}"
    path.write_text(STAND_INS[name])
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("name", sorted(STAND_INS))
def test_diff_cpython_categories(tmp_path, name):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "valid.py").write_bytes(VALID)
    (corpus / "invalid.py").write_bytes(INVALID)
    files = diff_cpython.select_files([corpus], None, 0)
    results = diff_cpython.run(files, _stand_in(tmp_path, name), jobs=2, timeout=1.0)
    got = {Path(r.path).name: r.category for r in results}
    assert (got["valid.py"], got["invalid.py"]) == EXPECTED[name]


def test_diff_cpython_reports_the_first_difference(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "valid.py").write_bytes(VALID)
    results = diff_cpython.run(diff_cpython.select_files([corpus], None, 0),
                               _stand_in(tmp_path, "always_accepts"), jobs=1)
    assert "first difference at byte 13" in results[0].detail
    assert diff_cpython.main([str(corpus), "--ivyc", str(_stand_in(tmp_path, "always_accepts")),
                              "--list-mismatches", str(tmp_path / "mm.txt")]) == 1
    assert (tmp_path / "mm.txt").read_text() == f"dump-mismatch\t{corpus / 'valid.py'}\n"


def test_mutate_agrees_with_a_perfect_stand_in_and_catches_a_strict_one(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = b"".join(b"def f%d(x):\n    if x:\n        return [x, 'a%d']\n    return None\n\n" % (i, i)
                    for i in range(20))
    (corpus / "big.py").write_bytes(body)  # 100 lines: windows with `if 1:` headers
    (corpus / "small.py").write_bytes(VALID)
    files, results = mutate.run(60, 7, 2, _stand_in(tmp_path, "perfect"), roots=[corpus], n_files=2)
    assert len(files) == 2
    counts = {c: sum(r.category == c for r in results) for c in pyref.ALL_CATEGORIES}
    assert counts["agree-accepted"] > 0 and counts["agree-rejected"] > 0, counts
    assert sum(counts[c] for c in pyref.FAILURE_CATEGORIES) == 0, counts
    _, results = mutate.run(60, 7, 2, _stand_in(tmp_path, "always_rejects"), roots=[corpus],
                            n_files=2)
    assert any(r.category == "rejected-by-ivyc-only" for r in results)
    written = mutate.write_failures(results, 7, tmp_path / "out")
    assert written and all(p.exists() and p.with_suffix(".txt").exists() for p in written)


def test_mutants_do_not_depend_on_jobs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.py").write_bytes(VALID * 30)
    ivyc = _stand_in(tmp_path, "always_rejects")
    _, one = mutate.run(40, 3, 1, ivyc, roots=[corpus], n_files=1)
    _, two = mutate.run(40, 3, 2, ivyc, roots=[corpus], n_files=1)
    assert [(r.index, r.description) for r in one] == [(r.index, r.description) for r in two]
