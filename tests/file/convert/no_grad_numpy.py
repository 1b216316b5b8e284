# ARGS: %s --from torch --to numpy --ops tables
# NumPy has no gradients: the block is only dedented.
import torch


def update(w: torch.Tensor, g: torch.Tensor):
    with torch.no_grad():
        w = torch.add(w, g)
    return w
