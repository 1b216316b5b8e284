"""The driver's options for tools: --files-from, --quiet, --stats, and its exit codes.

Runs the ivyc named by IVYC (CTest sets it), else build/ivyc.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IVYC = os.environ.get("IVYC", str(ROOT / "build" / "ivyc"))
STATS = re.compile(
    r"^ivyc: parsed (\d+) files, (\d+) bytes in ([0-9.]+) s: ([0-9.]+) MB/s \((\d+) failed\)$", re.M
)


def ivyc(*args, stdin=None):
    return subprocess.run(
        [IVYC, *map(str, args)], input=stdin, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def two_files(tmp_path):
    a = tmp_path / "a.py"
    b = tmp_path / "b.py"
    a.write_text("x = 1\n")
    b.write_text("def f(y):\n    return y * 2\n")
    return a, b


def test_files_from_quiet_prints_nothing(tmp_path, two_files):
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(map(str, two_files)) + "\n\n")  # blank lines are skipped
    r = ivyc("parse", "--files-from", listing, "--quiet", "--dump-ast")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_files_from_joins_the_positional_files(tmp_path, two_files):
    listing = tmp_path / "list.txt"
    listing.write_text(f"{two_files[1]}\r\n")  # CRLF list
    r = ivyc("parse", two_files[0], "--files-from", listing, "--quiet", "--stats")
    assert r.returncode == 0, r.stderr
    m = STATS.search(r.stderr)
    assert m, r.stderr
    files, size, _, _, failed = m.groups()
    assert int(files) == 2
    assert int(size) == sum(p.stat().st_size for p in two_files)
    assert int(failed) == 0


def test_files_from_stdin(two_files):
    r = ivyc("parse", "--files-from", "-", "--quiet", stdin="\n".join(map(str, two_files)))
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_stats_counts_an_unreadable_file_and_exits_2(tmp_path, two_files):
    missing = tmp_path / "missing.py"
    r = ivyc("parse", two_files[0], missing, "--quiet", "--stats")
    assert r.returncode == 2
    assert f"{missing}: error:" in r.stderr
    m = STATS.search(r.stderr)
    assert m and m.group(1) == "2" and m.group(5) == "1", r.stderr


def test_a_directory_is_unreadable(tmp_path):
    r = ivyc("parse", tmp_path, "--quiet")
    assert r.returncode == 2
    assert r.stderr.startswith(f"{tmp_path}: error:")


def test_missing_list_exits_2(tmp_path):
    r = ivyc("parse", "--files-from", tmp_path / "nope.txt")
    assert r.returncode == 2
    assert "error" in r.stderr


def test_no_input_exits_2():
    r = ivyc("parse")
    assert r.returncode == 2
    assert "no input files" in r.stderr


def test_dump_ast_prints_a_module(two_files):
    r = ivyc("parse", "--dump-ast", two_files[0])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Module(")


def test_bad_usage_exits_2():
    assert ivyc("parse", "--no-such-option", "x.py").returncode == 2
    assert ivyc("parse", "--python", "2.7", "x.py").returncode == 2


def test_invalid_python_exits_2_and_is_counted(tmp_path, two_files):
    bad = tmp_path / "bad.py"
    bad.write_text("x = 1\ndef (:\n")
    r = ivyc("parse", two_files[0], bad, two_files[1], "--quiet", "--stats")
    assert r.returncode == 2
    assert re.search(rf"^{re.escape(str(bad))}:2:\d+: error: ", r.stderr, re.M), r.stderr
    m = STATS.search(r.stderr)
    assert m and m.group(1) == "3" and m.group(5) == "1", r.stderr


def test_files_after_an_invalid_one_are_still_dumped(tmp_path, two_files):
    bad = tmp_path / "bad.py"
    bad.write_text("(\n")
    r = ivyc("parse", "--dump-ast", bad, two_files[0])
    assert r.returncode == 2
    assert r.stdout.startswith("Module(body=[Assign(")
