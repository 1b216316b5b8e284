# ARGS: %s --from torch --to jax --ops tables
# torch.no_grad: the block is dedented and the tensors it assigns stop gradients; the decorator
# is removed and the returned tensors stop gradients.
import torch


def update(w: torch.Tensor, g: torch.Tensor):
    with torch.no_grad():
        # comment inside the block
        w = torch.add(w, g)
        n = 3
    return w, n


@torch.no_grad()
def evaluate(x: torch.Tensor):
    return torch.relu(x)
