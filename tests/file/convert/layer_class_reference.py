# ARGS: %s --from torch --to jax --ops tables
# A layer class as a value: the target's class where its template builds one, else reported.
import torch.nn as nn


def make(n) -> nn.ModuleList:
    return nn.ModuleList([nn.Linear(n, n)])


def is_dense(m: nn.Module):
    return isinstance(m, nn.Linear) and not isinstance(m, nn.Parameter)
