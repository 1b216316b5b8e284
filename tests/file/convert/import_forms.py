# ARGS: %s --from torch --to jax --ops tables
# Every import form names the same torch API; the torch imports go once nothing uses them, and
# the target's imports take the place of the first one.
import os
import torch as t
import torch.nn.functional as F
from torch import sum as tsum, Tensor
from torch.nn import functional


def f(x: Tensor, y: t.Tensor):
    a = t.sum(x, dim=0)
    b = tsum(y, 1, keepdim=True)
    c = F.relu(a) + functional.relu(b)
    return c, os.sep
