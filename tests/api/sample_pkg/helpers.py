"""Helpers used by the other files of sample_pkg, through relative and absolute imports."""

import torch


def scale(x, factor=0.5):
    return torch.mul(x, factor)


def shift(x):
    return x + torch.ones_like(x)


def bad_helper(x):
    return torch.fake_helper_op_ivyc_cannot_convert(x)
