# ARGS: %s --from torch --to jax --ops tables
# nn.init on a layer's variable: assigned through the torch name's form (jax), reported (Keras).
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        nn.init.zeros_(self.fc.weight)

    def forward(self, x):
        return self.fc(x)
