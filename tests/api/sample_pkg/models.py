"""An nn.Module of sample_pkg whose forward uses a helper of another file."""

import torch.nn as nn
import torch.nn.functional as F

from .helpers import scale


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.width = width
        self.fc = nn.Linear(width, width)

    def forward(self, x):
        return scale(F.relu(self.fc(x)))
