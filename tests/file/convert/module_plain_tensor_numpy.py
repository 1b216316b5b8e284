# ARGS: %s --from torch --to numpy --ops tables
# NumPy: a tensor kept by __init__ as a plain attribute is not in torch's state_dict, so it is
# made the non-persistent kind; parameters and what the file's own functions return are not.
import torch
import torch.nn as nn


def make(n):
    return nn.Parameter(torch.randn(n))


class M(nn.Module):
    def __init__(self, n: int):
        super().__init__()
        self.scale = torch.randn(n) * 0.5
        self.weight = nn.Parameter(torch.randn(n))
        self.bias = make(n)

    def forward(self, x):
        return x * self.scale * self.weight + self.bias
