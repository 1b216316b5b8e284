"""Arrays at the boundary of a converted function: torch tensors among the arguments become the
target framework's arrays (nested in tuples, lists and dicts too); everything else passes as is."""

import sys


def _numpy_of(tensor):
    import numpy as np

    t = tensor.detach().cpu()
    if t.dtype.is_complex or t.dtype.is_floating_point:
        import torch

        if t.dtype == torch.bfloat16:
            return t.float().numpy(), "bfloat16"
    return np.asarray(t.numpy()), None


def to_target(value, to):
    torch = sys.modules.get("torch")
    if torch is None:
        return value  # no torch in this process: no torch tensors among the arguments
    return _convert(value, to, torch)


def _convert(value, to, torch):
    if isinstance(value, torch.Tensor):
        array, cast = _numpy_of(value)
        if to == "jax":
            import jax.numpy as jnp

            out = jnp.asarray(array)
            return out.astype(jnp.bfloat16) if cast else out
        if to == "tensorflow":
            import tensorflow as tf

            out = tf.convert_to_tensor(array)
            return tf.cast(out, tf.bfloat16) if cast else out
        return array
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_convert(v, to, torch) for v in value)
    if isinstance(value, list):
        return [_convert(v, to, torch) for v in value]
    if isinstance(value, dict):
        return {k: _convert(v, to, torch) for k, v in value.items()}
    return value
