# ARGS: %s --from torch --to numpy --ops tables
# A local alias of a torch function is followed; a parameter named like a module shadows it, and
# a method of a non-tensor is left alone.
import torch

act = torch.relu


def f(x):
    return act(torch.sum(x, 0))


def g(x):
    torch = "a local string shadows the module"
    return torch.sum(x)


def h(names: str, x: torch.Tensor):
    return names.split(","), x.view(-1)
