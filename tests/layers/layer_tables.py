"""The layer tables read directly, and a small renderer of their templates.

test_tables.py uses it to check the tables (templates, definitions, load_torch_weights) without
ivyc: a sample's constructor call is bound to the torch entry's sig, the backend variant chosen by
its `when`, and the template filled in, as docs/op_tables.md describes (the subset the layer tables
use). The engine's own rendering is what test_layers.py checks.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPS = ROOT / "ops"


class Refused(Exception):
    """The call passes a refused argument, or the chosen variant is unsupported."""


@cache
def table(kind: str) -> dict:
    """The union of ops/<kind>/*.json (ops, functions, imports, definitions merged)."""
    merged: dict = {}
    for path in sorted((OPS / kind).glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
    return merged


def canonical_defaults(op: str) -> dict[str, str | None]:
    out = {}
    for p in table("canonical")["ops"][op]["params"]:
        name, _, default = p.partition("=")
        out[name] = default or None
    return out


def bind(layer: str, args: list[str], kwargs: dict[str, str]) -> tuple[str, dict[str, str]]:
    """(canonical op, {canonical param: source text}) for a call of the torch entry `layer`."""
    entry = table("torch")["functions"][layer]
    ns: dict = {}
    exec(f"def f({entry['sig']}): pass", ns)
    sig = inspect.signature(ns["f"])
    bound = sig.bind(*args, **kwargs)
    out = {}
    for name, value in bound.arguments.items():
        if name in entry.get("refuse", {}):
            raise Refused(entry["refuse"][name])
        if name in entry.get("drop", []):
            continue
        to = entry["args"][name]
        to = to if isinstance(to, str) else to["to"]
        if sig.parameters[name].kind == inspect.Parameter.VAR_POSITIONAL:
            value = "(" + "".join(v + ", " for v in value) + ")"
        out[to] = value
    out.update(entry.get("set", {}))
    return entry["op"], out


def _holds(cond: str, text: str | None, default: str | None) -> bool:
    if cond == "absent":
        return text is None
    if cond == "present":
        return text is not None
    if cond == "none":
        return (text is None and default == "None") or text == "None"
    if text is None:
        return False
    node = ast.parse(text, mode="eval").body
    if cond == "int":
        return isinstance(node, ast.Constant) and type(node.value) is int
    if cond == "scalar":
        return isinstance(node, ast.Constant) and type(node.value) in (int, float)
    if cond == "sequence":
        return isinstance(node, (ast.Tuple, ast.List))
    if cond.startswith("len="):
        return isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == int(cond[4:])
    if cond.startswith("="):
        return text == cond[1:]
    raise ValueError(f"condition {cond} is not handled here")


def choose(target: str, op: str, values: dict[str, str]) -> str:
    """The template of the first variant whose `when` holds (Refused for an unsupported one)."""
    entry = table(target)["ops"][op]
    variants = entry if isinstance(entry, list) else [entry]
    defaults = canonical_defaults(op)
    for v in variants:
        v = {"template": v} if isinstance(v, str) else v
        if all(_holds(c, values.get(p), defaults.get(p)) for p, c in v.get("when", {}).items()):
            if "unsupported" in v:
                raise Refused(v["unsupported"])
            return v["template"]
    raise Refused(f"no variant of {op} holds")


def render(template: str, op: str, values: dict[str, str]) -> str:
    defaults = canonical_defaults(op)
    text = template.replace("{{", "\0").replace("}}", "\1")
    for name in re.findall(r"\{\*(\w+)\}", text):  # {*p}: packed varargs spliced
        text = text.replace("{*" + name + "}", values[name].strip("()").rstrip(", ") if name in values else "")
    for name in re.findall(r"\{(\w+)!\}", text):  # kw={p!}: never removed
        text = text.replace("{" + name + "!}", values.get(name, str(canonical_defaults(op)[name])))
    for name in re.findall(r"\{(\w+)\}", text):
        if name == "rngs":
            text = text.replace("{rngs}", "nnx.Rngs(0)")
        elif name in values:
            text = text.replace("{" + name + "}", values[name])
        else:  # absent: kw={name} goes with its comma; a positional use gets the canonical default
            text = re.sub(r",\s*\w+=\{" + name + r"\}", "", text)
            text = re.sub(r"\w+=\{" + name + r"\},\s*", "", text)
            text = text.replace("{" + name + "}", str(defaults[name]))
    return text.replace("\0", "{").replace("\1", "}")


def expression(target: str, layer: str, args: list[str], kwargs: dict[str, str]) -> str:
    op, values = bind(layer, args, kwargs)
    return render(choose(target, op, values), op, values)


def namespace(target: str) -> dict:
    """The backend's imports and every definition, executed."""
    t = table(target)
    ns: dict = {}
    for statement in t["imports"].values():
        exec(statement, ns)
    for name in sorted(t.get("definitions", {})):
        exec("\n".join(t["definitions"][name]["source"]), ns)
    return ns
