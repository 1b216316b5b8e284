"""Shared pytest options for the Python suites under tests/ (parser and file tests)."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_addoption(parser):
    parser.addoption(
        "--ivyc",
        default=os.environ.get("IVYC", str(REPO / "build" / "ivyc")),
        help="the ivyc binary the suites run (default: $IVYC, else build/ivyc)",
    )


@pytest.fixture(scope="session")
def ivyc(request) -> Path:
    """The ivyc binary; a test that needs it fails (it is not skipped) when it is missing."""
    path = Path(request.config.getoption("--ivyc")).resolve()
    if not os.access(path, os.X_OK):
        pytest.fail(f"no ivyc binary at {path}: build it (cmake -S . -B build -G Ninja && "
                    f"ninja -C build) or pass --ivyc PATH / set IVYC")
    return path
