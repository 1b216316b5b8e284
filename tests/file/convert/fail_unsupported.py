# ARGS: %s --from torch --to jax --ops tables
# What cannot be converted stays, with a marker comment naming the reason, a warning with its
# position, and exit 1; the rest of the file is converted and the torch import kept.
import torch


def f(x):
    y = torch.cumprod(x, 0)
    z = torch.sum(x, 0, out=y)
    if True: w = torch.not_an_api(x)
    return torch.sum(y) + z + w
