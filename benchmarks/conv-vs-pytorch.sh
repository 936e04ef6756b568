#!/usr/bin/env bash
# The study network's convolutions one layer at a time, DJL (libtorch 2.7.1 from the native jar,
# oneDNN 3.7.1) against eager PyTorch (PYTHON, Debian's python3-torch 1.13 by default): the time of
# one call as the caller sees it, and the time oneDNN itself reports for executing the convolution
# primitive (ONEDNN_VERBOSE=1, a separate shorter run so that logging does not touch the timed
# calls). Shows whether the engines differ in the kernels or around them. Rounds interleave the
# engines; the table at the end takes medians over rounds and weights each shape by how often one
# pass of the network runs it.
#
#   benchmarks/conv-vs-pytorch.sh [ROUNDS]     (default 3; CALLS=20, WARMUP=2 seconds per shape)
#   PYTHON=/path/to/python3 benchmarks/conv-vs-pytorch.sh 1     (another PyTorch build)
#
# JSON lines and the Markdown table go to stdout, progress to stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS=${1:-3}
THREADS=${THREADS:-2}
CALLS=${CALLS:-20}
WARMUP=${WARMUP:-2}
PYTHON=${PYTHON:-/usr/bin/python3}
# why: with the default active wait, idle OpenMP workers spin and steal the shared cores
export OMP_WAIT_POLICY=PASSIVE
# The study preset's 3x3 convolutions in pass order (IC:OC:SIZE, 512x512 input): encoder levels
# 32..512 filters, bottleneck 1024, decoder levels whose first convolution reads skip + upsampled.
NETWORK=(1:32:512 32:32:512 32:64:256 64:64:256 64:128:128 128:128:128 128:256:64 256:256:64
         256:512:32 512:512:32 512:1024:16 1024:1024:16
         1536:512:32 512:512:32 768:256:64 256:256:64 384:128:128 128:128:128 192:64:256 64:64:256
         96:32:512 32:32:512)
read -r -a SHAPES <<< "$(printf '%s\n' "${NETWORK[@]}" | awk '!seen[$0]++' | xargs)"

. "$ROOT/benchmarks/benchmark-setup.sh"
# why: the allocator settings the gpu-worker runs with, for both engines
export GLIBC_TUNABLES=$TUNABLES
djl() {
  java -Xmx2g -Dai.djl.offline=true -cp "$BENCHMARKS_CP" \
      org.triplane.benchmarks.ConvolutionTiming "$THREADS" "$@" "${SHAPES[@]}" 2>/dev/null
}
pytorch() {
  "$PYTHON" "$ROOT/benchmarks/pytorch/conv_timing.py" "$THREADS" "$@" "${SHAPES[@]}"
}
TABLE="$ROOT/benchmarks/conv_table.py"
echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)," \
     "torch $("$PYTHON" -c 'import torch; print(torch.__version__)'), threads $THREADS" >&2
RESULTS="$WORK/results.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  echo "# round $round, load avg $(cut -d' ' -f1 /proc/loadavg)" >&2
  djl "$WARMUP" "$CALLS" | grep '^{' | tee -a "$RESULTS"
  pytorch "$WARMUP" "$CALLS" | tee -a "$RESULTS"
  ONEDNN_VERBOSE=1 djl 0 6 | /usr/bin/python3 "$TABLE" kernels djl | tee -a "$RESULTS"
  ONEDNN_VERBOSE=1 pytorch 0 6 | /usr/bin/python3 "$TABLE" kernels pytorch | tee -a "$RESULTS"
done
echo
/usr/bin/python3 "$TABLE" table "${NETWORK[@]}" < "$RESULTS"
