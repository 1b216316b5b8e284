# ARGS: %s --from torch --to numpy --ops tables
# NumPy models are inference only: eval() and device moves as statements go; as values, the model.
import torch.nn as nn


def run(model: nn.Module, x, device):
    model.eval()
    model.to(device)  # a comment stays
    if x is None:
        model.cuda()
    if device is not None:  # every statement of this block goes: the last becomes pass
        model.cpu()
        model.cuda()
    return model.cuda()(x)
