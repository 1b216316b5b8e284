"""ivyc.transpile on modules and packages (libraries): lazy, file by file; the package's internal
imports resolved to the converted package; the disk cache (also across processes); functions of
other files converted with a function; arrays of every framework at the call boundary; the errors.
The package converted is tests/api/sample_pkg."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

import api_samples
import sample_pkg
import sample_pkg.funcs
import sample_pkg.helpers
import sample_pkg.models

MIRROR = "_ivyc_torch2jax.sample_pkg"


@pytest.fixture
def fresh(ivyc_api, tmp_path, monkeypatch):
    """An empty cache directory, and no converted modules in this process."""
    import ivyc._library

    cache = tmp_path / "cache"
    monkeypatch.setenv("IVYC_CACHE_DIR", str(cache))
    ivyc._library.forget()
    yield cache
    ivyc._library.forget()


def cached_files(cache):
    folder = cache / "v1"
    return sorted(p.name for p in folder.glob("*.py")) if folder.is_dir() else []


def converted_sources(cache):
    """The original files whose conversions are in the cache."""
    folder = cache / "v1"
    if not folder.is_dir():
        return set()
    return {Path(json.loads(p.read_text())["source_file"]).name for p in folder.glob("*.json")}


def mirrors():
    return sorted(n for n in sys.modules if n.startswith(MIRROR))


@pytest.fixture
def x():
    torch.manual_seed(0)
    return torch.randn(2, 3, 8)


def close(got, want, tol=1e-5):
    got = np.asarray(got)
    want = want.detach().numpy() if isinstance(want, torch.Tensor) else np.asarray(want)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def test_library_is_converted_lazily_file_by_file(ivyc_api, fresh, x):
    from ivyc._cache import engine_calls

    calls = engine_calls()
    lib = ivyc_api.transpile(sample_pkg, to="jax")  # source: the package's files import torch
    assert repr(lib) == "<ivyc jax library sample_pkg>"
    funcs = lib.funcs  # a submodule: still nothing converted
    assert engine_calls() == calls and cached_files(fresh) == [] and mirrors() == []
    f = funcs.normalize_scaled  # converts funcs.py, and what it imports: sample_pkg/__init__.py, helpers.py
    assert engine_calls() == calls + 3
    assert converted_sources(fresh) == {"__init__.py", "funcs.py", "helpers.py"}
    assert f"{MIRROR}.models" not in sys.modules  # models.py is not needed yet
    close(f(x), sample_pkg.funcs.normalize_scaled(x))
    assert lib.funcs.normalize_scaled is f and lib.funcs is funcs  # kept
    lib.models.Block
    assert engine_calls() == calls + 4 and "models.py" in converted_sources(fresh)


def test_internal_imports_reach_the_converted_package(ivyc_api, fresh, x):
    import jax

    lib = ivyc_api.transpile(sample_pkg, source="torch", to="jax")
    f = lib.funcs.normalize_scaled
    plain = f.__wrapped__
    assert plain.__module__ == f"{MIRROR}.funcs"
    namespace = plain.__globals__
    # from .helpers import scale; import sample_pkg.helpers; from sample_pkg.helpers import shift; from . import helpers
    assert namespace["scale"].__module__ == f"{MIRROR}.helpers"
    assert namespace["shift"].__module__ == f"{MIRROR}.helpers"
    assert namespace["sample_pkg"] is sys.modules[MIRROR]
    assert namespace["helpers"] is sys.modules[f"{MIRROR}.helpers"]
    assert lib.funcs.is_converted_helper() is True
    assert sample_pkg.funcs.is_converted_helper() is False  # the original is untouched
    for name in ("absolute_users", "module_attribute"):
        close(getattr(lib.funcs, name)(x), getattr(sample_pkg.funcs, name)(x))
    # Constants come from the converted module: a jax array, not a torch tensor.
    assert isinstance(lib.funcs.WINDOW, jax.Array)
    close(lib.funcs.WINDOW, sample_pkg.funcs.WINDOW)
    assert lib.VERSION == "1.0"
    assert "jnp.ones((3,))" in ivyc_api.source_of(lib.funcs)
    assert ivyc_api.source_of(f) == ivyc_api.source_of(lib.funcs)
    report = lib.__ivyc_report__
    assert {Path(entry["source_file"]).name for entry in report["files"]} == {"__init__.py", "funcs.py", "helpers.py"}
    assert all(entry["converted_file"].startswith(str(fresh)) for entry in report["files"])


@pytest.mark.parametrize("to", ["numpy", "tensorflow"])
def test_library_other_targets(ivyc_api, fresh, to, x):
    lib = ivyc_api.transpile(sample_pkg.funcs, source="torch", to=to)  # a single module of the package
    for name in ("normalize_scaled", "absolute_users", "module_attribute"):
        close(getattr(lib, name)(x), getattr(sample_pkg.funcs, name)(x))
    assert lib.is_converted_helper() is True


def test_library_class_uses_converted_helper(ivyc_api, fresh, x):
    import jax.numpy as jnp
    from flax import nnx

    torch.manual_seed(1)
    block = sample_pkg.models.Block(8).eval()
    lib = ivyc_api.transpile(sample_pkg, source="torch", to="jax")
    cls = lib.models.Block
    assert issubclass(cls, nnx.Module)
    model = cls(8)
    sys.modules[cls.__module__].load_torch_weights(model, block.state_dict())
    close(model(jnp.asarray(x.numpy())), block(x))
    # An instance converted by itself: its file imports the helper through the converted package too.
    converted = ivyc_api.transpile(block, source="torch", to="jax")
    close(converted(jnp.asarray(x.numpy())), block(x))
    assert type(converted).__call__.__globals__["scale"].__module__ == f"{MIRROR}.helpers"


def test_disk_cache_in_this_process(ivyc_api, fresh, x):
    import ivyc._library
    from ivyc._cache import engine_calls

    lib = ivyc_api.transpile(sample_pkg, source="torch", to="numpy")
    lib.funcs.normalize_scaled(x)
    calls = engine_calls()
    files = cached_files(fresh)
    assert len(files) == 3
    ivyc._library.forget()  # no converted module, no conversion in memory: only the disk cache
    lib = ivyc_api.transpile(sample_pkg, source="torch", to="numpy")
    close(lib.funcs.normalize_scaled(x), sample_pkg.funcs.normalize_scaled(x))
    assert engine_calls() == calls  # read from the disk
    assert cached_files(fresh) == files
    # Converted modules run the cached file: tracebacks and inspect show it.
    assert lib.funcs.normalize_scaled.__wrapped__.__code__.co_filename.startswith(str(fresh))


def test_disk_cache_reused_by_another_process(ivyc_api, fresh, x):
    lib = ivyc_api.transpile(sample_pkg, source="torch", to="numpy")
    want = lib.funcs.absolute_users(x)
    files = cached_files(fresh)
    here = Path(__file__).resolve().parent
    script = textwrap.dedent("""
        import sys, numpy as np
        import ivyc, ivyc._cache, sample_pkg
        lib = ivyc.transpile(sample_pkg, source="torch", to="numpy")
        x = np.load(sys.argv[1])
        np.save(sys.argv[2], lib.funcs.absolute_users(x))
        print("engine calls:", ivyc._cache.engine_calls())
    """)
    np.save(fresh.parent / "x.npy", x.numpy())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(here.parents[1] / "python"), str(here)]))
    done = subprocess.run([sys.executable, "-c", script, str(fresh.parent / "x.npy"), str(fresh.parent / "y.npy")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "engine calls: 0" in done.stdout  # every file came from the cache
    close(np.load(fresh.parent / "y.npy"), want)
    assert cached_files(fresh) == files


def test_cache_is_keyed_by_content(ivyc_api, fresh):
    from ivyc import _cache

    text = "import torch\ndef f(x):\n    return torch.abs(x)\n"
    calls = _cache.engine_calls()
    a = _cache.convert(text, "/a/f.py", "torch", "jax")
    _cache.clear_memory()
    b = _cache.convert(text, "/elsewhere/g.py", "torch", "jax")  # same text elsewhere: the same entry
    assert _cache.engine_calls() == calls + 1 and b.text == a.text and b.converted_file == a.converted_file
    _cache.convert(text + "\n", "/a/f.py", "torch", "jax")  # another text
    _cache.convert(text, "/a/f.py", "torch", "numpy")  # another target
    assert _cache.engine_calls() == calls + 3 and len(cached_files(fresh)) == 3


def test_function_converts_helpers_of_other_files(ivyc_api, fresh, x):
    f = ivyc_api.transpile(sample_pkg.funcs.normalize_scaled, source="torch", to="jax")
    close(f(x), sample_pkg.funcs.normalize_scaled(x))
    assert f.__wrapped__.__globals__["scale"].__module__ == f"{MIRROR}.helpers"
    g = ivyc_api.transpile(sample_pkg.funcs.absolute_users, source="torch", to="numpy", args=(x,))
    close(g(x), sample_pkg.funcs.absolute_users(x))
    assert ivyc_api.transpile(sample_pkg.funcs.is_converted_helper, source="torch", to="jax")() is True


def helpers_line(fragment):
    return next(i for i, text in enumerate(open(sample_pkg.helpers.__file__), 1) if fragment in text)


def test_unsupported_in_another_file(ivyc_api, fresh, x):
    line = helpers_line("fake_helper_op")
    # A function: on the first call (or at transpile with args).
    f = ivyc_api.transpile(sample_pkg.funcs.calls_bad_helper, source="torch", to="jax")
    with pytest.raises(ivyc_api.UnsupportedError) as info:
        f(x)
    assert info.value.api == "torch.fake_helper_op_ivyc_cannot_convert"
    assert info.value.path == sample_pkg.helpers.__file__ and info.value.line == line
    assert f"{sample_pkg.helpers.__file__}:{line}:" in str(info.value)
    # A library: on attribute access.
    lib = ivyc_api.transpile(sample_pkg, source="torch", to="jax")
    with pytest.raises(ivyc_api.UnsupportedError, match="calls_bad_helper cannot be converted") as info:
        lib.funcs.calls_bad_helper
    assert info.value.path == sample_pkg.helpers.__file__ and info.value.line == line
    with pytest.raises(ivyc_api.UnsupportedError) as info:
        lib.funcs.own_unsupported
    assert info.value.path == sample_pkg.funcs.__file__ and info.value.api == "torch.fake_own_op_ivyc_cannot_convert"
    # The rest of those files converts.
    close(lib.funcs.normalize_scaled(x), sample_pkg.funcs.normalize_scaled(x))
    close(lib.helpers.scale(x), sample_pkg.helpers.scale(x))


def test_library_errors(ivyc_api, fresh, tmp_path, monkeypatch):
    import math

    with pytest.raises(TypeError, match="builtin or compiled"):
        ivyc_api.transpile(math, source="torch", to="jax")
    with pytest.raises(TypeError, match="not to modules"):
        ivyc_api.transpile(sample_pkg, source="torch", to="jax", args=(1,))
    lib = ivyc_api.transpile(sample_pkg, source="torch", to="jax")
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        lib.nothing_here
    assert ivyc_api.transpile(sample_pkg, source="torch", to="torch") is sample_pkg
    # A file of the package that cannot be converted: the error names it and the line.
    package = tmp_path / "ivyc_broken_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "ok.py").write_text("import torch\n\ndef f(x):\n    return torch.abs(x)\n")
    (package / "bad.py").write_text("import torch\n\ndef g(x:\n    return x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import ivyc_broken_pkg

    lib = ivyc_api.transpile(ivyc_broken_pkg, source="torch", to="numpy")
    assert lib.ok.f(np.array([-1.0])) == 1.0
    with pytest.raises(ivyc_api.ConversionError) as info:
        lib.bad.g
    assert info.value.path.endswith("bad.py") and info.value.line == 3


def test_boundary_arrays(ivyc_api, x):
    import jax
    import jax.numpy as jnp
    import tensorflow as tf

    from ivyc._arrays import to_target

    a = x.numpy()
    inputs = (a, [jnp.asarray(a)], {"t": tf.convert_to_tensor(a), "x": x, "n": 3})
    kinds = {"jax": jax.Array, "tensorflow": tf.Tensor, "numpy": np.ndarray}
    for to, kind in kinds.items():
        out = to_target(inputs, to)
        for value in (out[0], out[1][0], out[2]["t"], out[2]["x"]):
            assert isinstance(value, kind), (to, type(value))
            close(value, a)
        assert out[2]["n"] == 3
    # End to end: each framework's arrays into each target.
    want = api_samples.normalize(x)
    for to in kinds:
        f = ivyc_api.transpile(api_samples.normalize, source="torch", to=to)
        for array in (a, jnp.asarray(a), tf.convert_to_tensor(a), x):
            close(f(array), want)
