# ARGS: %s --from torch --to tensorflow --ops tables
# TensorFlow tensors are immutable: x[i] = v scatters into a copy at the positions the index
# selects; in-place methods rebind.
import torch


def f(x: torch.Tensor, y: torch.Tensor):
    x.add_(y)
    x[0] = 1.0
    x[:, 1] += 2.0
    return x
