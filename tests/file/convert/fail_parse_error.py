# ARGS: %s --from torch --to jax --ops tables
# Input that does not parse: exit 2, the error, nothing converted.
import torch
def f(x:
    return torch.sum(x)
