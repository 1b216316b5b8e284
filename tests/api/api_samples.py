"""Torch code that tests/api converts through ivyc.transpile (a module of its own, so that the
converted file is this one, not a test file)."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def _scale(x):
    # A helper of the same file: converted with the functions that call it.
    return x * 0.5


def normalize(x, eps=1e-5):
    mean = torch.mean(x, dim=-1, keepdim=True)
    var = torch.var(x, dim=-1, keepdim=True, unbiased=False)
    return (x - mean) / torch.sqrt(var + eps)


def attention(q, k, v):
    scores = torch.matmul(q, k.transpose(-2, -1)) / q.shape[-1] ** 0.5
    return torch.matmul(F.softmax(scores, dim=-1), _scale(v))


def gelu_mlp(x, w1, w2):
    return F.gelu(x @ w1) @ w2


act = lambda x: torch.tanh(x) * 2  # noqa: E731


def uses_unsupported(x):
    y = torch.relu(x)
    return torch.fake_op_ivyc_cannot_convert(y)


def calls_unsupported(x):
    return uses_unsupported(x) + 1


class MLP(nn.Module):
    def __init__(self, d_in, d_hidden, d_out=3):
        super().__init__()
        self.d_in, self.d_hidden, self.d_out = d_in, d_hidden, d_out
        self.fc1 = nn.Linear(d_in, d_hidden)
        self.fc2 = nn.Linear(d_hidden, d_out)
        self.norm = nn.LayerNorm(d_hidden)

    def forward(self, x):
        return self.fc2(F.relu(self.norm(self.fc1(x))))


class Forgetful(nn.Module):
    """Does not keep its constructor argument: ivyc cannot rebuild an instance."""

    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, width)

    def forward(self, x):
        return self.fc(x)


if __name__ == "__main__":
    # Does not run in the converted module: its unsupported call does not stop a conversion.
    print(torch.fake_main_only_op(normalize(torch.ones(2, 3))))
