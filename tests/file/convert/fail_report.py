# ARGS: %s --from torch --to numpy --ops tables -o /dev/null --report /dev/stdout
# The report: per file, each converted and unconverted site with its position, API and status
# (an unsupported one with its reason, one on a receiver of unknown kind with a note), and the
# conversion rate; the conversion itself goes to -o.
import torch


def f(x, y: torch.Tensor):
    a = torch.sum(y, dim=0)
    b = x.view(-1)
    return torch.cumprod(a, 0), b
