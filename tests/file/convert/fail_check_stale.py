# ARGS: %s --from torch --to jax --ops tables -o fail_check_stale.converted --check
# --check writes nothing: it lists the outputs that differ from what -o names (here a conversion
# made with an older table, jnp.add instead of +) and exits 1.
import torch


def f(x, y):
    return torch.add(x, y)
