# ARGS: %s --from torch --to tensorflow --ops tables
# An op that a target marks unsupported is reported with the target's reason.
import torch


def f(x):
    return torch.std(x)
