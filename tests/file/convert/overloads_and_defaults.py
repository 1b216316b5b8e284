# ARGS: %s --from torch --to jax --ops tables
# Overloads chosen by the arguments; torch's unbiased std default made explicit; named results'
# fields; an argument used twice by a template is evaluated once.
import torch


def f(x: torch.Tensor, y: torch.Tensor):
    a = torch.max(x)
    b = torch.max(x, 1).values
    c = torch.max(x, y)
    d = torch.std(x)
    e = torch.std(x, 0, False)
    g = torch.square_plus_self(x.sum(0))
    h = torch.square_plus_self(x)
    return a, b, c, d, e, g, h
