# ARGS: %s --from torch --to tensorflow --ops tables
# nn.init on a layer's variable in __init__: Keras builds variables on the first call, so the
# init becomes the layer's initializer; a second init of the same variable is reported.
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        nn.init.zeros_(self.fc.weight)
        nn.init.zeros_(self.fc.weight)

    def forward(self, x):
        return self.fc(x)
