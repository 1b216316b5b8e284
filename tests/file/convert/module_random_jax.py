# ARGS: %s --from torch --to jax --ops tables
# Random ops in a module: __init__ draws from its rngs, forward from the rngs the module keeps.
import torch
import torch.nn as nn


class Noisy(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.bias = nn.Parameter(torch.randn(n))

    def forward(self, x):
        return x + self.bias + torch.randn(x.shape[0], 1)
