# ARGS: %s --from torch --to numpy --ops tables
# Weight tying by assignment: NumPy layers keep torch's names as plain attributes, so the
# assignment stays and ties them as in torch.
import torch.nn as nn


class Tied(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.a = nn.Linear(n, n)
        self.b = nn.Linear(n, n)
        self.b.weight = self.a.weight

    def forward(self, x):
        return self.b(self.a(x))
