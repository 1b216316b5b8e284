"""tests/api: the Python API (python/ivyc) over the extension built by CMake, not an installed
package: python/ goes first on sys.path, and the engine is taken from IVYC_ENGINE_DIR, else from
beside the ivyc binary under test ($IVYC, as CTest sets it: <build>/python/ivyc), else from
build/python/ivyc. scripts/build.sh builds the extension when .venv has pybind11."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))
if not os.environ.get("IVYC_ENGINE_DIR"):
    binary = os.environ.get("IVYC")
    build = Path(binary).resolve().parent if binary else REPO / "build"
    os.environ["IVYC_ENGINE_DIR"] = str(build / "python" / "ivyc")
# Conversions are cached on disk (docs/python_api.md, "The cache"): the tests keep theirs out of
# the user's cache directory.
if not os.environ.get("IVYC_CACHE_DIR"):
    os.environ["IVYC_CACHE_DIR"] = tempfile.mkdtemp(prefix="ivyc-test-cache-")


@pytest.fixture(scope="session")
def ivyc_api():
    """The ivyc package; fails (not skips) when the engine is not built."""
    try:
        import ivyc
        import ivyc._load

        ivyc._load.engine()
    except ImportError as error:
        pytest.fail(str(error))
    return ivyc
