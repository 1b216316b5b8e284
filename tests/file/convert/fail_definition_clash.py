# ARGS: %s --from torch --to numpy --ops tables
# The NumPy form of nn.Linear is a class `Linear` that the output defines; this file has its own.
import torch.nn as nn


class Linear:
    pass


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 3)

    def forward(self, x):
        return self.fc(x)
