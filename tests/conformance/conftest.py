"""The conformance suite's outcome per API and target, and the summary at the end of the run.

Each sample test is recorded as pass, fail or unsupported (a skip whose reason starts with
"unsupported:"); the terminal summary counts, per target, the APIs whose samples all pass, those
with a failing sample, those unsupported, and the entries without samples. With
IVYC_CONFORMANCE_SUMMARY=PATH the same numbers (and the lists of APIs) are written there as JSON.
"""

import json
import os

import pytest

import conformance as cf


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    case = getattr(getattr(item, "callspec", None), "params", {}).get("case")
    if not isinstance(case, cf.Case):
        return
    if rep.when == "call" or (rep.when == "setup" and not rep.passed):
        if rep.passed:
            cf.RESULTS.record(case, "pass")
        elif rep.failed:
            cf.RESULTS.record(case, "fail")
        elif "unsupported:" in str(rep.longrepr):
            cf.RESULTS.record(case, "unsupported")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tr = terminalreporter
    if cf.RESULTS.outcomes:
        entries = cf.load_frontend()
        backends = {t: cf.load_backend(t) for t in cf.TARGETS}
        summary = cf.RESULTS.summary(entries, backends)
        tr.write_sep("=", "conformance: APIs per target")
        tr.write_line(f"{'target':<12}{'pass':>6}{'fail':>6}{'unsupp':>8}{'no samples':>12}"
                      f"   samples pass/fail/unsupported")
        for target, t in summary.items():
            s = t["samples"]
            tr.write_line(f"{target:<12}{t['pass']:>6}{t['fail']:>6}{t['unsupported']:>8}"
                          f"{t['no_samples']:>12}   {s['pass']}/{s['fail']}/{s['unsupported']}")
            if len(t["families"]) > 1:
                for fam, f in sorted(t["families"].items()):
                    tr.write_line(f"  {fam:<10}{f['pass']:>6}{f['fail']:>6}{f['unsupported']:>8}"
                                  f"{f['no_samples']:>12}")
        for target, t in summary.items():
            for label, key in (("failing", "failing"), ("without samples", "without_samples")):
                if t[key]:
                    names = t[key]
                    more = f" ... and {len(names) - 40} more" if len(names) > 40 else ""
                    tr.write_line(f"{target} {label} ({len(names)}): {', '.join(names[:40])}{more}")
        path = os.environ.get("IVYC_CONFORMANCE_SUMMARY")
        if path:
            data = {"targets": summary, "coverage": cf.RESULTS.coverage}
            with open(path, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            tr.write_line(f"conformance summary written to {path}")
    cov = cf.RESULTS.coverage
    if cov:
        tr.write_sep("=", f"conformance: coverage of the top {cov['top']} torch APIs")
        counts = ", ".join(f"{k} {len(v)}" for k, v in cov["by_status"].items())
        tr.write_line(counts)
        unmapped = cov["by_status"].get("unmapped", [])
        if unmapped:
            tr.write_line(f"unmapped ({len(unmapped)}): {', '.join(unmapped)}")
