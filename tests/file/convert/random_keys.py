# ARGS: %s --from torch --to jax --ops tables
# JAX needs explicit PRNG keys: each function that draws (directly or through a helper of the
# file) takes a keyword-only key, split before each statement that draws.
import torch


def noise(n):
    return torch.randn(n, 3)


def two(n, *args, scale=1.0, **kwargs):
    a = torch.randn(n) + torch.randn(n)
    return a * scale


def loop(n):
    out = []
    for _ in range(n):
        out.append(noise(2))
    return out
