"""Which of the most used torch APIs the tables map, and that every mapped entry is tested.

api_frequency.json (a copy of ../shared/api_frequency.json, so that a fresh clone has it) counts
call sites of torch functions, tensor methods and tensor attributes in real code. Of the TOP most
used (the three lists together, by count), each is: mapped by the tables (a functions, methods or
attributes key; an in-place method through its base method), an entry marked "unsupported", a
torch constant (a "constants" key), handled by the engine itself
(ENGINE), a torch.nn module class ("modules (issue 4)": the layers list), or unmapped. The run's
summary prints the counts and the unmapped names. The test fails when a table entry has neither
samples nor "unsupported" (an in-place alias such as {"inplace": "add"} is tested through its base;
layer constructors, ops/torch/layers*.json, are tested by tests/layers instead).
"""

import json
from pathlib import Path

import conformance as cf

HERE = Path(__file__).resolve().parent
TOP = 400
ENGINE = {  # ops/torch/core.json: "torch.no_grad and its kin are rewritten by lib/rewrite/grad_mode"
    "torch.no_grad": "grad mode", "torch.enable_grad": "grad mode", "torch.inference_mode": "grad mode",
}  # (torch.set_grad_enabled is reported unsupported by the engine: it counts as unmapped)


def ranked(freq: dict) -> list[tuple[str, str, int]]:
    """(kind, name, count) over api_calls, tensor_methods and tensor_attributes, most used first."""
    items = [("functions", n, c) for n, c in freq["api_calls"]]
    items += [("methods", n, c) for n, c in freq["tensor_methods"]]
    items += [("attributes", n, c) for n, c in freq["tensor_attributes"]]
    return sorted(items, key=lambda t: -t[2])  # stable: ties keep the file's order


def classify(entries: list[cf.Entry], freq: dict, top: int = TOP) -> dict[str, list[str]]:
    keys = {(e.kind, e.name): e for e in entries}
    constants = {n for t in tables() for n in t.get("constants", {})}
    layers = {n for n, _ in freq.get("layers", [])}
    by_status: dict[str, list[str]] = {"mapped": [], "unsupported": [], "constant": [], "engine": [], "modules (issue 4)": [],
                                       "unmapped": []}
    for kind, name, _ in ranked(freq)[:top]:
        label = name if kind == "functions" else "Tensor." + name
        entry = keys.get((kind, name))
        if entry is None and kind == "methods" and name.endswith("_"):
            entry = keys.get((kind, name[:-1]))  # the in-place form of a mapped method
        if entry is not None:
            by_status["unsupported" if entry.unsupported else "mapped"].append(label)
        elif kind == "functions" and name in constants:
            by_status["constant"].append(label)
        elif kind == "functions" and name in ENGINE:
            by_status["engine"].append(label)
        elif kind == "functions" and name in layers:
            by_status["modules (issue 4)"].append(label)
        else:
            by_status["unmapped"].append(label)
    return by_status


def tables() -> list[dict]:
    return [cf.load_json(p) for p in sorted((cf.ops_dir() / "torch").glob("*.json"))]


def untested(entries: list[cf.Entry]) -> list[str]:
    """Entries with neither samples nor "unsupported" (in-place aliases excepted)."""
    bad = []
    for e in entries:
        if e.samples or e.unsupported:
            continue
        if e.family.startswith("layers"):
            continue  # layer constructors: tests/layers builds and runs them (docs/modules.md)
        if all(set(o) <= {"inplace", "$comment"} for o in e.overloads):
            continue
        bad.append(f"{e.family}:{e.api}")
    return bad


def test_top_apis_coverage():
    freq = json.loads((HERE / "api_frequency.json").read_text(encoding="utf-8"))
    entries = cf.load_frontend()
    by_status = classify(entries, freq)
    cf.RESULTS.coverage = {"top": TOP, "by_status": by_status}
    print(", ".join(f"{k} {len(v)}" for k, v in by_status.items()))
    print("unmapped:", ", ".join(by_status["unmapped"]))
    bad = untested(entries)
    assert not bad, f"{len(bad)} table entries have neither samples nor \"unsupported\": {', '.join(bad)}"


def test_frequency_copy_is_current():
    """The copy matches ../shared/api_frequency.json where that exists (a fresh clone lacks it)."""
    shared = cf.ROOT.parent / "shared" / "api_frequency.json"
    if shared.exists():
        assert json.loads(shared.read_text()) == json.loads((HERE / "api_frequency.json").read_text()), \
            f"refresh tests/conformance/api_frequency.json from {shared}"


def test_classify_and_untested():
    def e(kind, name, **o):
        return cf.Entry("x", kind, name, (o,))
    entries = [e("functions", "torch.sum", op="sum", samples=[{"args": ["f32[2]"]}]),
               e("functions", "torch.bad", unsupported="no way"),
               e("methods", "add", op="add"),  # neither samples nor unsupported
               e("methods", "mul_", inplace="mul"),  # an alias: fine without samples
               e("attributes", "shape", op="shape", samples=[{"args": ["f32[2]"]}])]
    freq = {"api_calls": [["torch.sum", 9], ["torch.nn.Linear", 8], ["torch.no_grad", 7],
                          ["torch.bad", 6], ["torch.what", 5]],
            "tensor_methods": [["add_", 4], ["zap", 3]], "tensor_attributes": [["shape", 10]],
            "layers": [["torch.nn.Linear", 8]]}
    by_status = classify(entries, freq, top=7)
    assert by_status["mapped"] == ["Tensor.shape", "torch.sum", "Tensor.add_"]
    assert by_status["unsupported"] == ["torch.bad"]
    assert by_status["engine"] == ["torch.no_grad"]
    assert by_status["modules (issue 4)"] == ["torch.nn.Linear"]
    assert by_status["unmapped"] == ["torch.what"]  # zap is beyond the top 7
    assert untested(entries) == ["x:Tensor.add"]
