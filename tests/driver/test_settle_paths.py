"""Imports are settled from the first pass (the Names outside replaced ranges and the identifiers of
the edits' texts); IVYC_SETTLE_SLOW=1 settles them with a second parse and name resolution of the
edited text instead. Both must give the same bytes on every file test input and every example, for
every target.
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IVYC = os.environ.get("IVYC", str(ROOT / "build" / "ivyc"))
CASES = sorted((ROOT / "tests" / "file" / "convert").glob("*.py"))
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
TARGETS = ["jax", "numpy", "tensorflow"]


def convert(path: Path, target: str, tables: Path | None, slow: bool):
    env = {k: v for k, v in os.environ.items() if k != "IVYC_SETTLE_SLOW"}
    if slow:
        env["IVYC_SETTLE_SLOW"] = "1"
    args = [IVYC, str(path), "--from", "torch", "--to", target]
    if tables is not None:
        args += ["--ops", str(tables)]
    return subprocess.run(args, capture_output=True, env=env, timeout=60)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("path", CASES + EXAMPLES, ids=lambda p: p.name)
def test_first_pass_settling_equals_second_parse(path, target):
    tables = path.parent / "tables" if path.parent.name == "convert" else None
    fast = convert(path, target, tables, slow=False)
    slow = convert(path, target, tables, slow=True)
    assert fast.returncode == slow.returncode
    assert fast.stdout == slow.stdout


def test_shadowed_and_copied_names(tmp_path):
    # `cond` is imported from torch and also a parameter copied into an edit's text: the copy is
    # the parameter, so the import goes. `torch` survives inside an unsupported call kept in an
    # edit, so its import stays. `jnp` bound by a local of one function is still imported for the
    # others.
    src = tmp_path / "m.py"
    src.write_text(
        "import torch\n"
        "from torch import cond\n\n\n"
        "def f(cond, x):\n"
        "    return torch.sum(x * cond, dim=0)\n\n\n"
        "def g(x):\n"
        "    jnp = 1\n"
        "    return torch.relu(x) + jnp\n\n\n"
        "def h(x):\n"
        "    return torch.sum(torch.cumprod(x, 0), dim=0)\n"
    )
    tables = ROOT / "tests" / "file" / "convert" / "tables"
    fast = convert(src, "jax", tables, slow=False)
    slow = convert(src, "jax", tables, slow=True)
    assert fast.stdout == slow.stdout
    out = fast.stdout.decode()
    assert "from torch import cond" not in out
    assert "import torch\n" in out  # torch.cumprod is not in the fixture tables: it stays
    assert "import jax.numpy as jnp" in out
