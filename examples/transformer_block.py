"""A pre-norm transformer block written as plain PyTorch functions, weights passed in a dict: the
example that scripts/demo.sh converts to JAX (and NumPy and TensorFlow) and runs side by side.

    scripts/demo.sh                      # converts it and runs the original and the conversions
"""

import math

import torch
import torch.nn.functional as F


def causal_self_attention(x: torch.Tensor, w: dict, n_heads: int) -> torch.Tensor:
    """Multi-head attention where each position sees itself and the positions before it."""
    b, t, c = x.shape
    head = c // n_heads
    qkv = F.linear(x, w["qkv_weight"], w["qkv_bias"])  # (b, t, 3c)
    q, k, v = qkv.split(c, dim=-1)
    q = q.view(b, t, n_heads, head).transpose(1, 2)  # (b, heads, t, head)
    k = k.view(b, t, n_heads, head).transpose(1, 2)
    v = v.view(b, t, n_heads, head).transpose(1, 2)
    scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(head)
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(mask, float("-inf"))
    attn = F.softmax(scores, dim=-1)
    y = torch.matmul(attn, v).transpose(1, 2).reshape(b, t, c)
    return F.linear(y, w["proj_weight"], w["proj_bias"])


def mlp(x: torch.Tensor, w: dict) -> torch.Tensor:
    h = F.gelu(F.linear(x, w["fc_weight"], w["fc_bias"]), approximate="tanh")
    return F.linear(h, w["out_weight"], w["out_bias"])


def block(x: torch.Tensor, w: dict, n_heads: int = 4) -> torch.Tensor:
    c = x.shape[-1]
    x = x + causal_self_attention(F.layer_norm(x, (c,), w["ln1_weight"], w["ln1_bias"]), w, n_heads)
    x = x + mlp(F.layer_norm(x, (c,), w["ln2_weight"], w["ln2_bias"]), w)
    return x


def pooled_logits(x: torch.Tensor, w: dict) -> torch.Tensor:
    """Mean over positions, then class log-probabilities."""
    pooled = x.mean(dim=1)
    return torch.log_softmax(pooled @ w["head"], dim=-1)
