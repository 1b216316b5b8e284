"""The engine call itself (ivyc._engine through ivyc.convert_source): the same output, findings and
exit status as the ivyc command, errors with their position, and conversions from several threads."""

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import api_samples

SAMPLES = Path(api_samples.__file__)


@pytest.mark.parametrize("to", ["jax", "numpy", "tensorflow"])
def test_same_as_the_command(ivyc_api, ivyc, to):
    """One code path: the extension gives the command's bytes, messages and exit status."""
    run = subprocess.run([str(ivyc), str(SAMPLES), "--from", "torch", "--to", to], capture_output=True)
    result = ivyc_api.convert_source(SAMPLES.read_bytes(), source="torch", to=to, path=str(SAMPLES))
    assert result.exit_status == run.returncode == 1  # the sample file has unsupported calls
    assert result.output == run.stdout
    assert result.messages.encode() == run.stderr
    unsupported = [s for s in result.sites if s.status == "unsupported"]
    assert [s.api for s in unsupported] == ["torch.fake_op_ivyc_cannot_convert", "torch.fake_main_only_op"]
    assert "no mapping" in unsupported[0].reason


def test_statuses_and_errors(ivyc_api):
    ok = ivyc_api.convert_source("import torch\n\ndef f(x):\n    return torch.abs(x)\n", to="numpy")
    assert ok.exit_status == 0 and ok.error is None
    assert "np.abs(x)" in ok.text and isinstance(ok.output, bytes)
    assert [(s.line, s.column, s.api, s.status) for s in ok.sites] == [(4, 12, "torch.abs", "converted")]
    bad = ivyc_api.convert_source("import torch\n\ndef f(x:\n    return x\n", to="jax", path="m.py")
    assert bad.exit_status == 2 and bad.output == b""
    assert (bad.error.path, bad.error.line) == ("m.py", 3) and bad.error.column > 0
    assert bad.messages.startswith("m.py:3:")
    same = ivyc_api.convert_source(b"import torch\nx = torch.ones(2)\n", source="torch", to="torch")
    assert same.exit_status == 0 and same.output == b"import torch\nx = torch.ones(2)\n"
    with pytest.raises(ValueError, match="unknown target framework"):
        ivyc_api.convert_source("", to="caffe")
    assert ivyc_api.frameworks() == ["torch", "jax", "numpy", "tensorflow"]
    assert ivyc_api.targets() == ["jax", "numpy", "tensorflow"] and ivyc_api.sources() == ["torch"]


def test_threads(ivyc_api):
    """The GIL is released while converting: threads convert at once, each with the same result."""
    text = SAMPLES.read_text()
    want = ivyc_api.convert_source(text, to="jax").output
    with ThreadPoolExecutor(4) as pool:
        outputs = list(pool.map(lambda _: ivyc_api.convert_source(text, to="jax").output, range(16)))
    assert outputs == [want] * 16
