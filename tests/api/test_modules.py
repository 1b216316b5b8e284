"""ivyc.transpile on torch.nn.Module instances and classes: the converted model, rebuilt with the
original's constructor arguments and weights, used with the target's own arrays."""

import numpy as np
import pytest
import torch

import api_samples


@pytest.fixture
def model():
    torch.manual_seed(0)
    return api_samples.MLP(8, 16).eval()


@pytest.fixture
def x():
    torch.manual_seed(1)
    return torch.randn(4, 8)


def test_instance_to_jax(ivyc_api, model, x):
    import jax.numpy as jnp
    from flax import nnx

    converted = ivyc_api.transpile(model, source="torch", to="jax")
    assert isinstance(converted, nnx.Module) and type(converted).__name__ == "MLP"
    out = converted(jnp.asarray(x.numpy()))
    assert isinstance(out, jnp.ndarray)
    np.testing.assert_allclose(np.asarray(out), model(x).detach().numpy(), rtol=1e-5, atol=1e-5)
    assert "class MLP(nnx.Module)" in ivyc_api.source_of(converted)


def test_instance_to_tensorflow(ivyc_api, model, x):
    import keras
    import tensorflow as tf

    converted = ivyc_api.transpile(model, source="torch", to="tensorflow", args=(x,))
    assert isinstance(converted, keras.Model)
    out = converted(tf.convert_to_tensor(x.numpy()))
    np.testing.assert_allclose(np.asarray(out), model(x).detach().numpy(), rtol=1e-5, atol=1e-5)


def test_instance_to_numpy_with_params_v(ivyc_api, model, x):
    other = api_samples.MLP(8, 16).eval()  # other weights, passed explicitly
    converted = ivyc_api.transpile(model, source="torch", to="numpy", params_v=other.state_dict())
    np.testing.assert_allclose(converted(x.numpy()), other(x).detach().numpy(), rtol=1e-5, atol=1e-5)


def test_class_to_class(ivyc_api, model, x):
    import jax.numpy as jnp

    cls = ivyc_api.transpile(api_samples.MLP, source="torch", to="jax")
    assert isinstance(cls, type) and cls.__name__ == "MLP"
    fresh = cls(8, 16)
    ns = fresh.__class__.__module__
    import sys

    sys.modules[ns].load_torch_weights(fresh, model.state_dict())
    fresh.eval()
    np.testing.assert_allclose(np.asarray(fresh(jnp.asarray(x.numpy()))), model(x).detach().numpy(),
                               rtol=1e-5, atol=1e-5)


def test_module_errors(ivyc_api, x):
    with pytest.raises(ValueError, match=r"constructor argument\(s\) width"):
        ivyc_api.transpile(api_samples.Forgetful(4), source="torch", to="jax")
    with pytest.raises(ValueError, match="pass args="):
        ivyc_api.transpile(api_samples.MLP(8, 16), source="torch", to="tensorflow")
    with pytest.raises(TypeError, match="a class converts to a class"):
        ivyc_api.transpile(api_samples.MLP, source="torch", to="jax", args=(x,))
