"""The conversion command: directory mode, --check, --report, -j determinism, stdin, exit codes,
and the rule that ivyc writes nothing (and never its input) when it fails.

Uses the rewriter's fixed tables (tests/file/convert/tables) so that these tests do not change as
ops are added; tests/conformance covers the real tables.
"""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IVYC = os.environ.get("IVYC", str(ROOT / "build" / "ivyc"))
TABLES = ROOT / "tests" / "file" / "convert" / "tables"

GOOD = "import torch\n\n\ndef f(x):\n    return torch.sum(x, dim=0)  # keep\n"
PARTIAL = "import torch\n\n\ndef g(x):\n    y = torch.cumprod(x, 0)\n    return torch.relu(y)\n"


def ivyc(*args, stdin=None, cwd=None):
    return subprocess.run([IVYC, *map(str, args), "--ops", TABLES], input=stdin, capture_output=True,
                          text=True, timeout=60, cwd=cwd)


def make_tree(root: Path, n: int = 12) -> None:
    for i in range(n):
        sub = root / f"pkg{i % 3}" / ("deep" if i % 2 else "")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"m{i}.py").write_text(GOOD.replace("dim=0", f"dim={i % 2}"))
    (root / "README.txt").write_text("not python\n")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "x.py").write_text("junk(\n")


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_single_file_to_stdout_and_to_file(tmp_path):
    src = tmp_path / "a.py"
    src.write_text(GOOD)
    r = ivyc(src, "--from", "torch", "--to", "jax")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "import jax.numpy as jnp\n\n\ndef f(x):\n    return jnp.sum(x, axis=0)  # keep\n"
    out = tmp_path / "out.py"
    r2 = ivyc(src, "--from", "torch", "--to", "jax", "-o", out)
    assert r2.returncode == 0 and r2.stdout == ""
    assert out.read_text() == r.stdout


def test_dash_output_is_stdout(tmp_path):
    src = tmp_path / "a.py"
    src.write_text(GOOD)
    r = ivyc(src, "--from", "torch", "--to", "jax", "-o", "-", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ivyc(src, "--from", "torch", "--to", "jax").stdout
    assert not (tmp_path / "-").exists()


def test_stdin():
    r = ivyc("-", "--from", "torch", "--to", "numpy", stdin=GOOD)
    assert r.returncode == 0
    assert "np.sum(x, axis=0)" in r.stdout


def test_unsupported_exit_1_output_written(tmp_path):
    src = tmp_path / "p.py"
    src.write_text(PARTIAL)
    out = tmp_path / "p_jax.py"
    r = ivyc(src, "--from", "torch", "--to", "jax", "-o", out)
    assert r.returncode == 1
    assert f"{src}:5:9: warning: torch.cumprod:" in r.stderr
    text = out.read_text()
    assert "# ivyc: unsupported: a fixture API that no target has\n    y = torch.cumprod(x, 0)" in text
    assert "jax.nn.relu(y)" in text and text.startswith("import torch\n")


def test_parse_error_writes_nothing(tmp_path):
    src = tmp_path / "bad.py"
    src.write_text("import torch\ndef f(:\n")
    out = tmp_path / "out.py"
    r = ivyc(src, "--from", "torch", "--to", "jax", "-o", out)
    assert r.returncode == 2
    assert "bad.py:2:" in r.stderr and "nothing written" in r.stderr
    assert not out.exists()


def test_never_overwrites_its_input(tmp_path):
    src = tmp_path / "a.py"
    src.write_text(GOOD)
    r = ivyc(src, "--from", "torch", "--to", "jax", "-o", src)
    assert r.returncode == 2 and "does not overwrite its input" in r.stderr
    assert src.read_text() == GOOD


def test_bad_usage_exit_2(tmp_path):
    src = tmp_path / "a.py"
    src.write_text(GOOD)
    assert ivyc(src, "--from", "torch", "--to", "mxnet").returncode == 2
    assert ivyc(src, "--to", "jax").returncode == 2
    assert ivyc(tmp_path / "missing.py", "--from", "torch", "--to", "jax").returncode == 2
    r = ivyc(tmp_path, "--from", "torch", "--to", "jax")  # a directory needs -o
    assert r.returncode == 2 and "-o DIR" in r.stderr


def test_directory_mode_same_tree_deterministic(tmp_path):
    src = tmp_path / "src"
    make_tree(src)
    outs = []
    for jobs in (1, 2, 7):
        out = tmp_path / f"out{jobs}"
        r = ivyc(src, "--from", "torch", "--to", "tensorflow", "-o", out, "-j", jobs)
        assert r.returncode == 0, r.stderr
        outs.append(snapshot(out))
    assert outs[0] == outs[1] == outs[2]
    # Every .py, same relative paths; nothing else copied; __pycache__ skipped.
    assert sorted(outs[0]) == sorted(str(p.relative_to(src)) for p in src.rglob("*.py") if "__pycache__" not in p.parts)
    assert all(b"tf.reduce_sum(" in v for v in outs[0].values())


def test_directory_with_a_bad_file_writes_nothing(tmp_path):
    src = tmp_path / "src"
    make_tree(src, 4)
    (src / "broken.py").write_text("def f(:\n")
    out = tmp_path / "out"
    r = ivyc(src, "--from", "torch", "--to", "jax", "-o", out)
    assert r.returncode == 2
    assert not out.exists()


def test_check_lists_stale_files(tmp_path):
    src = tmp_path / "src"
    make_tree(src, 4)
    out = tmp_path / "out"
    assert ivyc(src, "--from", "torch", "--to", "jax", "-o", out).returncode == 0
    r = ivyc(src, "--from", "torch", "--to", "jax", "-o", out, "--check")
    assert r.returncode == 0 and r.stdout == ""
    before = snapshot(out)
    stale = next(src.rglob("m1.py"))
    stale.write_text(GOOD.replace("dim=0", "dim=1").replace("torch.sum", "torch.relu").replace(", dim=1", ""))
    r = ivyc(src, "--from", "torch", "--to", "jax", "-o", out, "--check")
    assert r.returncode == 1
    assert len(r.stdout.splitlines()) == 1 and "m1.py: stale" in r.stdout
    assert snapshot(out) == before  # --check writes nothing
    # A single file too.
    single = tmp_path / "s.py"
    single.write_text(GOOD)
    assert ivyc(single, "--from", "torch", "--to", "jax", "-o", tmp_path / "s_out.py", "--check").returncode == 1


def test_report(tmp_path):
    src = tmp_path / "p.py"
    src.write_text(PARTIAL)
    rep = tmp_path / "r.json"
    r = ivyc(src, "--from", "torch", "--to", "jax", "-o", tmp_path / "o.py", "--report", rep)
    assert r.returncode == 1
    data = json.loads(rep.read_text())
    assert (data["from"], data["to"], data["converted"], data["unsupported"]) == ("torch", "jax", 1, 1)
    (f,) = data["files"]
    assert f["rate"] == 0.5
    sites = {(s["api"], s["status"], s["line"], s["col"]) for s in f["sites"]}
    assert sites == {("torch.cumprod", "unsupported", 5, 9), ("torch.relu", "converted", 6, 12)}
    assert [s["reason"] for s in f["sites"] if s["status"] == "unsupported"] == ["a fixture API that no target has"]


def test_same_framework_returns_bytes(tmp_path):
    src = tmp_path / "a.py"
    data = b"import torch\r\nx = torch.sum(torch.ones(2))  # \xc3\xa9\r\n"
    src.write_bytes(data)
    r = subprocess.run([IVYC, src, "--from", "torch", "--to", "torch"], capture_output=True, timeout=60)
    assert (r.returncode, r.stdout) == (0, data)


def test_ops_listing_and_check():
    r = subprocess.run([IVYC, "ops", "--ops", TABLES, "--json"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data["torch.sum"] == {"jax": "supported", "numpy": "supported", "tensorflow": "supported"}
    assert data["torch.std"]["tensorflow"] == "unsupported: not in this fixture"
    assert data["torch.cumprod"]["jax"].startswith("unsupported: a fixture API")
    r = subprocess.run([IVYC, "ops", "--check", "--ops", ROOT / "tests" / "file" / "convert" / "bad_tables"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0  # valid tables whose template makes bad code: found at conversion
    bad = ROOT / "tests" / "file" / "convert" / "tables"
    r = subprocess.run([IVYC, "ops", "--check", "--ops", bad / "torch"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "a table file belongs in" in r.stderr


def test_real_code_converts_to_valid_python(tmp_path):
    """A sample of real torch code (the torch package's own source, every 12th file) converted
    to each target with the real tables: ivyc never fails on input CPython accepts, and every
    output is valid Python 3.11."""
    import ast
    import shutil
    import torch
    pkg = Path(torch.__file__).parent
    src = tmp_path / "src"
    files = sorted(p for p in pkg.rglob("*.py") if "__pycache__" not in p.parts)[::12]
    for p in files:
        try:
            ast.parse(p.read_bytes())
        except SyntaxError:
            continue  # newer syntax than the reference interpreter
        dest = src / p.relative_to(pkg)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, dest)
    inputs = sorted(src.rglob("*.py"))
    assert len(inputs) > 100
    for target in ("jax", "numpy", "tensorflow"):
        out = tmp_path / target
        r = subprocess.run([IVYC, src, "--from", "torch", "--to", target, "-o", out, "-q"],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode in (0, 1), r.stderr[-3000:]
        outputs = sorted(out.rglob("*.py"))
        assert len(outputs) == len(inputs)
        for o in outputs:
            ast.parse(o.read_bytes(), filename=str(o))


def test_outputs_already_up_to_date_are_not_rewritten(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    make_tree(src, n=4)
    assert ivyc(src, "--from", "torch", "--to", "jax", "-o", out).returncode == 0
    files = sorted(out.rglob("*.py"))
    assert len(files) == 4
    old = 1_000_000_000
    for f in files:
        os.utime(f, ns=(old, old))
    stale = files[0]
    stale.write_text("# edited by hand\n")
    os.utime(stale, ns=(old, old))
    assert ivyc(src, "--from", "torch", "--to", "jax", "-o", out).returncode == 0
    # The edited one is written again; the others hold the same bytes and keep their time stamps.
    assert "jnp.sum" in stale.read_text()
    assert stale.stat().st_mtime_ns != old
    assert [f.stat().st_mtime_ns for f in files[1:]] == [old] * 3
    assert not list(out.rglob("*.ivyc-tmp"))


def test_quiet_prints_no_warnings_and_still_exits_1(tmp_path):
    src = tmp_path / "m.py"
    src.write_text(PARTIAL)
    loud = ivyc(src, "--from", "torch", "--to", "jax")
    quiet = ivyc(src, "--from", "torch", "--to", "jax", "-q")
    assert loud.returncode == quiet.returncode == 1
    assert "warning:" in loud.stderr and "cumprod" in loud.stderr
    assert quiet.stderr == ""
    assert quiet.stdout == loud.stdout
    # A report with -q still has every site.
    report = tmp_path / "r.json"
    assert ivyc(src, "--from", "torch", "--to", "jax", "-q", "-o", tmp_path / "out.py", "--report", report).returncode == 1
    data = json.loads(report.read_text())
    assert "cumprod" in json.dumps(data)
