"""A quick deterministic sample of the differential test (diff_cpython.py): 300 files, half from
the stdlib, half from .venv's site-packages, files over 150 KB left out to keep it under two
minutes on two cores.  The full run is `tests/parser/diff_cpython.py` (see tests/parser/README.md)."""

import os

import diff_cpython
import pytest
import pyref

SAMPLE = 300
SEED = 20240611
MAX_BYTES = 150_000


def test_sample_agrees_with_cpython(ivyc):
    files = diff_cpython.select_files(pyref.default_roots(), SAMPLE, SEED, MAX_BYTES)
    assert len(files) >= SAMPLE * 0.9, f"corpus too small: {len(files)} files"
    jobs = min(os.cpu_count() or 1, 4)
    results = diff_cpython.run(files, ivyc, jobs, timeout=30.0)
    failures = [r for r in results if r.category in pyref.FAILURE_CATEGORIES]
    if failures:
        pytest.fail("\n" + diff_cpython.summarize(results, max_listed=100), pytrace=False)


def test_reference_depth_is_calibrated():
    """The worker-side reference accepts exactly the nesting depth the plain command accepts."""
    threshold = pyref.reference_depth_threshold()
    ref = pyref.CPythonReference(threshold)
    assert ref.verdict(pyref._deep_probe(threshold)).status == "accepted"
    assert ref.verdict(pyref._deep_probe(threshold + 1)).status == "rejected"
