# ARGS: %s --from torch --to jax --ops tables
# Lines without torch stay byte-identical: comments, blank lines, odd spacing, strings that
# mention torch.sum, a multi-line call whose arguments keep their text.
import torch  # the only framework import

CONSTANT   =   3  # odd spacing stays


def f(x):
    """Docstring mentioning torch.sum(x) stays."""
    # comment before
    total = torch.sum(   # inner comment
        x,
        dim=1,
    )  # after
    return total * CONSTANT
