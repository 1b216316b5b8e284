# ARGS: %s --from torch --to jax --ops tables
# Tensor methods by traced kind (results of torch calls, annotations, parameters used as
# tensors, helper functions called with tensors); a template that is an operator expression is
# parenthesized where its context binds tighter.
import torch


def helper(t):
    return t.view(t.size(0), -1)


def f(x: torch.Tensor, y):
    z = torch.add(x, y).sum(1)
    w = helper(x).permute(1, 0)
    v = x.mul(2).relu()
    u = torch.relu(y).detach()
    return z, w, v, u, x.shape[0], (x + 1).view(-1)


def unpacked(x: torch.Tensor, shape):
    return x.view(*shape), x.view(2, *shape)
