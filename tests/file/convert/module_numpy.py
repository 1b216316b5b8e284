# ARGS: %s --from torch --to numpy --ops tables
# A module file: classes, layers, parameters, buffers, self.training, a layer's weight.
import torch
import torch.nn as nn


class Block(nn.Module):
    """A residual block: the layers come from the tables, the class from the modules rule."""

    def __init__(self, dim: int, p: float = 0.1):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc = nn.Linear(dim, dim, bias=False)
        self.drop = nn.Dropout(p)
        self.scale = nn.Parameter(torch.randn(dim))
        self.register_buffer("steps", torch.randn(1))
        self.register_buffer("cache", None, persistent=False)

    def forward(self, x):
        h = self.fc(self.norm(x))
        if self.training:
            h = self.drop(h)
        return x + h * self.scale


class Net(nn.Module):
    def __init__(self, dim, depth=2):
        super().__init__()
        self.blocks = nn.ModuleList(Block(dim) for _ in range(depth))
        self.head = Block(dim, p=0.0)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return torch.relu(self.head(x)) @ self.head.fc.weight
