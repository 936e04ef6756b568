#!/usr/bin/env bash
# Eager PyTorch side of the DJL vs PyTorch U-Net comparison: the standard cases, ROUNDS times each,
# one JSON line per run on stdout (round by round so a noisy neighbour hurts every case alike).
#
#   benchmarks/pytorch/run.sh [ROUNDS]        (default 3; needs Debian's python3-torch)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROUNDS=${1:-3}
THREADS=${THREADS:-2}
# why: with the default active wait, idle OpenMP workers spin and steal the 2 shared cores
export OMP_WAIT_POLICY=PASSIVE

echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), threads $THREADS" >&2
for round in $(seq 1 "$ROUNDS"); do
  echo "# round $round, load avg $(cut -d' ' -f1 /proc/loadavg)" >&2
  /usr/bin/python3 "$HERE/unet_infer.py" --preset small --height 128 --width 128 --batch 8 \
      --slices 400 --threads "$THREADS"
  /usr/bin/python3 "$HERE/unet_infer.py" --preset study --height 512 --width 512 --batch 1 \
      --slices 5 --threads "$THREADS"
done
