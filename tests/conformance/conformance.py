"""The conformance harness: the op tables' samples run through torch and through ivyc's output.

For every torch frontend entry with "samples" (ops/torch/<family>.json) and every target, a sample
becomes one function of a generated torch module (one module per family):

    def s_12(a0, a1):
        return torch.sum(a0, -1, keepdim=True)

The module is converted once per (family, target) with `ivyc FILE --from torch --to TARGET`, the
result imported from a temporary directory, and each function run on the same inputs as the torch
original (made by a numpy Generator seeded per sample). Results are compared recursively: values
(rtol/atol), shapes, dtypes by name (JAX's 64 -> 32 bit narrowing accepted), tuples and lists,
Python scalars, torch.Size, dtypes and devices. ivyc's warnings are mapped back to samples by line.

The frameworks are imported on first use, so collecting the suite costs nothing but reading JSON.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import warnings
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TARGETS = ("jax", "numpy", "tensorflow")
KINDS = ("functions", "methods", "attributes")


def ops_dir() -> Path:
    """The op tables: $IVYC_CONFORMANCE_OPS (for trying the harness on other tables), else ops/."""
    return Path(os.environ.get("IVYC_CONFORMANCE_OPS", ROOT / "ops"))


# ---------------------------------------------------------------------------------------------
# Tensor specs: DTYPE[DOMAIN][SHAPE]

SPEC = re.compile(r"^(f16|bf16|f32|f64|i32|i64|u8|b)([+un]?)\[\s*((?:\d+\s*(?:,\s*\d+\s*)*,?)?)\s*\]$")

DTYPES = {  # spec dtype -> dtype name (torch, numpy, jax and tensorflow agree on these names)
    "f16": "float16", "bf16": "bfloat16", "f32": "float32", "f64": "float64",
    "i32": "int32", "i64": "int64", "u8": "uint8", "b": "bool",
}


@dataclasses.dataclass(frozen=True)
class TensorSpec:
    dtype: str  # a DTYPES name: float32, int64, bool, ...
    domain: str  # "" (any), "+" (0.5 to 2), "u" (inside (-0.9, 0.9)), "n" (no ties)
    shape: tuple[int, ...]

    def __str__(self) -> str:
        short = {v: k for k, v in DTYPES.items()}[self.dtype]
        return f"{short}{self.domain}[{','.join(map(str, self.shape))}]"


def parse_spec(text: str) -> TensorSpec | None:
    """The tensor spec `text` stands for, or None when it is Python source."""
    m = SPEC.match(text.strip())
    if not m:
        return None
    dims = tuple(int(d) for d in m.group(3).replace(" ", "").split(",") if d)
    return TensorSpec(DTYPES[m.group(1)], m.group(2), dims)


def make_array(spec: TensorSpec, rng):
    """A numpy array for `spec` drawn from `rng` (bfloat16 as ml_dtypes.bfloat16)."""
    import numpy as np

    shape, size = spec.shape, math.prod(spec.shape)
    if spec.dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if spec.dtype in ("float16", "bfloat16", "float32", "float64"):
        if spec.domain == "+":
            x = rng.uniform(0.5, 2.0, shape)
        elif spec.domain == "u":
            x = rng.uniform(-0.9, 0.9, shape)
        elif spec.domain == "n":  # distinct even after rounding to bfloat16's 8 bits
            x = ((rng.permutation(size) - size // 2) * 0.25 + rng.uniform(0, 0.0625)).reshape(shape)
        else:
            x = rng.standard_normal(shape)
        if spec.dtype == "bfloat16":
            import ml_dtypes

            return np.asarray(x, dtype=np.float32).astype(ml_dtypes.bfloat16)
        return np.asarray(x, dtype=spec.dtype)
    if spec.domain == "n":
        x = rng.permutation(size).reshape(shape) - (0 if spec.dtype == "uint8" else size // 2)
    elif spec.domain == "+":
        x = rng.integers(1, 6, shape)
    elif spec.domain == "u":
        x = np.zeros(shape)
    elif spec.dtype == "uint8":
        x = rng.integers(0, 10, shape)
    else:
        x = rng.integers(-5, 6, shape)
    return np.asarray(x, dtype=spec.dtype)


def to_framework(arr, framework: str):
    """A fresh copy of the numpy array `arr` as an input for `framework`."""
    import numpy as np

    bf16 = arr.dtype.name == "bfloat16"
    if framework == "torch":
        torch = fw("torch")
        if bf16:
            return torch.from_numpy(arr.astype(np.float32)).to(torch.bfloat16)
        return torch.from_numpy(arr.copy())
    if framework == "numpy":
        return arr.copy()
    if framework == "jax":
        jnp = fw("jax.numpy")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # int64 -> int32 without x64
            return jnp.asarray(arr)
    if framework == "tensorflow":
        tf = fw("tensorflow")
        if bf16:
            return tf.cast(tf.constant(arr.astype(np.float32)), tf.bfloat16)
        return tf.constant(arr)
    raise ValueError(framework)


_FRAMEWORKS: dict[str, Any] = {}


def fw(name: str):
    """The module `name` (torch, jax, jax.numpy, tensorflow, numpy), imported once."""
    if name not in _FRAMEWORKS:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
        _FRAMEWORKS[name] = importlib.import_module(name)
    return _FRAMEWORKS[name]


# ---------------------------------------------------------------------------------------------
# Tables

@dataclasses.dataclass(frozen=True)
class Entry:
    """One torch frontend entry: a function path, a tensor method or a tensor attribute."""

    family: str
    kind: str  # functions, methods, attributes
    name: str
    overloads: tuple  # the entry's dicts (one unless the entry is a list)

    @property
    def api(self) -> str:
        return self.name if self.kind == "functions" else "Tensor." + self.name

    @property
    def samples(self) -> list[tuple[dict, dict]]:
        """(overload, sample) pairs, over every overload in order."""
        return [(o, s) for o in self.overloads for s in o.get("samples", [])]

    @property
    def unsupported(self) -> str | None:
        reasons = [o["unsupported"] for o in self.overloads if "unsupported" in o]
        return reasons[0] if reasons and len(reasons) == len(self.overloads) else None


def load_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_frontend(ops: Path | None = None) -> list[Entry]:
    """Every entry of ops/torch/*.json, by family then kind then name as written."""
    ops = ops or ops_dir()
    entries = []
    for path in sorted((ops / "torch").glob("*.json")):
        table = load_json(path)
        for kind in KINDS:
            for name, value in table.get(kind, {}).items():
                overloads = tuple(value) if isinstance(value, list) else (value,)
                entries.append(Entry(path.stem, kind, name, overloads))
    return entries


def load_backend(target: str, ops: Path | None = None) -> dict:
    """The union of ops/<target>/*.json's "ops"."""
    ops = ops or ops_dir()
    merged: dict = {}
    for path in sorted((ops / target).glob("*.json")):
        merged.update(load_json(path).get("ops", {}))
    return merged


def entry_ops(entry: Entry, methods: dict[str, Entry]) -> set[str]:
    """The canonical ops an entry can map to (an in-place method: its base method's ops)."""
    found: set[str] = set()
    for o in entry.overloads:
        if "op" in o:
            found.add(o["op"])
        base = o.get("inplace") or (entry.name[:-1] if entry.kind == "methods" and
                                    entry.name.endswith("_") and "op" not in o else None)
        if base and base in methods and methods[base] is not entry:
            found |= entry_ops(methods[base], methods)
    return found


def backend_reasons(op_entry) -> list[str]:
    """The "unsupported" reasons a backend entry gives (whole op or some of its variants)."""
    if isinstance(op_entry, dict):
        return [op_entry["unsupported"]] if "unsupported" in op_entry else []
    if isinstance(op_entry, list):
        return [v["unsupported"] for v in op_entry if isinstance(v, dict) and "unsupported" in v]
    return []


def fully_unsupported(op_entry) -> bool:
    """Whether every variant of a backend entry is unsupported."""
    if isinstance(op_entry, dict):
        return "unsupported" in op_entry
    if isinstance(op_entry, list):
        return all(isinstance(v, dict) and "unsupported" in v for v in op_entry)
    return False


# ---------------------------------------------------------------------------------------------
# Cases and the generated torch module

@dataclasses.dataclass(frozen=True)
class Case:
    """One sample of one entry on one target."""

    target: str
    entry: Entry
    index: int  # the sample's position among the entry's samples (over all overloads)

    @property
    def id(self) -> str:
        return f"{self.target}-{self.entry.family}-{self.entry.api}-{self.index}"

    @property
    def sample(self) -> dict:
        return self.entry.samples[self.index][1]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.target, self.entry.family, self.entry.api)

    def __repr__(self) -> str:  # pytest shows it in failure headers
        return self.id


def collect_cases(entries: list[Entry]) -> list[Case]:
    cases = []
    for target in TARGETS:
        for entry in entries:
            for i, (_, sample) in enumerate(entry.samples):
                if target in sample.get("targets", TARGETS):
                    cases.append(Case(target, entry, i))
    return cases


@dataclasses.dataclass
class SampleCode:
    """A sample as torch source: the function's lines and the tensor inputs it takes."""

    name: str
    params: list[str]
    inputs: list[TensorSpec]
    lines: list[str]

    @property
    def header(self) -> str:
        # annotated, as typed code is: ivyc converts tensor attributes (x.T, x.data) only on
        # receivers it knows to be tensors
        return f"def {self.name}({', '.join(p + ': torch.Tensor' for p in self.params)}):"


def inplace_name(entry: Entry) -> bool:
    last = entry.name.rsplit(".", 1)[-1]
    return entry.kind != "attributes" and last.endswith("_") and not last.startswith("_")


def sample_code(entry: Entry, sample: dict, name: str) -> SampleCode:
    """The torch function for one sample (see the module docstring)."""
    params: list[str] = []
    inputs: list[TensorSpec] = []

    def render(text: str) -> str:
        spec = parse_spec(text)
        if spec is None:
            return text
        params.append(f"a{len(params)}")
        inputs.append(spec)
        return params[-1]

    args = [render(a) for a in sample.get("args", [])]
    kwargs = [f"{k}={render(v)}" for k, v in sample.get("kwargs", {}).items()]
    if "call" in sample:
        def arg(m):
            i = int(m.group(1))
            if i >= len(args):
                raise ValueError(f"call {sample['call']!r} uses {{{i}}} but has {len(args)} args")
            return args[i]
        call = re.sub(r"\{(\d+)\}", arg, sample["call"])
        # an in-place call on the first input ({0}.normal_(...), torch.nn.init.zeros_({0}, ...)) is
        # a statement, as for plain samples; any other call text is returned as it is
        head = "{0}." + entry.name + "(" if entry.kind == "methods" else entry.name + "({0}"
        if (inplace_name(entry) and sample["call"].replace(" ", "").startswith(head.replace(" ", ""))
                and args and args[0].isidentifier()):
            return SampleCode(name, params, inputs, [f"    {call}", f"    return {args[0]}"])
        return SampleCode(name, params, inputs, [f"    return {call}"])
    if entry.kind == "functions":
        call = f"{entry.name}({', '.join(args + kwargs)})"
    else:
        if not args:
            raise ValueError(f"a sample of {entry.api} has no receiver (args[0])")
        receiver = args[0] if args[0].isidentifier() else f"({args[0]})"
        if entry.kind == "attributes":
            call = f"{receiver}.{entry.name}"
        else:
            call = f"{receiver}.{entry.name}({', '.join(args[1:] + kwargs)})"
    if inplace_name(entry) and params:
        # x.add_(y) is converted as a statement (x = ...): test it as one, and return the tensor
        target = args[0] if entry.kind == "methods" else params[0]
        if target.isidentifier():
            return SampleCode(name, params, inputs, [f"    {call}", f"    return {target}"])
    return SampleCode(name, params, inputs, [f"    return {call}"])


@dataclasses.dataclass
class Module:
    """One family's samples as one torch module."""

    family: str
    source: str
    functions: dict[tuple[str, int], str]  # (api, sample index) -> function name
    codes: dict[str, SampleCode]  # function name -> code
    spans: dict[str, tuple[int, int]]  # function name -> first and last line (1-based)
    errors: dict[str, str]  # function name -> why no function could be written


def build_module(family: str, entries: list[Entry]) -> Module:
    lines = ["import torch", ""]
    mod = Module(family, "", {}, {}, {}, {})
    n = 0
    for entry in entries:
        if entry.family != family:
            continue
        for i, (_, sample) in enumerate(entry.samples):
            name = f"s_{n}"
            n += 1
            mod.functions[(entry.api, i)] = name
            try:
                code = sample_code(entry, sample, name)
            except ValueError as e:
                mod.errors[name] = str(e)
                continue
            mod.codes[name] = code
            lines += ["", f"# {entry.api} sample {i}", code.header]
            first = len(lines)
            lines += code.lines
            mod.spans[name] = (first, len(lines))
    mod.source = "\n".join(lines) + "\n"
    return mod


# ---------------------------------------------------------------------------------------------
# Conversion

WARNING = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): warning: (?P<msg>.*?)(?: \[(?P<kind>[^\]]*)\])?$")
UNSUPPORTED_COMMENT = re.compile(r"#\s*ivyc: unsupported:\s*(.*)$")


@dataclasses.dataclass
class Warning_:
    line: int
    col: int
    message: str
    kind: str

    @property
    def unsupported(self) -> bool:
        return "unsupported" in self.kind or "unsupported" in self.message.lower()

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.message} [{self.kind}]"


def parse_warnings(stderr: str) -> list[Warning_]:
    found = []
    for line in stderr.splitlines():
        m = WARNING.match(line.strip())
        if m:
            found.append(Warning_(int(m["line"]), int(m["col"]), m["msg"], m["kind"] or ""))
    return found


@dataclasses.dataclass
class Converted:
    """One module converted to one target."""

    target: str
    rc: int | None = None
    text: str = ""
    stderr: str = ""
    error: str | None = None  # why nothing of the module can be run
    namespace: dict | None = None
    warnings: list[Warning_] = dataclasses.field(default_factory=list)
    function_source: dict[str, str] = dataclasses.field(default_factory=dict)
    path: str = ""  # the converted module's file


def takes_ops_option(ivyc: Path) -> bool:
    """Whether this ivyc reads tables from `--ops DIR` (then the suite's tables are ivyc's too)."""
    try:
        r = subprocess.run([str(ivyc), "--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--ops" in r.stdout


def convert(mod: Module, target: str, ivyc: Path, workdir: Path, ops: Path | None = None) -> Converted:
    """Run ivyc on the module, import what it printed, split it into functions."""
    out = Converted(target)
    src = workdir / f"conformance_{mod.family}.py"
    src.write_text(mod.source, encoding="utf-8")
    cmd = [str(ivyc), str(src), "--from", "torch", "--to", target]
    if ops is not None:
        cmd += ["--ops", str(ops)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        out.error = f"could not run {' '.join(cmd)}: {e}"
        return out
    out.rc, out.text, out.stderr = r.returncode, r.stdout, r.stderr
    out.warnings = parse_warnings(r.stderr)
    if r.returncode not in (0, 1):
        out.error = f"ivyc exited {r.returncode} on {' '.join(cmd)}:\n{r.stderr[-4000:]}"
        return out
    import ast

    try:
        tree = ast.parse(r.stdout)
    except SyntaxError as e:
        out.error = f"ivyc's {target} output is not Python: {e}\n{numbered(r.stdout, e.lineno)}"
        return out
    lines = r.stdout.splitlines()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            # the comment lines ivyc puts before an unconverted statement belong to the function
            out.function_source[node.name] = "\n".join(lines[start - 1:node.end_lineno])
    path = workdir / f"ivyc_{target}_{mod.family}.py"
    path.write_text(r.stdout, encoding="utf-8")
    out.path = str(path)
    name = f"ivyc_conformance_{target}_{mod.family}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        fw(target)
        spec.loader.exec_module(module)
    except Exception as e:  # noqa: BLE001 - any error of the converted module is the finding
        out.error = f"importing ivyc's {target} output failed: {type(e).__name__}: {e}"
        return out
    out.namespace = vars(module)
    return out


def numbered(text: str, around: int | None = None, context: int = 3) -> str:
    lines = text.splitlines()
    lo, hi = (0, len(lines)) if around is None else (max(0, around - 1 - context), around + context)
    return "\n".join(f"{i + 1:5} | {lines[i]}" for i in range(lo, min(hi, len(lines))))


# ---------------------------------------------------------------------------------------------
# Comparison

JAX_NARROWING = {("int64", "int32"), ("uint64", "uint32"), ("float64", "float32"),
                 ("complex128", "complex64")}
TOLERANCES = {  # result dtype -> default (rtol, atol)
    "float16": (1e-3, 1e-5), "bfloat16": (1.6e-2, 1e-5), "float32": (1e-5, 1e-6),
    "float64": (1e-7, 1e-7), "complex64": (1e-5, 1e-6), "complex128": (1e-7, 1e-7),
}


def is_torch(x, *names: str) -> bool:
    t = type(x)
    return t.__module__.startswith("torch") and any(c.__name__ in names for c in t.__mro__)


def array_like(x) -> bool:
    """A target's tensor: numpy array or scalar, jax.Array, tf.Tensor/Variable."""
    import numpy as np

    if isinstance(x, (np.ndarray, np.generic)):
        return True
    mod = type(x).__module__ or ""
    return (mod.startswith(("jax", "jaxlib", "tensorflow")) and hasattr(x, "shape")
            and hasattr(x, "dtype") and not isinstance(x, type) and not is_shape_like(x))


def is_shape_like(x) -> bool:
    return type(x).__name__ == "TensorShape"


def target_numpy(x):
    """(numpy array, dtype name) of a target's tensor."""
    import numpy as np

    if hasattr(x, "numpy") and (type(x).__module__ or "").startswith("tensorflow"):
        return np.asarray(x.numpy()), x.dtype.name
    a = np.asarray(x)
    return a, a.dtype.name


def torch_numpy(t):
    """(numpy array, dtype name) of a torch tensor; bfloat16 values as float32."""
    torch = fw("torch")
    name = str(t.dtype).removeprefix("torch.")
    t = t.detach().cpu().resolve_conj().resolve_neg()
    if t.dtype == torch.bfloat16:
        t = t.float()
    return t.numpy(), name


def dtype_name(x) -> str | None:
    """The name of a dtype-like value (torch/numpy/jax/tf dtype or scalar type), else None."""
    import numpy as np

    if is_torch(x, "dtype"):
        return str(x).removeprefix("torch.")
    if (type(x).__module__ or "").startswith("tensorflow") and hasattr(x, "as_numpy_dtype"):
        return x.name
    if isinstance(x, np.dtype):
        return x.name
    if isinstance(x, type) or type(x).__name__ == "_ScalarMeta":
        try:
            return np.dtype(x).name
        except TypeError:
            return None
    return None


def describe(x) -> str:
    t = type(x)
    text = repr(x)
    return f"{t.__module__}.{t.__qualname__} {text[:200]}"


def same_dtype(want: str, got: str, target: str) -> bool:
    return want == got or (target == "jax" and (want, got) in JAX_NARROWING)


def compare(ref, out, target: str, rtol: float | None = None, atol: float | None = None,
            values: bool = True, path: str = "result") -> list[str]:
    """The differences between torch's `ref` and the target's `out` (empty: they agree)."""
    import numpy as np

    if is_torch(ref, "Tensor") or isinstance(ref, np.ndarray):  # x.numpy() gives an ndarray
        if not array_like(out):
            return [f"{path}: expected a tensor, got {describe(out)}"]
        a, want = torch_numpy(ref) if is_torch(ref, "Tensor") else (ref, ref.dtype.name)
        b, got = target_numpy(out)
        errors = []
        if not same_dtype(want, got, target):
            errors.append(f"{path}: dtype {got}, torch gives {want}")
        if a.shape != b.shape:
            return errors + [f"{path}: shape {b.shape}, torch gives {a.shape}"]
        if values and not errors:
            errors += compare_values(a, b, want, target, rtol, atol, path)
        return errors
    if is_torch(ref, "Size"):
        if is_shape_like(out):
            out = out.as_list()
        if not isinstance(out, (tuple, list)) or not all(isinstance(d, (int, np.integer)) and
                                                         not isinstance(d, bool) for d in out):
            return [f"{path}: expected a shape {tuple(ref)}, got {describe(out)}"]
        return [] if tuple(int(d) for d in out) == tuple(ref) else \
            [f"{path}: shape {tuple(int(d) for d in out)}, torch gives {tuple(ref)}"]
    if is_torch(ref, "dtype"):
        got = dtype_name(out) if not array_like(out) else None
        if got is None:
            return [f"{path}: expected a dtype ({ref}), got {describe(out)}"]
        want = dtype_name(ref)
        return [] if same_dtype(want, got, target) else [f"{path}: dtype {got}, torch gives {want}"]
    if is_torch(ref, "device"):
        if out is None or array_like(out) or "cpu" not in str(out).lower():
            return [f"{path}: expected a CPU device ({ref}), got {describe(out)}"]
        return []
    if isinstance(ref, (tuple, list)):
        if not isinstance(out, (tuple, list)):
            return [f"{path}: expected a {type(ref).__name__} of {len(ref)}, got {describe(out)}"]
        if len(out) != len(ref):
            return [f"{path}: {len(out)} elements, torch gives {len(ref)}"]
        errors = []
        for i, (r, o) in enumerate(zip(ref, out)):
            errors += compare(r, o, target, rtol, atol, values, f"{path}[{i}]")
        return errors
    if isinstance(ref, bool):
        if not isinstance(out, (bool, np.bool_)):
            return [f"{path}: expected a bool, got {describe(out)}"]
        return [] if not values or bool(out) == ref else [f"{path}: {out}, torch gives {ref}"]
    if isinstance(ref, int):
        if isinstance(out, (bool, np.bool_)) or not isinstance(out, (int, np.integer)):
            return [f"{path}: expected an int, got {describe(out)}"]
        return [] if not values or int(out) == ref else [f"{path}: {out}, torch gives {ref}"]
    if isinstance(ref, (float, complex)):
        kinds = (float, np.floating) if isinstance(ref, float) else (complex, np.complexfloating)
        if not isinstance(out, kinds):
            return [f"{path}: expected a {type(ref).__name__}, got {describe(out)}"]
        if not values:
            return []
        return compare_values(np.asarray(ref), np.asarray(out), "float64", target, rtol, atol, path)
    if ref is None:
        return [] if out is None else [f"{path}: expected None, got {describe(out)}"]
    if isinstance(ref, str):
        return [] if out == ref else [f"{path}: {out!r}, torch gives {ref!r}"]
    return [f"{path}: cannot compare torch's {describe(ref)} (with {describe(out)})"]


def compare_values(a, b, dtype: str, target: str, rtol, atol, path: str) -> list[str]:
    """Element values: exact for bool and int, within rtol/atol (NaN == NaN) for floats."""
    import numpy as np

    if a.dtype.kind in "biu" and b.dtype.kind in "biu":
        if np.array_equal(a, b):
            return []
        bad = np.argwhere(a != b)
        i = tuple(bad[0])
        return [f"{path}: {len(bad)} of {a.size} elements differ, first at {i}: {b[i]!r}, torch gives {a[i]!r}"]
    if target == "jax" and dtype in ("float64", "complex128"):
        dtype = "float32" if dtype == "float64" else "complex64"
    d_rtol, d_atol = TOLERANCES.get(dtype, (1e-5, 1e-6))
    rtol = d_rtol if rtol is None else rtol
    atol = d_atol if atol is None else atol
    kind = np.complex128 if "c" in (a.dtype.kind, b.dtype.kind) else np.float64
    a = np.asarray(a, dtype=kind)
    b = np.asarray(b, dtype=kind)
    ok = np.isclose(b, a, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return []
    bad = np.argwhere(~ok)
    i = tuple(bad[0])
    with np.errstate(invalid="ignore"):
        err = np.nanmax(np.where(ok, 0, np.abs(b - a))) if a.ndim else abs(b - a)
    return [f"{path}: {len(bad)} of {a.size} elements differ beyond rtol={rtol} atol={atol}, "
            f"first at {i}: {b[i]!r}, torch gives {a[i]!r} (max abs error {err:.3g})"]


# ---------------------------------------------------------------------------------------------
# The session: modules, conversions and torch results, each made once

class Session:
    def __init__(self, ivyc: Path, entries: list[Entry] | None = None):
        self.ivyc = ivyc
        self.entries = load_frontend() if entries is None else entries
        self.methods = {e.name: e for e in self.entries if e.kind == "methods"}
        keep = os.environ.get("IVYC_CONFORMANCE_KEEP")  # a directory to keep the modules in
        self._tmp = None if keep else tempfile.TemporaryDirectory(prefix="ivyc-conformance-")
        self.workdir = Path(keep or self._tmp.name)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._modules: dict[str, Module] = {}
        self._converted: dict[tuple[str, str], Converted] = {}
        self._torch_ns: dict[str, dict | str] = {}
        self._backends: dict[str, dict] = {}
        self._ops_option: bool | None = None
        self._torch_results: dict[tuple[str, str], tuple[Any, str | None]] = {}

    def module(self, family: str) -> Module:
        if family not in self._modules:
            self._modules[family] = build_module(family, self.entries)
        return self._modules[family]

    def converted(self, family: str, target: str) -> Converted:
        key = (family, target)
        if key not in self._converted:
            d = self.workdir / target
            d.mkdir(exist_ok=True)
            if self._ops_option is None:
                self._ops_option = takes_ops_option(self.ivyc)
            ops = ops_dir() if self._ops_option else None
            self._converted[key] = convert(self.module(family), target, self.ivyc, d, ops)
        return self._converted[key]

    def backend(self, target: str) -> dict:
        if target not in self._backends:
            self._backends[target] = load_backend(target)
        return self._backends[target]

    def torch_namespace(self, family: str) -> dict | str:
        if family not in self._torch_ns:
            mod = self.module(family)
            ns: dict = {"__name__": f"torch_conformance_{family}"}
            fw("torch")
            try:
                exec(compile(mod.source, f"<torch {family} samples>", "exec"), ns)
                self._torch_ns[family] = ns
            except Exception as e:  # noqa: BLE001
                self._torch_ns[family] = f"the torch module of {family} failed: {type(e).__name__}: {e}"
        return self._torch_ns[family]

    def torch_result(self, family: str, fname: str, arrays) -> tuple[Any, str | None]:
        """torch's result for a sample (computed once for all targets), or why there is none."""
        key = (family, fname)
        if key not in self._torch_results:
            ns = self.torch_namespace(family)
            if isinstance(ns, str):
                return None, ns
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # deprecations of the APIs under test
                    self._torch_results[key] = (ns[fname](*[to_framework(a, "torch") for a in arrays]), None)
            except Exception as e:  # noqa: BLE001
                self._torch_results[key] = (None, f"torch itself fails on the sample: {type(e).__name__}: {e}")
        return self._torch_results[key]

    def expected_reasons(self, case: Case) -> list[str]:
        """Reasons the tables give for the case's API being unsupported on its target (the entry's
        "unsupported" and "refuse" reasons, its backend ops' "unsupported" ones)."""
        reasons = [o["unsupported"] for o in case.entry.overloads if "unsupported" in o]
        reasons += [r for o in case.entry.overloads for r in o.get("refuse", {}).values()]
        backend = self.backend(case.target)
        for op in entry_ops(case.entry, self.methods):
            reasons += backend_reasons(backend.get(op))
        return reasons

    def close(self):
        if self._tmp:
            self._tmp.cleanup()


class Unsupported(Exception):
    """The case is unsupported on its target, as the tables say and ivyc reported."""


def inputs_for(case: Case, code: SampleCode):
    import numpy as np

    rng = np.random.default_rng(zlib.crc32(f"{case.entry.family}/{case.entry.api}/{case.index}".encode()))
    return [make_array(spec, rng) for spec in code.inputs]


def run_case(session: Session, case: Case) -> None:
    """Run one case; raises AssertionError (fails), Unsupported, or returns (passes)."""
    mod = session.module(case.entry.family)
    fname = mod.functions[(case.entry.api, case.index)]
    if fname in mod.errors:
        raise AssertionError(f"bad sample: {mod.errors[fname]}")
    code = mod.codes[fname]
    torch_src = "\n".join([code.header] + code.lines)
    if code.params:
        torch_src += "\n# " + ", ".join(f"{p}: {spec}" for p, spec in zip(code.params, code.inputs))
    conv = session.converted(case.entry.family, case.target)
    if conv.error:
        raise AssertionError(f"{conv.error}\n\ntorch sample:\n{torch_src}")
    first, last = mod.spans[fname]
    ws = [w for w in conv.warnings if first <= w.line <= last]
    body = conv.function_source.get(fname)
    if body is None:
        raise AssertionError(f"ivyc's output has no function {fname}\n\ntorch sample:\n{torch_src}")
    reported = [w.message for w in ws if w.unsupported]
    reported += [m.group(1) for m in map(UNSUPPORTED_COMMENT.search, body.splitlines()) if m]
    reported = list(dict.fromkeys(r.strip() for r in reported))
    context = (f"\n\ntorch sample:\n{torch_src}\n\n{case.target} conversion:\n{body}"
               + "".join(f"\nwarning: {w}" for w in ws))
    if reported:
        expected = session.expected_reasons(case)
        if any(reason in msg for reason in expected for msg in reported):
            raise Unsupported("; ".join(reported))
        if expected:
            raise AssertionError(f"ivyc reported {reported}, the tables' reasons are {expected}{context}")
        raise AssertionError(f"ivyc could not convert the sample: {'; '.join(reported)}{context}")
    if re.search(r"\btorch\b", strip_comments(body)):
        raise AssertionError(f"the conversion still uses torch{context}")
    fn = conv.namespace.get(fname)
    arrays = inputs_for(case, code)
    sample = case.sample

    ref, torch_error = session.torch_result(case.entry.family, fname, arrays)
    if torch_error:
        raise AssertionError(f"{torch_error}{context}")

    kwargs = {}
    if case.target == "jax":
        import inspect

        params = inspect.signature(fn).parameters
        if "key" in params and params["key"].kind == inspect.Parameter.KEYWORD_ONLY:
            kwargs["key"] = fw("jax").random.key(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(*[to_framework(a, case.target) for a in arrays], **kwargs)
    except Exception as e:  # noqa: BLE001
        where = converted_frames(e, conv)
        raise AssertionError(f"the {case.target} code raised {type(e).__name__}: {e}{where}{context}") from e
    errors = compare(ref, out, case.target, sample.get("rtol"), sample.get("atol"),
                     values=not sample.get("random", False))
    if errors:
        raise AssertionError("\n".join(errors) + context)


def converted_frames(e: BaseException, conv: Converted) -> str:
    """The traceback's lines in the converted module, as ' (at line N: TEXT)'."""
    import traceback

    lines = conv.text.splitlines()
    at = [f.lineno for f in traceback.extract_tb(e.__traceback__) if f.filename == conv.path]
    return "".join(f" (at line {n}: {lines[n - 1].strip()})" for n in at if 0 < n <= len(lines))


def strip_comments(source: str) -> str:
    import io
    import tokenize

    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                if t.type not in (tokenize.COMMENT, tokenize.STRING)]
        return " ".join(t.string for t in toks)
    except (tokenize.TokenError, SyntaxError):
        return source


# ---------------------------------------------------------------------------------------------
# Results and the summary

@dataclasses.dataclass
class Results:
    """Outcomes by (target, family, api): 'pass', 'fail', 'unsupported'."""

    outcomes: dict[tuple[str, str, str], list[str]] = dataclasses.field(default_factory=dict)
    coverage: dict | None = None

    def record(self, case: Case, outcome: str) -> None:
        self.outcomes.setdefault(case.key, []).append(outcome)

    def summary(self, entries: list[Entry], backends: dict[str, dict]) -> dict:
        """Per target: APIs whose samples all pass, fail, are unsupported; APIs without samples."""
        families = {f for (_, f, _) in self.outcomes}
        out: dict = {}
        methods = {e.name: e for e in entries if e.kind == "methods"}
        for target in TARGETS:
            t = {"pass": 0, "fail": 0, "unsupported": 0, "no_samples": 0,
                 "samples": {"pass": 0, "fail": 0, "unsupported": 0},
                 "failing": [], "unsupported_apis": [], "without_samples": [], "families": {}}

            def count(fam: str, status: str) -> None:
                t[status] += 1
                f = t["families"].setdefault(fam, {"pass": 0, "fail": 0, "unsupported": 0, "no_samples": 0})
                f[status] += 1

            ran = False
            for (tg, fam, api), outs in sorted(self.outcomes.items()):
                if tg != target:
                    continue
                ran = True
                for o in outs:
                    t["samples"][o] += 1
                if "fail" in outs:
                    count(fam, "fail")
                    t["failing"].append(f"{fam}:{api}")
                elif "unsupported" in outs:
                    count(fam, "unsupported")
                    t["unsupported_apis"].append(f"{fam}:{api}")
                else:
                    count(fam, "pass")
            if not ran:
                continue
            backend = backends.get(target, {})
            for e in entries:
                if e.family not in families or any(target in smp.get("targets", TARGETS)
                                                   for _, smp in e.samples):
                    continue  # not run here, or counted by its outcomes above
                ops = entry_ops(e, methods)
                if e.unsupported or (ops and all(fully_unsupported(backend.get(op)) for op in ops)):
                    count(e.family, "unsupported")
                    t["unsupported_apis"].append(f"{e.family}:{e.api}")
                elif all(set(o) <= {"inplace", "$comment"} for o in e.overloads):
                    continue  # an in-place alias: tested through its base entry
                else:
                    count(e.family, "no_samples")
                    t["without_samples"].append(f"{e.family}:{e.api}")
            out[target] = t
        return out


RESULTS = Results()
