#!/usr/bin/python3
"""Eager PyTorch inference timing of the project's 2D U-Net (the PyTorch side of the DJL comparison).

Tensors are NCHW (batch, channel, row y, column x; x fastest), float32. The architecture below is
the same text the Java side implements:

  encoder level l = 0..depth-1:  [Conv3x3 pad 1, no bias -> BN -> ReLU] x2, base*2^l filters;
                                 output kept as skip_l; MaxPool 2x2 stride 2
  Dropout(p) on the last pooled tensor
  bottleneck:                    [Conv3x3 -> BN -> ReLU] x2, base*2^depth filters
  decoder level l = depth-1..0:  nearest upsample x2 (no weights); cat([skip_l, up], dim=1);
                                 [Conv3x3 -> BN -> ReLU] x2 (base*2^l)
  head:                          Conv1x1 with bias -> `classes` channels

Post-processing per pixel (also timed): softmax over the class axis, then argmax (label, uint8)
and the maximum probability (confidence, float32).

Prints one JSON line on stdout.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 21

PRESETS = {
    # name: (depth, base filters, dropout, input channels)
    "study": (5, 32, 0.3, 1),
    "small": (4, 8, 0.3, 2),
    "tiny": (3, 4, 0.3, 2),
}


def conv_bn_relu(in_ch, out_ch):
    return [nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=False), nn.BatchNorm2d(out_ch), nn.ReLU(inplace=True)]


def double_conv(in_ch, out_ch):
    return nn.Sequential(*conv_bn_relu(in_ch, out_ch), *conv_bn_relu(out_ch, out_ch))


class UNet2d(nn.Module):
    """Input N x in_channels x H x W (H, W multiples of 2^depth); output N x classes x H x W logits."""

    def __init__(self, depth, base, dropout, in_channels, classes=CLASSES):
        super().__init__()
        self.encoders = nn.ModuleList()
        ch = in_channels
        for level in range(depth):
            width = base * 2 ** level
            self.encoders.append(double_conv(ch, width))
            ch = width
        self.pool = nn.MaxPool2d(2, 2)
        self.dropout = nn.Dropout(dropout)
        self.bottleneck = double_conv(ch, base * 2 ** depth)
        ch = base * 2 ** depth
        self.decoders = nn.ModuleList()
        for level in reversed(range(depth)):
            width = base * 2 ** level
            self.decoders.append(double_conv(width + ch, width))  # skip (width) + upsampled (ch)
            ch = width
        self.head = nn.Conv2d(ch, classes, 1, bias=True)

    def forward(self, x):
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(self.dropout(x))
        for decoder, skip in zip(self.decoders, reversed(skips)):
            x = decoder(torch.cat([skip, F.interpolate(x, scale_factor=2, mode="nearest")], dim=1))
        return self.head(x)


def labels_and_confidence(logits):
    """logits N x classes x H x W -> (labels N x H x W uint8, confidence N x H x W float32)."""
    probabilities = torch.softmax(logits, dim=1)
    confidence, labels = probabilities.max(dim=1)
    return labels.to(torch.uint8), confidence


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
    parser.add_argument("--height", type=int, default=128)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--slices", type=int, default=400, help="slices in the timed loop")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--warmup", type=int, default=2, help="untimed warm-up batches (at least)")
    parser.add_argument("--warmup-seconds", type=float, default=0.0,
                        help="keep warming up until this much time has passed (the Java side takes the same)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fold-bn", action="store_true",
                        help="fold each BatchNorm into its convolution (torch.fx), as the Java side does for inference")
    args = parser.parse_args()

    depth, base, dropout, in_channels = PRESETS[args.preset]
    multiple = 2 ** depth
    if args.height % multiple or args.width % multiple:
        sys.exit(f"unet_infer: --height {args.height} / --width {args.width} must be multiples of "
                 f"2^depth = {multiple} for preset '{args.preset}'")
    if args.batch < 1 or args.slices < 1:
        sys.exit("unet_infer: --batch and --slices must be >= 1")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = UNet2d(depth, base, dropout, in_channels).eval()
    weights = sum(p.numel() for p in model.parameters())
    if args.fold_bn:
        import torch.fx.experimental.optimization as fx_optimization
        model = fx_optimization.fuse(model)

    # why: inputs are prepared once so the loop times the network + post-processing only;
    # values mimic windowed CT bytes 0..254 scaled to [0, 1].
    stack = torch.randint(0, 255, (args.slices, in_channels, args.height, args.width)).float().div_(255.0)
    warm = stack[: args.batch]

    forward_s = 0.0
    with torch.inference_mode():
        warm_start = time.perf_counter()
        done = 0
        while done < args.warmup or time.perf_counter() - warm_start < args.warmup_seconds:
            labels_and_confidence(model(warm))
            done += 1
        start = time.perf_counter()
        for first in range(0, args.slices, args.batch):
            batch = stack[first: first + args.batch]
            t0 = time.perf_counter()
            logits = model(batch)
            forward_s += time.perf_counter() - t0
            labels, confidence = labels_and_confidence(logits)
        seconds = time.perf_counter() - start

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB
    print(json.dumps({
        "preset": args.preset,
        "height": args.height,
        "width": args.width,
        "batch": args.batch,
        "slices": args.slices,
        "threads": torch.get_num_threads(),
        "seconds": round(seconds, 4),
        "slices_per_s": round(args.slices / seconds, 3),
        "s_per_slice": round(seconds / args.slices, 5),
        "forward_seconds": round(forward_s, 4),
        "weights": weights,
        "torch": torch.__version__,
        "interop_threads": torch.get_num_interop_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
        "warmup_seconds": args.warmup_seconds,
        "fold_bn": args.fold_bn,
        "peak_rss_mb": round(peak_rss_mb, 1),
    }))


if __name__ == "__main__":
    main()
