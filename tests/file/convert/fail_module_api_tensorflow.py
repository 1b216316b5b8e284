# ARGS: %s --from torch --to tensorflow --ops tables
# The nn.Module API where Keras has no counterpart is reported; .to(device) on a model goes.
import torch.nn as nn


class Tied(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.a = nn.Linear(n, n)
        self.b = nn.Linear(n, n)
        self.b.weight = self.a.weight

    def scale(self):
        return 0.5 if self.training else 1.0

    def forward(self, x):
        return self.b(self.a(x)) * self.scale()


def fit(model: Tied, device):
    model = model.to(device)
    model.train()
    return list(model.parameters())
