# ARGS: %s --from torch --to jax --ops tables
# In-place methods and assignments into tensors become functional updates that rebind the name.
import torch


def f(x: torch.Tensor, y: torch.Tensor, i: int):
    x.add_(y)
    y.mul_(2)
    x[i] = 0.0
    x[1:, 0] += y[0]
    x[0][1] = 3.0
    y[i] *= 2
    return x, y
