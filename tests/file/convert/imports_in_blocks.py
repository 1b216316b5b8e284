# ARGS: %s --from torch --to jax --ops tables
# Torch imports inside blocks: a block whose imports all go keeps one `pass`; the target's
# imports go at module level, after the last top-level import, never into a block.
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from torch import Tensor
    import torch.nn.functional as F

if os.name == "nt":
    import torch
else:
    import torch


def f(x):
    return torch.sum(x, 0)
