#!/usr/bin/python3
"""Single 3x3 convolution timing in eager PyTorch (the PyTorch side of benchmarks/conv-vs-pytorch.sh).

The same loop as org.triplane.benchmarks.ConvolutionTiming: random NCHW float32 input 1 x IC x SIZE x
SIZE, weight OC x IC x 3 x 3, bias OC, stride 1, padding 1; per shape a warm-up of WARMUP_SECONDS (at
least three calls), then CALLS calls timed one by one. One JSON line per shape on stdout.

    conv_timing.py THREADS WARMUP_SECONDS CALLS IC:OC:SIZE...
"""
import json
import sys
import time

import torch


def time_shape(in_ch, out_ch, size, warmup_seconds, calls):
    x = torch.rand(1, in_ch, size, size)
    weight = torch.rand(out_ch, in_ch, 3, 3) * 0.1 - 0.05
    bias = torch.rand(out_ch)
    warmup_end = time.perf_counter() + warmup_seconds
    warm = 0
    while warm < 3 or time.perf_counter() < warmup_end:
        torch.conv2d(x, weight, bias, 1, 1)
        warm += 1
    ms = []
    for _ in range(calls):
        start = time.perf_counter()
        torch.conv2d(x, weight, bias, 1, 1)
        ms.append((time.perf_counter() - start) * 1000)
    ms.sort()
    return ms[calls // 2], ms[0]


def main(argv):
    if len(argv) < 4:
        sys.exit("usage: conv_timing.py THREADS WARMUP_SECONDS CALLS IC:OC:SIZE...")
    threads, warmup_seconds, calls = int(argv[0]), float(argv[1]), int(argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    with torch.inference_mode():
        for spec in argv[3:]:
            in_ch, out_ch, size = (int(v) for v in spec.split(":"))
            median, fastest = time_shape(in_ch, out_ch, size, warmup_seconds, calls)
            print(json.dumps({"engine": "pytorch", "torch": torch.__version__, "ic": in_ch, "oc": out_ch,
                              "size": size, "threads": threads, "calls": calls,
                              "msMedian": round(median, 3), "msMin": round(fastest, 3)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
