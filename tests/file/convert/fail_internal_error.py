# ARGS: %s --from torch --to jax --ops bad_tables
# A table whose template makes invalid Python: the output is checked before it is written, and
# the failure is an error (exit 2, nothing written), not a broken file.
import torch


def f(x):
    return torch.relu(x)
