# ARGS: %s --from torch --to jax --ops tables
# An in-place method whose result is used has no functional form: reported, left as it is.
import torch


def f(x: torch.Tensor, y: torch.Tensor):
    z = x.add_(y)
    return z
