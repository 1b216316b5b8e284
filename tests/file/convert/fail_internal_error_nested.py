# ARGS: %s --from torch --to jax --ops bad_tables
# The output is checked where it changed: here an elif's body, in a decorated method of a class
# under an if; the invalid template there is still found.
import functools

import torch

if True:

    class C:
        @functools.lru_cache
        def f(self, x, y):
            if x is None:
                return y
            elif y is None:
                return torch.relu(x)
            return x
