# ARGS: %s --from torch --to jax --ops tables
# A random op at module level or in a lambda has no statement to split a key before.
import torch

TABLE = torch.randn(4)
make = lambda n: torch.randn(n)
