"""Functions of sample_pkg that use helpers from another file."""

import torch

import sample_pkg.helpers
from sample_pkg.helpers import shift
from . import helpers
from .helpers import bad_helper, scale

WINDOW = torch.ones(3) * 2.0


def normalize_scaled(x, eps=1e-5):
    mean = torch.mean(x, dim=-1, keepdim=True)
    var = torch.var(x, dim=-1, keepdim=True, unbiased=False)
    return scale((x - mean) / torch.sqrt(var + eps))


def absolute_users(x):
    # `import sample_pkg.helpers` and `from sample_pkg.helpers import shift`
    return sample_pkg.helpers.scale(x, 2.0) + shift(x)


def module_attribute(x):
    # `from . import helpers`
    return helpers.shift(torch.relu(x))


def calls_bad_helper(x):
    return bad_helper(x) + 1


def own_unsupported(x):
    return torch.fake_own_op_ivyc_cannot_convert(x)


def is_converted_helper():
    # True in the converted package: the helpers module this file sees is the converted one.
    return helpers.__name__ != "sample_pkg.helpers"
