"""ivyc.transpile and ivyc.source_of (docs/python_api.md).

How an object is converted: its whole file is read (inspect + linecache, so that its imports,
helpers and aliases are there), converted by the engine in this process, and the converted text is
run in a fresh module (a types.ModuleType registered in sys.modules under a private name, __file__
naming the converted file, the text in linecache for tracebacks); the converted object is picked
out of that module by its name. Objects of one file given to one call share one conversion and one
module. The module's imports of its own package reach the converted package (_library), so the
helpers of other files that it calls are converted too. Modules (libraries) are _library's.
Conversions are cached by content, in memory and on disk (_cache).
"""

import ast
import functools
import inspect
import itertools
import json
import linecache
import os
import re
import sys
import tempfile
import threading
import types
import weakref
from pathlib import Path

from . import _cache, _library
from ._arrays import to_target
from ._errors import ConversionError, UnsupportedError
from ._load import engine

_FRAMEWORKS = ("torch", "jax", "numpy", "tensorflow")
# The top-level packages whose import reveals a framework (for `source=None`).
_ROOTS = {"torch": "torch", "jax": "jax", "flax": "jax", "numpy": "numpy", "tensorflow": "tensorflow", "keras": "tensorflow"}


def frameworks():
    """Every framework ivyc knows: torch, jax, numpy, tensorflow."""
    return list(engine().frameworks())


def sources():
    """The frameworks ivyc converts from (today: torch)."""
    return list(engine().sources())


def targets():
    """The frameworks ivyc converts to (today: jax, numpy, tensorflow)."""
    return list(engine().targets())


def convert_source(text, *, source="torch", to, path="<string>"):
    """Converts the text of one Python file (str or bytes); returns the engine's Result:
    ``exit_status`` (0, 1 some sites unsupported, 2 failed: what the ``ivyc`` command would exit
    with), ``text`` / ``output`` (the converted file), ``sites``, ``messages``, ``error``."""
    source, to = _check_frameworks(source, to)
    return engine().convert(text, path, source, to)


# --- frameworks ---------------------------------------------------------------------------------


def _check_frameworks(source, to):
    if to is None:
        raise ValueError(f"ivyc.transpile: give the target framework: to= one of {', '.join(_FRAMEWORKS)}")
    for what, name in (("target", to), ("source", source)):
        if not isinstance(name, str) or name not in _FRAMEWORKS:
            raise ValueError(f"ivyc: unknown {what} framework {name!r}: expected one of {', '.join(_FRAMEWORKS)}")
    if source != to and source not in sources():
        raise ValueError(f"ivyc: conversion from {source} is not supported yet: ivyc converts from {', '.join(sources())}")
    return source, to


def _framework_of_value(value):
    if isinstance(value, types.ModuleType):
        root = value.__name__.split(".")[0]
    else:
        root = (getattr(value, "__module__", None) or "").split(".")[0]
    return _ROOTS.get(root)


def _namespaces_of_module(module):
    """A module's namespace and those of its submodules imported so far (a package's __init__ may
    import no framework itself)."""
    yield vars(module)
    prefix = module.__name__ + "."
    for name, sub in list(sys.modules.items()):
        if name.startswith(prefix) and isinstance(sub, types.ModuleType):
            yield vars(sub)


_IMPORT_LINE = re.compile(r"^[ \t]*(?:import|from)[ \t]+(torch|jax|flax|numpy|tensorflow|keras)\b", re.M)


def _frameworks_in_files(module, limit=200):
    """The frameworks that a module's file, or a package's files, import (read, not run): for a
    package whose __init__ and imported submodules import none."""
    files = []
    if getattr(module, "__file__", None):
        files.append(module.__file__)
    for folder in list(getattr(module, "__path__", None) or ()):
        for base, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith((".", "__pycache__"))]
            files.extend(os.path.join(base, n) for n in names if n.endswith(".py"))
    found = set()
    for path in files[:limit]:
        try:
            with open(path, encoding="utf-8", errors="replace") as file:
                found.update(_ROOTS[m] for m in _IMPORT_LINE.findall(file.read()))
        except OSError:
            continue
    return found


def _infer_source(objs):
    """The framework the objects are written for: torch when a torch.nn.Module (class or instance)
    is among them, or when their modules import torch; else the one framework their modules import."""
    found = set()
    for obj in objs:
        if isinstance(obj, types.ModuleType):
            before = set(found)
            for namespace in _namespaces_of_module(obj):
                for value in list(namespace.values()):
                    framework = _framework_of_value(value)
                    if framework is not None:
                        found.add(framework)
            if found == before:
                found |= _frameworks_in_files(obj)
            continue
        torch = sys.modules.get("torch")
        if torch is not None:
            cls = obj if inspect.isclass(obj) else type(obj)
            if isinstance(cls, type) and issubclass(cls, torch.nn.Module):
                return "torch"
        module = inspect.getmodule(obj if (inspect.isclass(obj) or inspect.isroutine(obj)) else type(obj))
        namespace = getattr(obj, "__globals__", None) or (vars(module) if module is not None else {})
        for value in list(namespace.values()):
            framework = _framework_of_value(value)
            if framework is not None:
                found.add(framework)
    if "torch" in found:
        return "torch"
    if len(found) == 1:
        return found.pop()
    raise ValueError(
        "ivyc.transpile: cannot tell which framework the objects are written for "
        f"(their modules import {', '.join(sorted(found)) or 'none of ' + ', '.join(_FRAMEWORKS)}): pass source=")


# --- where an object's source is ----------------------------------------------------------------


class _Origin:
    """An object to convert: its kind, its file, and where it sits in that file."""

    def __init__(self, obj):
        self.obj = obj
        torch = sys.modules.get("torch")
        if isinstance(obj, types.ModuleType):
            self.kind, self.target, self.label = "module", obj, obj.__name__
            return
        if isinstance(obj, (types.BuiltinFunctionType, types.BuiltinMethodType, types.MethodWrapperType,
                            types.WrapperDescriptorType, types.MethodDescriptorType, types.ClassMethodDescriptorType)):
            raise TypeError(f"ivyc.transpile: {obj!r} is a builtin function (written in C): it has no Python source to convert")
        if inspect.ismethod(obj):
            raise TypeError(f"ivyc.transpile: {obj!r} is a bound method: pass its class, or the instance")
        if inspect.isclass(obj):
            self.kind, self.target = "class", obj
        elif inspect.isfunction(obj):
            self.kind, self.target = "function", inspect.unwrap(obj)
        elif torch is not None and isinstance(obj, torch.nn.Module):
            self.kind, self.target = "instance", type(obj)
        else:
            raise TypeError(f"ivyc.transpile: cannot convert {obj!r} (of type {type(obj).__name__}): pass a function, "
                            "a class, or a torch.nn.Module instance")
        label = getattr(self.target, "__qualname__", repr(self.target))
        try:
            filename = inspect.getsourcefile(self.target)
        except TypeError:
            raise TypeError(f"ivyc.transpile: {label} is builtin (written in C): it has no Python source to convert") from None
        module = inspect.getmodule(self.target)
        namespace = getattr(self.target, "__globals__", None) or (vars(module) if module is not None else None)
        if filename:
            linecache.checkcache(filename)
        lines = linecache.getlines(filename, namespace) if filename else []
        if not lines:
            raise ValueError(
                f"ivyc.transpile: no source code for {label}: it was defined in "
                f"{filename or getattr(self.target, '__module__', '?')}, which has no file to read (an interactive "
                "session, exec(), or a compiled module); define it in a .py file")
        self.filename = filename
        self.module = module
        self.namespace = namespace or {}
        self.text = "".join(lines)
        self.label = label
        self.path = self._binding_path()

    def _binding_path(self):
        """The names that reach the object from its module's top level (["f"], ["Block"])."""
        qualname = getattr(self.target, "__qualname__", "")
        if qualname and "<" not in qualname:
            return qualname.split(".")
        # A lambda or a function made elsewhere, bound to a module-level name.
        for name, value in list(self.namespace.items()):
            if value is self.obj or value is self.target:
                return [name]
        where = "a lambda" if "<lambda>" in qualname else "defined inside a function"
        raise ValueError(f"ivyc.transpile: {qualname or self.label} is {where}: ivyc converts functions and classes "
                         "defined at the top level of a module (or a lambda bound to a module-level name)")


def _top_level_ranges(text):
    """Each top-level def / class of a file: name -> (first line with decorators, last line, node)."""
    tree = ast.parse(text)
    ranges = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            ranges[node.name] = (first, node.end_lineno, node)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    ranges[t.id] = (node.lineno, node.end_lineno, node)
    return tree, ranges


def _used_names(text, name):
    """The top-level definitions of a file that the definition `name` names, transitively (with
    `name`); None when `name` is not a top-level definition of the file."""
    _, ranges = _top_level_ranges(text)
    if name not in ranges:
        return None
    seen, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n in seen or n not in ranges:
            continue
        seen.add(n)
        for sub in ast.walk(ranges[n][2]):
            if isinstance(sub, ast.Name) and sub.id in ranges and sub.id not in seen:
                todo.append(sub.id)
    return seen


def _used_ranges(text, name):
    """The line ranges of the top-level definition `name` and of the file's other top-level
    definitions that it names, transitively: the code that converting `name` depends on."""
    tree, ranges = _top_level_ranges(text)
    seen = _used_names(text, name)
    if seen is None:
        return None
    # Module-level statements run when the converted file is run: they count too (but for
    # `if __name__ == "__main__":`, which does not run there).
    spans = [(ranges[n][0], ranges[n][1]) for n in sorted(seen)]
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            continue
        if _is_main_guard(node):
            continue
        spans.append((node.lineno, node.end_lineno))
    return spans


def _is_main_guard(node):
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    parts = [test.left, *test.comparators]
    return (len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
            and any(isinstance(p, ast.Name) and p.id == "__name__" for p in parts)
            and any(isinstance(p, ast.Constant) and p.value == "__main__" for p in parts))


# --- one conversion of one file -----------------------------------------------------------------

_counter = itertools.count(1)
_sources = weakref.WeakKeyDictionary()  # converted object -> its _Job
_sources_by_id = {}  # the same, for objects that take no weak reference


def _site_dict(site):
    d = {"line": site.line, "column": site.column, "end_line": site.end_line, "end_column": site.end_column,
         "api": site.api, "status": site.status}
    if site.reason:
        d["reason"] = site.reason
    return d


def _report_of(result, filename, source, to, spans, label, converted_file=None, report_file=None):
    """An object's __ivyc_report__: the sites of the lines `spans` (all when None) of a conversion."""
    sites = [] if result is None else [_site_dict(s) for s in result.sites
                                       if spans is None or any(a <= s.line <= b for a, b in spans)]
    return {
        "object": label,
        "source_file": filename,
        "from": source,
        "to": to,
        "exit_status": None if result is None else result.exit_status,
        "converted_file": converted_file,
        "report_file": report_file,
        "sites": sites,
        "unsupported": [s for s in sites if s["status"] == "unsupported"],
    }


def _unsupported_error(label, to, filename, report):
    bad = report["unsupported"]
    first = bad[0]
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    return UnsupportedError(
        f"ivyc: {label} cannot be converted to {to}: {first['api']} is not supported "
        f"({first.get('reason', 'unsupported')}) at {filename}:{first['line']}:{first['column']}{more}",
        api=first["api"], sites=bad, path=filename, line=first["line"], column=first["column"], report=report)


class _Job:
    """One file converted for one transpile call: the engine's result, and the module that runs it."""

    def __init__(self, origin, source, to, debug_mode):
        self.filename = origin.filename
        self.text = origin.text
        self.module = origin.module
        self.source, self.to, self.debug_mode = source, to, debug_mode
        self.result = None
        self.converted = None  # the module object
        self.converted_file = None
        self.report_file = None
        self._lock = threading.RLock()

    def convert(self):
        with self._lock:
            if self.result is not None:
                return self.result
            result = _cache.convert(self.text, self.filename, self.source, self.to, need_engine_result=self.debug_mode)
            if self.debug_mode:
                self._write_debug_files(result)
            self.result = result
            if result.exit_status == 2:
                e = result.error
                raise ConversionError(f"ivyc: {e.path}:{e.line}:{e.column}: {e.message}" if e.line else f"ivyc: {e.path}: {e.message}",
                                      path=e.path, line=e.line, column=e.column, report=self.report())
            return result

    def _write_debug_files(self, result):
        folder = Path(os.environ.get("IVYC_DEBUG_DIR") or tempfile.mkdtemp(prefix="ivyc-"))
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{Path(self.filename).stem}_{self.to}"
        self.report_file = str(folder / f"{stem}.report.json")
        if result.exit_status != 2:
            self.converted_file = str(folder / f"{stem}.py")
            Path(self.converted_file).write_bytes(result.output)
        Path(self.report_file).write_text(result.report_json(self.filename, self.source, self.to, self.converted_file or ""))

    def report(self, spans=None, label=None):
        return _report_of(self.result, self.filename, self.source, self.to, spans, label, self.converted_file,
                          self.report_file)

    def run(self):
        """The converted file, run in a fresh module (once)."""
        with self._lock:
            if self.converted is not None:
                return self.converted
            result = self.convert()
            text = result.text
            stem = "".join(c if c.isalnum() else "_" for c in Path(self.filename).stem)
            name = f"_ivyc_{self.to}_{next(_counter)}_{stem}"
            filename = self.converted_file or f"<ivyc {self.to}: {self.filename}>"
            module = types.ModuleType(name, getattr(self.module, "__doc__", None))
            module.__file__ = filename
            # The package's own imports (relative, and absolute ones of its top-level package) reach
            # the converted package (_library), converted file by file as they are imported.
            _library.prepare_namespace(module, self.module, self.source, self.to)
            module.__ivyc_source__ = text
            linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
            sys.modules[name] = module
            try:
                exec(compile(text, filename, "exec"), module.__dict__)
            except Exception as error:
                sys.modules.pop(name, None)
                raise ConversionError(
                    f"ivyc: the conversion of {self.filename} to {self.to} failed to run: {type(error).__name__}: {error}"
                    + ("" if self.converted_file else " (debug_mode=True keeps the converted file)"),
                    path=self.filename, report=self.report()) from error
            self.converted = module
            return module


# --- what transpile returns ---------------------------------------------------------------------


class _Target:
    """One object of a transpile call: converted (and checked) on first use."""

    def __init__(self, origin, job):
        self.origin, self.job = origin, job
        self.value = None
        self.report = None

    def resolve(self):
        if self.value is not None:
            return self.value
        job, origin = self.job, self.origin
        result = job.convert()
        spans = _used_ranges(job.text, origin.path[0])  # None: not a plain definition; every site counts
        self.report = job.report(spans, origin.label)
        if self.report["unsupported"]:
            raise _unsupported_error(origin.label, job.to, job.filename, self.report)
        module = job.run()
        # What it uses from other files of its package (converted as they were imported).
        _library.check_uses(job.text, origin.path[0], vars(module), origin.label)
        value = module
        try:
            for part in origin.path:
                value = getattr(value, part)
        except AttributeError:
            raise ConversionError(f"ivyc: the converted file of {job.filename} has no {'.'.join(origin.path)}",
                                  path=job.filename, report=self.report) from None
        _register(value, job)
        self.value = value
        return value


def _register(value, job):
    try:
        _sources[value] = job
    except TypeError:
        _sources_by_id[id(value)] = (value, job)


class _Resolved:
    """A function of a converted library module, already converted: what TranspiledFunction needs."""

    def __init__(self, original, value, to, module, report):
        self.origin = types.SimpleNamespace(obj=original)
        self.job = types.SimpleNamespace(to=to, converted=module)
        self.value, self.report = value, report

    def resolve(self):
        return self.value


class TranspiledFunction:
    """A converted function. Calling it calls the converted function (converting the file on the
    first call when it was not converted yet), with torch tensors among the arguments turned into
    the target's arrays. ``__wrapped__`` is the plain converted function; ``__ivyc_report__`` the
    conversion's report."""

    def __init__(self, target):
        self._target = target
        original = target.origin.obj
        for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
            try:
                object.__setattr__(self, attr, getattr(original, attr))
            except AttributeError:
                pass

    @property
    def __wrapped__(self):
        return self._target.resolve()

    @property
    def __ivyc_report__(self):
        if self._target.report is None:
            self._target.resolve()
        return self._target.report

    def __call__(self, *args, **kwargs):
        fn = self._target.resolve()  # plain target code; arrays of other frameworks converted (_arrays)
        to = self._target.job.to
        return fn(*to_target(args, to), **to_target(kwargs, to))

    def __repr__(self):
        state = "converted" if self._target.value is not None else "not converted yet"
        return f"<ivyc {self._target.job.to} function {self.__qualname__} ({state})>"


# --- the API ------------------------------------------------------------------------------------


def transpile(*objs, source=None, to=None, debug_mode=False, args=None, kwargs=None, params_v=None):
    """Converts functions (and, see docs/python_api.md, torch.nn.Module classes and instances, and
    modules or packages: libraries, converted lazily on attribute access) from `source` to `to`
    (one of torch, jax, numpy, tensorflow).

    Returns the converted object, or a tuple of them for several objects (objects of one file are
    converted together: one conversion, one module). With `args` / `kwargs`, converts now and calls
    the converted function once with them; without, converts on the first call. `source=None`
    takes torch when the object's module imports torch.

    Raises ValueError (unknown framework, no source code, an object defined inside a function),
    TypeError (a builtin, an object that is not a function, class or module instance),
    ivyc.UnsupportedError (an API inside the object that the target cannot express; a
    ConversionError, itself a RuntimeError) and ivyc.ConversionError.
    """
    if not objs:
        raise TypeError("ivyc.transpile: give at least one object to convert")
    origins = [_Origin(obj) for obj in objs]
    if source is None:
        source = _infer_source(objs)
    source, to = _check_frameworks(source, to)
    if any(o.kind == "module" for o in origins) and (args is not None or kwargs is not None or params_v is not None):
        raise TypeError("ivyc.transpile: args, kwargs and params_v apply to functions and torch.nn.Module instances, "
                        "not to modules (libraries)")
    if source == to:
        return objs[0] if len(objs) == 1 else tuple(objs)
    jobs = {}
    results = []
    for origin in origins:
        if origin.kind == "module":
            results.append(_library.library(origin.obj, source, to))
            continue
        key = origin.filename
        if key not in jobs:
            jobs[key] = _Job(origin, source, to, debug_mode)
        target = _Target(origin, jobs[key])
        results.append(_finish(target, args, kwargs, params_v))
    return results[0] if len(results) == 1 else tuple(results)


def _finish(target, args, kwargs, params_v):
    kind = target.origin.kind
    if kind == "function":
        if params_v is not None:
            raise TypeError("ivyc.transpile: params_v applies to torch.nn.Module instances, not to functions")
        fn = TranspiledFunction(target)
        if args is not None or kwargs is not None:
            fn(*(args or ()), **(kwargs or {}))  # eager: convert now, and check that the call runs
        return fn
    from ._modules import finish_class, finish_instance

    if kind == "class":
        return finish_class(target, args, kwargs, params_v)
    return finish_instance(target, args, kwargs, params_v)


def source_of(obj):
    """The converted file's text that an object returned by ivyc.transpile comes from (converting it
    first if it was not yet). TypeError for any other object."""
    if isinstance(obj, TranspiledFunction):
        obj._target.resolve()
        return obj._target.job.converted.__ivyc_source__
    for candidate in (obj, type(obj)):
        try:
            job = _sources.get(candidate)
        except TypeError:
            job = None
        if job is None and id(candidate) in _sources_by_id and _sources_by_id[id(candidate)][0] is candidate:
            job = _sources_by_id[id(candidate)][1]
        if job is not None:
            return job.converted.__ivyc_source__
    if isinstance(obj, _library.LibraryModule):
        o = obj.__ivyc_original__
        return _library.import_mirror(o.__name__, obj.__ivyc_from__, obj.__ivyc_to__).__ivyc_source__
    for candidate in (obj, type(obj)):
        module = sys.modules.get(getattr(candidate, "__module__", None) or "")
        if module is not None and _library._split(module.__name__) is not None and hasattr(module, "__ivyc_source__"):
            return module.__ivyc_source__
    raise TypeError(f"ivyc.source_of: {obj!r} is not an object returned by ivyc.transpile")
