"""Arrays at the boundary of a converted function (docs/python_api.md, "Arrays at the boundary").

Among the arguments (also inside tuples, lists and dicts, not inside other objects), arrays of a
framework other than the target become the target's arrays; everything else passes as it is:

| argument             | to jax                 | to tensorflow                    | to numpy          |
|----------------------|------------------------|----------------------------------|-------------------|
| torch.Tensor         | jnp.asarray(numpy)     | tf.convert_to_tensor(numpy)      | .numpy()          |
| numpy.ndarray        | jnp.asarray            | tf.convert_to_tensor             | as it is          |
| jax.Array            | as it is               | tf.convert_to_tensor(np.asarray) | np.asarray        |
| tf.Tensor            | jnp.asarray(.numpy())  | as it is                         | .numpy()          |

Torch tensors are detached and copied to the CPU first; a bfloat16 tensor goes through float32 and
is cast back. A framework that is not imported in this process has no arrays among the arguments:
nothing is imported to look for them. NumPy scalars and Python numbers pass as they are.
"""

import sys


def _numpy_of(tensor):
    import numpy as np

    t = tensor.detach().cpu()
    if t.dtype.is_complex or t.dtype.is_floating_point:
        import torch

        if t.dtype == torch.bfloat16:
            return t.float().numpy(), "bfloat16"
    return np.asarray(t.numpy()), None


def _from_numpy(array, to, cast=None):
    if to == "jax":
        import jax.numpy as jnp

        out = jnp.asarray(array)
        return out.astype(jnp.bfloat16) if cast else out
    if to == "tensorflow":
        import tensorflow as tf

        out = tf.convert_to_tensor(array)
        return tf.cast(out, tf.bfloat16) if cast else out
    return array


def _kinds(to):
    """(type, framework) for the array types of the frameworks imported so far, but the target's."""
    kinds = []
    torch = sys.modules.get("torch")
    if torch is not None:
        kinds.append((torch.Tensor, "torch"))
    numpy = sys.modules.get("numpy")
    if numpy is not None and to != "numpy":
        kinds.append((numpy.ndarray, "numpy"))
    jax = sys.modules.get("jax")
    if jax is not None and to != "jax" and hasattr(jax, "Array"):
        kinds.append((jax.Array, "jax"))
    tf = sys.modules.get("tensorflow")
    if tf is not None and to != "tensorflow" and hasattr(tf, "Tensor"):
        kinds.append((tf.Tensor, "tensorflow"))
    return tuple(kinds)


def to_target(value, to):
    """`value` with the arrays of other frameworks (torch, numpy, jax, tensorflow) turned into the
    target's, also inside tuples, lists and dicts."""
    kinds = _kinds(to)
    if not kinds:
        return value
    return _convert(value, to, kinds, tuple(k for k, _ in kinds))


def _convert(value, to, kinds, types_):
    if isinstance(value, types_):
        for kind, framework in kinds:
            if isinstance(value, kind):
                return _array(value, to, framework)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_convert(v, to, kinds, types_) for v in value)
    if isinstance(value, list):
        return [_convert(v, to, kinds, types_) for v in value]
    if isinstance(value, dict):
        return {k: _convert(v, to, kinds, types_) for k, v in value.items()}
    return value


def _array(value, to, framework):
    import numpy as np

    if framework == "torch":
        array, cast = _numpy_of(value)
        return _from_numpy(array, to, cast)
    if framework == "numpy":
        return _from_numpy(value, to)
    if framework == "jax":
        array = np.asarray(value)
        if to == "tensorflow" and array.dtype.name == "bfloat16":
            return _from_numpy(array.astype(np.float32), to, "bfloat16")
        return _from_numpy(array, to)
    # tensorflow
    array = value.numpy()
    return _from_numpy(array, to)
