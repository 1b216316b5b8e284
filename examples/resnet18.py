"""ResNet-18 (He et al., 2015) in plain PyTorch, with a `width` knob to make it small.

The standard layout: a 7x7 stride-2 stem with max pooling, four stages of two basic residual
blocks each (the first block of a stage halves the resolution and changes the channel count
through a 1x1 projection), global average pooling and a linear classifier. `width=64` is the
usual network; tests use `width=8`. Run it directly for one forward pass:
    .venv/bin/python examples/resnet18.py
"""

import torch
import torch.nn as nn


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with a residual connection, projected when the shape changes."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class ResNet18(nn.Module):
    """(N, 3, H, W) images to (N, num_classes) logits; H and W at least 32."""

    def __init__(self, num_classes: int = 1000, width: int = 64):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_stage(width, width, stride=1)
        self.layer2 = self._make_stage(width, width * 2, stride=2)
        self.layer3 = self._make_stage(width * 2, width * 4, stride=2)
        self.layer4 = self._make_stage(width * 4, width * 8, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8, num_classes)

    @staticmethod
    def _make_stage(in_channels: int, out_channels: int, stride: int) -> nn.Sequential:
        return nn.Sequential(
            BasicBlock(in_channels, out_channels, stride),
            BasicBlock(out_channels, out_channels, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ResNet18(num_classes=10, width=16)
    model.eval()
    with torch.no_grad():
        logits = model(torch.randn(2, 3, 64, 64))
    print("parameters:", sum(p.numel() for p in model.parameters()))
    print("logits:", tuple(logits.shape))
