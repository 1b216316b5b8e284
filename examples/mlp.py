"""A small multilayer perceptron in plain PyTorch: the example that scripts/demo.sh runs ivyc on.

Run it directly to train it for a few steps on random data:
    .venv/bin/python examples/mlp.py
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    """Linear layers with ReLU between them, dropout, and a layer norm on the input."""

    def __init__(self, in_features: int, hidden: tuple[int, ...] = (64, 32), out_features: int = 10,
                 dropout: float = 0.1):
        super().__init__()
        self.norm = nn.LayerNorm(in_features)
        sizes = [in_features, *hidden]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.dropout = nn.Dropout(p=dropout)
        self.head = nn.Linear(sizes[-1], out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.norm(x.view(x.shape[0], -1))
        for layer in self.layers:
            x = self.dropout(F.relu(layer(x)))
        return self.head(x)


def train_step(model: MLP, optimizer: torch.optim.Optimizer, x, y) -> float:
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def accuracy(model: MLP, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    predicted = model(x).argmax(dim=-1)
    return (predicted == y).float().mean().item()


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(256, 1, 4, 4)  # 16 features once flattened
    y = torch.randint(0, 10, (256,))
    model = MLP(16)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(1, 51):
        loss = train_step(model, optimizer, x, y)
        if step % 10 == 0:
            print(f"step {step:3d}: loss {loss:.4f}, accuracy {accuracy(model, x, y):.2%}")
