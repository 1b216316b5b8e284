# ARGS: %s --from torch --to numpy --ops tables
# NumPy arrays are mutable: in-place methods stay mutations, and x[i] = v is left as it is.
import torch


def f(x: torch.Tensor, y: torch.Tensor, i: int):
    x.add_(y)
    x[i] = 0.0
    x[1:, 0] += y[0]
    return x
