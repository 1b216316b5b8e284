"""Every sample of the torch op tables, run through torch and through ivyc's output per target.

Test ids are `<target>-<family>-<api>-<i>`, so `-k` selects a target, a family or an API:
    IVYC=build/ivyc .venv/bin/python -m pytest tests/conformance -k "jax and math" -q
A sample the target's backend marks unsupported passes the check that ivyc reported the reason and
is skipped as "unsupported: ..." (counted apart from passing ones in the summary).
"""

import pytest

import conformance as cf

ENTRIES = cf.load_frontend()
CASES = cf.collect_cases(ENTRIES)


@pytest.fixture(scope="session")
def session(ivyc):
    s = cf.Session(ivyc, ENTRIES)
    yield s
    s.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sample(session, case):
    failure = unsupported = None
    try:
        cf.run_case(session, case)
    except cf.Unsupported as e:
        unsupported = str(e)
    except AssertionError as e:
        failure = str(e)
    if unsupported is not None:
        pytest.skip(f"unsupported: {unsupported}")
    if failure is not None:
        pytest.fail(failure, pytrace=False)  # the message says it all; outside `except`: no chain
