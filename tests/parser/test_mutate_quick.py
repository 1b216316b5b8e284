"""A quick deterministic run of the mutation test (mutate.py): 500 mutants of 60 real files.  The
full run is `tests/parser/mutate.py --count 10000` (see tests/parser/README.md)."""

import os

import mutate
import pytest
import pyref

COUNT = 500
SEED = 20240611


def test_mutants_agree_with_cpython(ivyc):
    jobs = min(os.cpu_count() or 1, 4)
    files, results = mutate.run(COUNT, SEED, jobs, ivyc, n_files=60)
    assert len(files) >= 30, f"too few usable source files: {len(files)}"
    made = [r for r in results if r.category != "no-window"]
    assert len(made) >= COUNT * 0.9, f"only {len(made)} of {COUNT} mutants could be made"
    failures = [r for r in results if r.category in pyref.FAILURE_CATEGORIES]
    if failures:
        written = mutate.write_failures(results, SEED, pyref.REPO / ".cache" / "mutants-pytest")
        pytest.fail("\n" + mutate.summarize(files, results, max_listed=40)
                    + f"\nmutants written to {written[0].parent}", pytrace=False)
