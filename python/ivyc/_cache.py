"""Conversions of file texts, cached in this process and on disk (docs/python_api.md, "The cache").

The key is the SHA-256 of the file's text, the source and target frameworks, and the engine's
identity (the extension file's path, size and modification time, and ivyc's version): the same
text converted by the same engine is converted once. On disk, under the cache directory
(``$IVYC_CACHE_DIR``, else ``$XDG_CACHE_HOME/ivyc``, else ``~/.cache/ivyc``), in ``v1/``:

- ``<key>.py``: the converted file (the engine's output bytes);
- ``<key>.json``: the exit status, the sites, the messages, the error, and which file it came from.

An entry is written atomically (``.py`` first, then ``.json``, which marks it complete); a cache
directory that cannot be written only costs the reuse. ``engine_calls()`` counts the engine's
conversions in this process.
"""

import hashlib
import json
import os
import threading
import types
from importlib.util import decode_source
from pathlib import Path

from ._load import engine

_VERSION = "v1"
_lock = threading.Lock()
_memory = {}  # (cache folder, key) -> Converted
_engine_calls = 0
_engine_id = None


def engine_calls():
    """How many times this process called the engine to convert a file."""
    return _engine_calls


def cache_dir():
    """The cache directory: $IVYC_CACHE_DIR, else $XDG_CACHE_HOME/ivyc, else ~/.cache/ivyc."""
    if os.environ.get("IVYC_CACHE_DIR"):
        return Path(os.environ["IVYC_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ivyc"


def _identity():
    global _engine_id
    if _engine_id is None:
        import ivyc

        module = engine()
        path = getattr(module, "__file__", "") or ""
        try:
            st = os.stat(path)
            stamp = f"{path}:{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = path
        _engine_id = f"{ivyc.__version__}:{stamp}"
    return _engine_id


class Converted:
    """One converted text: ``exit_status``, ``text``, ``output`` (bytes), ``sites`` (objects with
    line, column, end_line, end_column, api, status, reason), ``messages``, ``error`` (path, line,
    column, message; None unless exit status 2), ``converted_file`` (the ``.py`` in the cache, or
    None), ``engine_result`` (the engine's Result when this process converted it, else None)."""

    def __init__(self, *, exit_status, text, output, sites, messages, error, converted_file=None, engine_result=None):
        self.exit_status = exit_status
        self.text = text
        self.output = output
        self.sites = sites
        self.messages = messages
        self.error = error
        self.converted_file = converted_file
        self.engine_result = engine_result

    def report_json(self, *args):
        if self.engine_result is None:
            raise RuntimeError("ivyc: this conversion came from the cache: it has no engine report")
        return self.engine_result.report_json(*args)


def _site(d):
    return types.SimpleNamespace(line=d["line"], column=d["column"], end_line=d["end_line"],
                                 end_column=d["end_column"], api=d["api"], status=d["status"], reason=d.get("reason", ""))


def _from_engine(result, converted_file):
    error = None
    if result.error is not None:
        e = result.error
        error = types.SimpleNamespace(path=e.path, line=e.line, column=e.column, message=e.message)
    sites = [types.SimpleNamespace(line=s.line, column=s.column, end_line=s.end_line, end_column=s.end_column,
                                   api=s.api, status=s.status, reason=s.reason or "") for s in result.sites]
    return Converted(exit_status=result.exit_status, text=result.text, output=bytes(result.output), sites=sites,
                     messages=result.messages, error=error, converted_file=converted_file, engine_result=result)


def _write_atomic(path, data):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _store(folder, key, converted, path, source, to):
    try:
        folder.mkdir(parents=True, exist_ok=True)
        py = folder / f"{key}.py"
        if converted.exit_status != 2:
            _write_atomic(py, converted.output)
        meta = {
            "source_file": path, "from": source, "to": to, "exit_status": converted.exit_status,
            "messages": converted.messages,
            "sites": [{"line": s.line, "column": s.column, "end_line": s.end_line, "end_column": s.end_column,
                       "api": s.api, "status": s.status, "reason": s.reason} for s in converted.sites],
            "error": None if converted.error is None else vars(converted.error),
        }
        _write_atomic(folder / f"{key}.json", json.dumps(meta, indent=1).encode())
        if converted.exit_status != 2:
            converted.converted_file = str(py)
    except OSError:
        pass  # a cache that cannot be written: converted again next time


def _load(folder, key, path):
    try:
        meta = json.loads((folder / f"{key}.json").read_text())
        output = b""
        py = folder / f"{key}.py"
        if meta["exit_status"] != 2:
            output = py.read_bytes()
    except (OSError, ValueError, KeyError):
        return None
    old = meta.get("source_file") or ""
    messages = meta.get("messages", "")
    if old and old != path:
        messages = messages.replace(old, path)
    error = None
    if meta.get("error"):
        error = types.SimpleNamespace(**{**meta["error"], "path": path})
    return Converted(exit_status=meta["exit_status"], text=decode_source(output) if output else "", output=output,
                     sites=[_site(d) for d in meta["sites"]], messages=messages, error=error,
                     converted_file=str(py) if meta["exit_status"] != 2 else None)


def key_of(text, source, to):
    h = hashlib.sha256()
    h.update(f"ivyc-cache-{_VERSION}\0{_identity()}\0{source}\0{to}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    return h.hexdigest()


def convert(text, path, source, to, *, need_engine_result=False):
    """The conversion of one file's text (a Converted): from this process's memory, else from the
    disk cache, else from the engine (then stored in both). `need_engine_result` (debug_mode, which
    writes the engine's report) skips the disk."""
    global _engine_calls
    folder = cache_dir() / _VERSION
    key = key_of(text, source, to)
    with _lock:
        hit = _memory.get((str(folder), key))
    if hit is not None and (hit.engine_result is not None or not need_engine_result):
        return hit
    if not need_engine_result:
        hit = _load(folder, key, path)
        if hit is not None:
            with _lock:
                _memory[(str(folder), key)] = hit
            return hit
    result = engine().convert(text, path, source, to)
    with _lock:
        _engine_calls += 1
    converted = _from_engine(result, None)
    _store(folder, key, converted, path, source, to)
    with _lock:
        _memory[(str(folder), key)] = converted
    return converted


def clear_memory():
    """Forgets this process's conversions (the disk cache stays)."""
    with _lock:
        _memory.clear()
