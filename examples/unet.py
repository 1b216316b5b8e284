"""A small U-Net (Ronneberger et al., 2015) for per-pixel classification, in plain PyTorch.

An encoder of double-convolution blocks with 2x2 max pooling between them, a bottleneck, and a
decoder that upsamples with transposed convolutions and concatenates the encoder's features at
the same resolution (skip connections), then a 1x1 convolution to the output channels. The input's
height and width must be divisible by 2**depth. Run it directly for one forward pass:
    .venv/bin/python examples/unet.py
"""

import torch
import torch.nn as nn


class DoubleConv(nn.Module):
    """(3x3 convolution, batch norm, ReLU) twice; keeps the spatial size."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block(x)


class UNet(nn.Module):
    """(N, in_channels, H, W) to (N, out_channels, H, W) per-pixel logits."""

    def __init__(self, in_channels: int = 3, out_channels: int = 2, base: int = 8, depth: int = 2):
        super().__init__()
        channels = [base * 2 ** i for i in range(depth + 1)]
        self.inc = DoubleConv(in_channels, channels[0])
        self.pool = nn.MaxPool2d(2)
        self.downs = nn.ModuleList([DoubleConv(channels[i], channels[i + 1]) for i in range(depth)])
        self.ups = nn.ModuleList()
        self.up_convs = nn.ModuleList()
        for i in reversed(range(depth)):
            self.ups.append(nn.ConvTranspose2d(channels[i + 1], channels[i], kernel_size=2, stride=2))
            self.up_convs.append(DoubleConv(2 * channels[i], channels[i]))
        self.out = nn.Conv2d(channels[0], out_channels, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.inc(x)
        skips = []
        for down in self.downs:
            skips.append(x)
            x = down(self.pool(x))
        for up, conv in zip(self.ups, self.up_convs):
            skip = skips.pop()
            x = up(x)
            x = conv(torch.cat([skip, x], dim=1))
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = UNet(in_channels=3, out_channels=2)
    model.eval()
    with torch.no_grad():
        masks = model(torch.randn(2, 3, 32, 32)).argmax(dim=1)
    print("masks:", tuple(masks.shape), "classes seen:", masks.unique().tolist())
