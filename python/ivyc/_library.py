"""Libraries: Python modules and packages converted file by file, lazily (docs/python_api.md,
"Libraries").

The converted modules live under a mirror package per direction, ``_ivyc_torch2jax`` for torch ->
jax: the converted ``pkg.sub`` is the module ``_ivyc_torch2jax.pkg.sub``, imported through a finder
on ``sys.meta_path`` whose loader reads the original file, converts it (the disk cache, else the
engine) and runs the converted text. So that the package's internal imports reach the converted
modules:

- relative imports (``from .sub import f``) resolve against the converted module's package, which
  is the mirror package;
- absolute imports of the package (``import pkg.sub``, ``from pkg.sub import f``) go through an
  ``__import__`` of the converted module's own builtins that maps ``pkg...`` to
  ``_ivyc_torch2jax.pkg...`` (``importlib.import_module`` calls are not mapped).

``transpile(module)`` gives a ``LibraryModule``: nothing is converted until an attribute is read;
reading a function or class converts the file that defines it (and, through its imports, the
files it needs), checks the unsupported sites of what the object uses, across files, and gives
the converted object (functions wrapped to convert arrays at the call boundary).
"""

import ast
import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import linecache
import sys
import threading
import types
from importlib.util import decode_source

from . import _cache
from ._errors import ConversionError

_PREFIX = "_ivyc_"
_lock = threading.RLock()
_records = {}  # mirror module name -> _Record
_proxies = {}  # (original module name, source, to) -> LibraryModule
_builtins = {}  # (root, mirror root) -> builtins dict


def mirror_root(source, to):
    return f"{_PREFIX}{source}2{to}"


def mirror_name(original, source, to):
    return f"{mirror_root(source, to)}.{original}"


def _split(fullname):
    """(source, to, original name or None) for a mirror module name, else None."""
    if not fullname.startswith(_PREFIX):
        return None
    head, _, original = fullname.partition(".")
    direction = head[len(_PREFIX):]
    source, two, to = direction.partition("2")
    if not two or source not in ("torch",) or to not in ("jax", "numpy", "tensorflow"):
        return None
    return source, to, original or None


def _in_root(name, root):
    return name == root or name.startswith(root + ".")


class _Record:
    """One original file converted for a mirror module."""

    def __init__(self, original, filename, text, converted, source, to):
        self.original, self.filename, self.text = original, filename, text
        self.converted, self.source, self.to = converted, source, to


def _original_spec(original):
    try:
        return importlib.util.find_spec(original)
    except (ImportError, ValueError):
        return None


def _read_source(spec):
    origin = spec.origin
    if origin and origin.endswith(".py"):
        try:
            with open(origin, "rb") as file:
                return decode_source(file.read())
        except OSError:
            pass
    get_source = getattr(spec.loader, "get_source", None)
    if get_source is not None:
        try:
            return get_source(spec.name)
        except (ImportError, OSError):
            return None
    return None


def record(mirror):
    """The conversion of the original file behind a mirror module name (converting it now, once);
    None for a module without Python source (a namespace package, an extension module)."""
    with _lock:
        if mirror in _records:
            return _records[mirror]
        source, to, original = _split(mirror)
        spec = _original_spec(original)
        if spec is None:
            raise ModuleNotFoundError(f"ivyc: no module named {original!r} to convert", name=original)
        text = _read_source(spec)
        if text is None:
            _records[mirror] = None
            return None
        filename = spec.origin
        converted = _cache.convert(text, filename, source, to)
        if converted.exit_status == 2:
            e = converted.error
            raise ConversionError(f"ivyc: {e.path}:{e.line}:{e.column}: {e.message}" if e.line else f"ivyc: {e.path}: {e.message}",
                                  path=e.path, line=e.line, column=e.column)
        rec = _Record(original, filename, text, converted, source, to)
        _records[mirror] = rec
        return rec


def import_builtins(root, source, to):
    """The builtins of a converted module of package `root`: ``__import__`` maps absolute imports of
    `root` to the converted package."""
    key = (root, source, to)
    with _lock:
        if key in _builtins:
            return _builtins[key]
        base = mirror_root(source, to)
        real = builtins.__import__

        def __import__(name, globals=None, locals=None, fromlist=(), level=0):
            if level == 0 and _in_root(name, root):
                module = real(f"{base}.{name}", globals, locals, fromlist, 0)
                return module if fromlist else sys.modules[f"{base}.{root}"]
            return real(name, globals, locals, fromlist, level)

        namespace = dict(builtins.__dict__)
        namespace["__import__"] = __import__
        _builtins[key] = namespace
        return namespace


def prepare_namespace(module, original_module, source, to):
    """Makes a converted module's imports of its own package reach the converted package: its
    ``__package__`` the mirror of the original's, its builtins mapping absolute imports."""
    name = getattr(original_module, "__name__", None) if original_module is not None else None
    if not name or name == "__main__":
        return
    package = getattr(original_module, "__package__", None)
    if package:
        module.__package__ = mirror_name(package, source, to)
    module.__dict__["__builtins__"] = import_builtins(name.split(".")[0], source, to)


class _RootLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__doc__ = "ivyc: the converted modules (docs/python_api.md, Libraries)"


class _Loader(importlib.abc.Loader):
    def __init__(self, original_spec):
        self.original_spec = original_spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        mirror = module.__name__
        source, to, original = _split(mirror)
        rec = record(mirror)
        module.__ivyc_original__ = original
        if rec is None:
            if self.original_spec.submodule_search_locations is None:  # an extension module: as it is
                module.__dict__.update({k: v for k, v in vars(importlib.import_module(original)).items()
                                        if not k.startswith("__")})
            return
        text = rec.converted.text
        filename = rec.converted.converted_file
        if filename is None:
            filename = f"<ivyc {to}: {rec.filename}>"
            linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
        module.__file__ = filename
        module.__ivyc_source__ = text
        module.__dict__["__builtins__"] = import_builtins(original.split(".")[0], source, to)
        try:
            exec(compile(text, filename, "exec"), module.__dict__)
        except ConversionError:
            raise
        except Exception as error:
            raise ConversionError(f"ivyc: the conversion of {rec.filename} to {to} failed to run: "
                                  f"{type(error).__name__}: {error} (the converted file: {filename})",
                                  path=rec.filename) from error


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        parts = _split(fullname)
        if parts is None:
            return None
        original = parts[2]
        if original is None:
            spec = importlib.machinery.ModuleSpec(fullname, _RootLoader(), is_package=True)
            spec.submodule_search_locations = []
            return spec
        ospec = _original_spec(original)
        if ospec is None:
            return None
        is_package = ospec.submodule_search_locations is not None
        spec = importlib.machinery.ModuleSpec(fullname, _Loader(ospec), origin=ospec.origin, is_package=is_package)
        if is_package:
            spec.submodule_search_locations = []
        return spec


_finder = _Finder()


def install():
    if _finder not in sys.meta_path:
        sys.meta_path.append(_finder)


install()


def import_mirror(original, source, to):
    return importlib.import_module(mirror_name(original, source, to))


# --- unsupported sites, across files ------------------------------------------------------------


def check(rec, name, label):
    """Raises UnsupportedError for the unsupported sites of the top-level definition `name` of a
    converted file and of what it uses in that file; returns the names it uses."""
    from ._transpile import _report_of, _unsupported_error, _used_ranges

    spans = _used_ranges(rec.text, name)
    report = _report_of(rec.converted, rec.filename, rec.source, rec.to, spans, label)
    if report["unsupported"]:
        raise _unsupported_error(label, rec.to, rec.filename, report)
    return report


def _references(text, names):
    """What the definitions `names` of a file name that they do not define: [(name, attribute or None)]."""
    from ._transpile import _top_level_ranges

    _, ranges = _top_level_ranges(text)
    refs = []
    for n in names:
        if n not in ranges:
            continue
        for node in ast.walk(ranges[n][2]):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                refs.append((node.value.id, node.attr))
            elif isinstance(node, ast.Name) and node.id not in ranges:
                refs.append((node.id, None))
    return refs


def _mirror_object(value):
    """(mirror module name, top-level name) when `value` is a function or class of a converted
    library module."""
    if not (inspect.isfunction(value) or inspect.isclass(value)):
        return None
    module = getattr(value, "__module__", None) or ""
    qualname = getattr(value, "__qualname__", "") or ""
    if _split(module) is None or module not in _records or "<" in qualname:
        return None
    return module, qualname.split(".")[0]


def check_uses(text, name, namespace, label, seen=None):
    """Checks what the definition `name` of a converted file uses from other converted files
    (functions and classes imported from the converted package, directly or as module attributes),
    transitively: UnsupportedError names the API, the file and the line where it is."""
    from ._transpile import _used_names

    seen = set() if seen is None else seen
    for ref, attr in _references(text, _used_names(text, name) or ()):
        value = namespace.get(ref)
        if isinstance(value, types.ModuleType) and attr is not None:
            value = getattr(value, attr, None)
        target = _mirror_object(value)
        if target is None or target in seen:
            continue
        seen.add(target)
        mirror, top = target
        rec = _records[mirror]
        if rec is None:
            continue
        check(rec, top, label)
        check_uses(rec.text, top, vars(sys.modules[mirror]), label, seen)


# --- the lazy module that transpile returns ------------------------------------------------------


class LibraryModule(types.ModuleType):
    """A converted module or package (``ivyc.transpile(module)``): each attribute is converted on
    first access and kept. ``__ivyc_original__`` is the original module; ``__ivyc_report__`` the
    files converted so far (of the whole package)."""

    def __init__(self, original, source, to):
        super().__init__(mirror_name(original.__name__, source, to), original.__doc__)
        d = self.__dict__
        d["__ivyc_original__"] = original
        d["__ivyc_from__"] = source
        d["__ivyc_to__"] = to

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = _resolve(self, name)
        self.__dict__[name] = value
        return value

    def __dir__(self):
        return sorted(set(dir(self.__ivyc_original__)) | set(self.__dict__))

    def __repr__(self):
        return f"<ivyc {self.__ivyc_to__} library {self.__ivyc_original__.__name__}>"

    @property
    def __ivyc_report__(self):
        source, to = self.__ivyc_from__, self.__ivyc_to__
        root = self.__ivyc_original__.__name__.split(".")[0]
        files = []
        with _lock:
            items = list(_records.items())
        for mirror, rec in items:
            if rec is None or rec.source != source or rec.to != to or not _in_root(rec.original, root):
                continue
            unsupported = [s for s in rec.converted.sites if s.status == "unsupported"]
            files.append({"module": rec.original, "source_file": rec.filename, "converted_file": rec.converted.converted_file,
                          "exit_status": rec.converted.exit_status,
                          "unsupported": [{"line": s.line, "column": s.column, "api": s.api, "reason": s.reason}
                                          for s in unsupported]})
        return {"object": self.__ivyc_original__.__name__, "from": source, "to": to,
                "cache_dir": str(_cache.cache_dir()), "files": files}


def library(module, source, to):
    """The LibraryModule for a module object (one per module and direction)."""
    if isinstance(module, LibraryModule):
        raise TypeError(f"ivyc.transpile: {module!r} is already converted: pass the original module")
    if getattr(module, "__name__", None) in (None, "__main__"):
        raise ValueError(f"ivyc.transpile: {module!r} cannot be converted as a library: it is the __main__ "
                         "module; move the code into a module and import it")
    spec = getattr(module, "__spec__", None) or _original_spec(module.__name__)
    if spec is None or (_read_source(spec) is None and spec.submodule_search_locations is None):
        raise TypeError(f"ivyc.transpile: the module {module.__name__} is builtin or compiled: it has no Python "
                        "source to convert")
    key = (module.__name__, source, to)
    with _lock:
        proxy = _proxies.get(key)
        if proxy is None or proxy.__ivyc_original__ is not module:
            proxy = _proxies[key] = LibraryModule(module, source, to)
        return proxy


def _resolve(proxy, name):
    original = proxy.__ivyc_original__
    source, to = proxy.__ivyc_from__, proxy.__ivyc_to__
    root = original.__name__.split(".")[0]
    label = f"{original.__name__}.{name}"
    try:
        value = getattr(original, name)
    except AttributeError:
        value = None
        if hasattr(original, "__path__"):  # a submodule not imported yet
            full = f"{original.__name__}.{name}"
            try:
                value = importlib.import_module(full)
            except ModuleNotFoundError as error:
                if error.name != full:
                    raise
            except SyntaxError as error:
                record(mirror_name(full, source, to))  # the engine's ConversionError names file and line
                raise ConversionError(f"ivyc: {error.filename}:{error.lineno}: {error.msg}", path=error.filename,
                                      line=error.lineno or 0, column=error.offset or 0) from error
        if value is None:
            raise AttributeError(f"module {original.__name__!r} (converted to {to}) has no attribute {name!r}") from None
    if isinstance(value, types.ModuleType):
        if _in_root(value.__name__, root):
            return library(value, source, to)
        return getattr(import_mirror(original.__name__, source, to), name)
    defining = getattr(value, "__module__", None) or ""
    qualname = getattr(value, "__qualname__", "") or ""
    if ((inspect.isfunction(value) or inspect.isclass(value)) and _in_root(defining, root)
            and qualname and "<" not in qualname):
        mirror = mirror_name(defining, source, to)
        rec = record(mirror)
        top = qualname.split(".")[0]
        report = None
        if rec is not None:
            report = check(rec, top, label)
        module = importlib.import_module(mirror)
        result = module
        for part in qualname.split("."):
            result = getattr(result, part)
        if rec is not None:
            check_uses(rec.text, top, vars(module), label, {(mirror, top)})
    else:
        module = import_mirror(original.__name__, source, to)
        try:
            result = getattr(module, name)
        except AttributeError:
            raise AttributeError(f"the converted module {original.__name__} ({to}) has no attribute {name!r}") from None
        report = None
    if inspect.isfunction(result):
        from ._transpile import TranspiledFunction, _Resolved

        result = TranspiledFunction(_Resolved(value, result, to, module, report))
    return result


def forget():
    """Drops the converted modules and libraries of this process (tests; the disk cache stays)."""
    with _lock:
        for name in [n for n in sys.modules if _split(n) is not None]:
            del sys.modules[name]
        _records.clear()
        _proxies.clear()
    _cache.clear_memory()
