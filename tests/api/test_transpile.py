"""ivyc.transpile and ivyc.source_of on functions: converted eagerly and lazily to each target and
compared with torch, several objects at once, the errors, debug_mode."""

import json
import sys
import textwrap
import types

import numpy as np
import pytest
import torch

import api_plain
import api_samples

TARGETS = ["jax", "numpy", "tensorflow"]


def native(to, array):
    """A NumPy array as the target framework's own array."""
    if to == "jax":
        import jax.numpy as jnp

        return jnp.asarray(array)
    if to == "tensorflow":
        import tensorflow as tf

        return tf.convert_to_tensor(array)
    return array


def assert_close(got, want, tol=1e-5):
    got = np.asarray(got)
    want = want.detach().numpy() if isinstance(want, torch.Tensor) else np.asarray(want)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@pytest.fixture
def x():
    torch.manual_seed(0)
    return torch.randn(2, 3, 8)


@pytest.mark.parametrize("to", TARGETS)
def test_eager_function(ivyc_api, to, x):
    f = ivyc_api.transpile(api_samples.normalize, source="torch", to=to, args=(x,))
    assert "(converted)" in repr(f)  # converted by transpile itself, with the sample call
    want = api_samples.normalize(x)
    assert_close(f(native(to, x.numpy())), want)  # the target's own arrays
    assert_close(f(x), want)  # torch tensors are converted at the boundary
    plain = f.__wrapped__  # the converted function itself: target code, no wrapper
    assert plain.__module__.startswith("_ivyc_")
    out = plain(native(to, x.numpy()))
    assert type(out).__module__.split(".")[0] in {"jax": ("jaxlib", "jax"), "numpy": ("numpy",),
                                                  "tensorflow": ("tensorflow",)}[to]


@pytest.mark.parametrize("to", TARGETS)
def test_lazy_function(ivyc_api, to, x):
    f = ivyc_api.transpile(api_samples.attention, to=to)  # source omitted: the module imports torch
    assert "not converted yet" in repr(f)
    q = native(to, x.numpy())
    assert_close(f(q, q, q), api_samples.attention(x, x, x))
    assert "(converted)" in repr(f)


def test_lazy_conversion_waits_for_the_call(ivyc_api, x):
    f = ivyc_api.transpile(api_samples.uses_unsupported, source="torch", to="jax")  # no error yet
    with pytest.raises(ivyc_api.UnsupportedError):
        f(x)


def test_kwargs_and_lambda(ivyc_api, x):
    f = ivyc_api.transpile(api_samples.normalize, source="torch", to="numpy", kwargs={"x": x, "eps": 1e-3})
    assert_close(f(x=x.numpy(), eps=1e-3), api_samples.normalize(x, eps=1e-3))
    act = ivyc_api.transpile(api_samples.act, source="torch", to="jax")  # a lambda bound to a name
    assert_close(act(x), api_samples.act(x))


def test_several_objects_share_one_conversion(ivyc_api, x):
    w1, w2 = torch.randn(8, 16), torch.randn(16, 4)
    result = ivyc_api.transpile(api_samples.gelu_mlp, api_samples.normalize, source="torch", to="jax")
    assert isinstance(result, tuple) and len(result) == 2
    mlp, norm = result
    assert_close(mlp(x, w1, w2), api_samples.gelu_mlp(x, w1, w2), tol=1e-4)
    assert_close(norm(x), api_samples.normalize(x))
    # One file, one conversion: both live in the same converted module.
    assert mlp.__wrapped__.__globals__ is norm.__wrapped__.__globals__
    assert ivyc_api.source_of(mlp) == ivyc_api.source_of(norm)


def test_source_of(ivyc_api):
    f = ivyc_api.transpile(api_samples.attention, source="torch", to="jax")
    text = ivyc_api.source_of(f)  # converts if needed
    assert "def attention(q, k, v):" in text
    assert "jnp.matmul" in text and "torch.matmul" not in text
    assert "def _scale(x):" in text  # the whole file: helpers and imports resolve
    assert ivyc_api.source_of(f.__wrapped__) == text
    with pytest.raises(TypeError, match="not an object returned by ivyc.transpile"):
        ivyc_api.source_of(api_samples.attention)


def test_unknown_framework(ivyc_api):
    with pytest.raises(ValueError, match="expected one of torch, jax, numpy, tensorflow"):
        ivyc_api.transpile(api_samples.normalize, source="torch", to="mxnet")
    with pytest.raises(ValueError, match="unknown source framework 'pytorch'"):
        ivyc_api.transpile(api_samples.normalize, source="pytorch", to="jax")
    with pytest.raises(ValueError, match="give the target framework"):
        ivyc_api.transpile(api_samples.normalize, source="torch")
    with pytest.raises(ValueError, match="from jax is not supported yet"):
        ivyc_api.transpile(api_samples.normalize, source="jax", to="numpy")


def test_source_cannot_be_told(ivyc_api):
    with pytest.raises(ValueError, match="cannot tell which framework"):
        ivyc_api.transpile(api_plain.add_one, to="jax")
    # Given, it converts (nothing to change).
    assert ivyc_api.transpile(api_plain.add_one, source="torch", to="jax")(1) == 2


def test_no_source_code(ivyc_api):
    with pytest.raises(TypeError, match="builtin"):
        ivyc_api.transpile(len, source="torch", to="jax")
    with pytest.raises(TypeError, match="builtin"):
        ivyc_api.transpile(torch.relu, source="torch", to="jax")
    # As in a REPL: a function whose file cannot be read.
    namespace = {"torch": torch}
    exec("f = lambda x: torch.relu(x)\ndef g(x):\n    return x\n", namespace)
    for obj in (namespace["f"], namespace["g"]):
        with pytest.raises(ValueError, match="no source code"):
            ivyc_api.transpile(obj, source="torch", to="jax")

    def nested(x):
        return torch.relu(x)

    with pytest.raises(ValueError, match="defined inside a function"):
        ivyc_api.transpile(nested, source="torch", to="jax")
    import math

    with pytest.raises(TypeError, match="builtin or compiled"):  # a module without Python source
        ivyc_api.transpile(math, source="torch", to="jax")
    with pytest.raises(TypeError, match="cannot convert 3"):
        ivyc_api.transpile(3, source="torch", to="jax")


def test_unsupported_api(ivyc_api, x):
    with pytest.raises(ivyc_api.UnsupportedError) as info:
        ivyc_api.transpile(api_samples.uses_unsupported, source="torch", to="jax", args=(x,))
    error = info.value
    assert isinstance(error, RuntimeError) and isinstance(error, ivyc_api.ConversionError)
    line = next(i for i, text in enumerate(open(api_samples.__file__), 1) if "fake_op_ivyc" in text)
    assert error.api == "torch.fake_op_ivyc_cannot_convert"
    assert error.path == api_samples.__file__ and error.line == line
    assert "torch.fake_op_ivyc_cannot_convert" in str(error)
    assert f"{api_samples.__file__}:{line}:" in str(error)
    # A function that calls it through a helper of the same file fails the same way.
    with pytest.raises(ivyc_api.UnsupportedError, match="fake_op_ivyc_cannot_convert") as info:
        ivyc_api.transpile(api_samples.calls_unsupported, source="torch", to="numpy", args=(x,))
    assert info.value.line == line
    # The rest of the file converts: an unsupported site elsewhere does not matter.
    ivyc_api.transpile(api_samples.normalize, source="torch", to="jax", args=(x,))


def test_debug_mode(ivyc_api, x, tmp_path, monkeypatch):
    monkeypatch.setenv("IVYC_DEBUG_DIR", str(tmp_path))
    f = ivyc_api.transpile(api_samples.normalize, source="torch", to="tensorflow", debug_mode=True, args=(x,))
    report = f.__ivyc_report__
    converted = report["converted_file"]
    assert converted and converted.startswith(str(tmp_path))
    with open(converted) as file:
        assert file.read() == ivyc_api.source_of(f)
    with open(report["report_file"]) as file:
        data = json.load(file)
    assert data["from"] == "torch" and data["to"] == "tensorflow"
    assert data["files"][0]["path"] == api_samples.__file__
    assert any(site["api"] == "torch.var" for site in data["files"][0]["sites"])
    assert {site["api"] for site in report["sites"]} >= {"torch.mean", "torch.var", "torch.sqrt"}
    assert report["unsupported"] == []
    # Tracebacks point into the converted file on disk.
    assert f.__wrapped__.__code__.co_filename == converted
    # Without debug_mode nothing is kept on disk.
    g = ivyc_api.transpile(api_samples.normalize, source="torch", to="tensorflow", args=(x,))
    assert g.__ivyc_report__["converted_file"] is None and g.__ivyc_report__["report_file"] is None


def test_same_framework_returns_the_object(ivyc_api):
    assert ivyc_api.transpile(api_samples.normalize, source="torch", to="torch") is api_samples.normalize


def test_params_v_is_for_modules(ivyc_api):
    with pytest.raises(TypeError, match="params_v"):
        ivyc_api.transpile(api_samples.normalize, source="torch", to="jax", params_v={})
