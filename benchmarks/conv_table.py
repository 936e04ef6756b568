#!/usr/bin/python3
"""Reads what benchmarks/conv-vs-pytorch.sh collects and prints the comparison as a Markdown table.

    conv_table.py kernels ENGINE < oneDNN verbose log   -> one JSON line per 3x3 convolution shape:
        the oneDNN implementation and the median time oneDNN itself reports for executing it
    conv_table.py table IC:OC:SIZE... < JSON lines       -> Markdown table; the arguments are the
        network's 3x3 convolutions in pass order (a shape that occurs twice is listed twice), which
        weight the per-pass totals

Both oneDNN 2.x (`onednn_verbose,exec,cpu,convolution,IMPL,...`) and 3.x
(`onednn_verbose,v1,primitive,exec,cpu,convolution,IMPL,...`) lines are understood; the last two
fields are the problem descriptor (`mb1_ic96oc32_ih512oh512kh3...`) and the time in milliseconds.
"""
import collections
import json
import re
import statistics
import sys

PROBLEM = re.compile(r"mb\d+_ic(\d+)oc(\d+)_ih(\d+)oh\d+kh(\d+)")


def kernels(engine):
    times = collections.defaultdict(list)
    impls = {}
    for line in sys.stdin:
        fields = line.strip().split(",")
        if "exec" not in fields or "convolution" not in fields:
            continue
        problem = PROBLEM.search(fields[-2])
        if problem is None or problem.group(4) != "3":
            continue
        key = tuple(int(problem.group(i)) for i in (1, 2, 3))
        times[key].append(float(fields[-1]))
        impls[key] = fields[fields.index("convolution") + 1]
    for (in_ch, out_ch, size), ms in times.items():
        # why the later half: the first executions of a shape include its warm-up
        steady = ms[len(ms) // 2:]
        print(json.dumps({"engine": engine, "ic": in_ch, "oc": out_ch, "size": size, "impl": impls[in_ch, out_ch, size],
                          "kernelMs": round(statistics.median(steady), 3)}))


def table(network):
    calls = collections.defaultdict(list)
    kernel = collections.defaultdict(list)
    impls = {}
    for line in sys.stdin:
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        key = (row["engine"], row["ic"], row["oc"], row["size"])
        if "kernelMs" in row:
            kernel[key].append(row["kernelMs"])
            impls[key] = row["impl"]
        else:
            calls[key].append(row["msMedian"])
    counts = collections.Counter(tuple(int(v) for v in spec.split(":")) for spec in network)

    def median(values, key):
        return statistics.median(values[key]) if values.get(key) else float("nan")

    print("| convolution (IC→OC, size²) | per pass | DJL call ms | DJL kernel ms | PyTorch call ms "
          "| PyTorch kernel ms | kernel DJL/PyTorch | oneDNN implementation (DJL / PyTorch) |")
    print("|---|---|---|---|---|---|---|---|")
    totals = collections.Counter()
    for shape, count in counts.items():
        in_ch, out_ch, size = shape
        row = {}
        for engine in ("djl", "pytorch"):
            key = (engine, in_ch, out_ch, size)
            row[engine] = (median(calls, key), median(kernel, key), impls.get(key, "?"))
            totals[engine, "call"] += count * row[engine][0]
            totals[engine, "kernel"] += count * row[engine][1]
        print("| %d→%d, %d² | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s / %s |" % (
            in_ch, out_ch, size, count, row["djl"][0], row["djl"][1], row["pytorch"][0], row["pytorch"][1],
            row["djl"][1] / row["pytorch"][1], row["djl"][2], row["pytorch"][2]))
    print("| **one pass** | %d | **%.1f** | **%.1f** | **%.1f** | **%.1f** | **%.2f** | |" % (
        sum(counts.values()), totals["djl", "call"], totals["djl", "kernel"], totals["pytorch", "call"],
        totals["pytorch", "kernel"], totals["djl", "kernel"] / totals["pytorch", "kernel"]))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "kernels":
        kernels(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "table":
        table(sys.argv[2:])
    else:
        sys.exit("usage: conv_table.py kernels ENGINE < verbose log | conv_table.py table IC:OC:SIZE... < JSON lines")
