#!/usr/bin/env bash
# U-Net inference side by side on this machine: DJL (this project's network through PlanePredictor,
# libtorch 2.7.1 from the native jar) and eager PyTorch (benchmarks/pytorch/unet_infer.py, the same
# architecture; Debian's python3-torch unless PYTHON names another), same presets, slice sizes,
# batch sizes and threads, with the same post-processing (softmax, arg-max label, max-probability
# confidence). Rounds interleave the two so that a noisy neighbour hurts both alike. One JSON line
# per run.
#
# DJL runs as the gpu-worker does, with GLIBC_TUNABLES set (NativeAllocator: freed tensors stay in the
# process) and BatchNorm folded into the convolutions (FoldedUNet). PyTorch runs three times: the
# module as written, as Python starts by default ("allocator":"default") and with the same
# GLIBC_TUNABLES ("allocator":"tuned"), and with the same settings and BatchNorm folded by torch.fx
# ("fold_bn":true), so that the comparison shows what each setting does to each engine.
# Every run first warms up for WARMUP seconds (a worker is a long-running process; the JVM needs a
# few seconds to reach its steady speed), the same for both engines.
#
# Each round runs every case under each oneDNN instruction-set setting in ISAS: "default" (the CPU's
# best: AVX-512 or AVX2 kernels) and SSE41 (DNNL_MAX_CPU_ISA=SSE41, which the gpu-worker is started
# with because training needs it; both engines honour the variable).
#
#   benchmarks/unet-vs-pytorch.sh [ROUNDS]        (default 3; WARMUP=8, ISAS="default SSE41")
#   PYTHON=/path/to/python3 benchmarks/unet-vs-pytorch.sh 3     (another PyTorch build)
#
# Cases: small (depth 4, 8 base filters, 2 input channels) at 128x128, batch 8, 1600 slices;
# study (depth 5, 32 base filters, 1 channel) at 512x512, batch 1, 8 slices.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS=${1:-3}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-8}
ISAS=${ISAS:-default SSE41}
PYTHON=${PYTHON:-/usr/bin/python3}
# why: with the default active wait, idle OpenMP workers spin and steal the shared cores
export OMP_WAIT_POLICY=PASSIVE
. "$ROOT/benchmarks/benchmark-setup.sh"
# isa ISA: the env(1) argument for that oneDNN setting
isa() {
  [ "$1" = default ] && echo "--unset=DNNL_MAX_CPU_ISA" || echo "DNNL_MAX_CPU_ISA=$1"
}
# djl ISA PRESET HEIGHT WIDTH BATCH SLICES
djl() {
  local setting=$1
  shift
  echo -n "{\"engine\":\"djl\",\"isa\":\"$setting\"," && env "$(isa "$setting")" GLIBC_TUNABLES=$TUNABLES \
      java -Xmx2g -Dai.djl.offline=true -cp "$BENCHMARKS_CP" org.triplane.benchmarks.UNetInferenceTiming \
      "$@" "$THREADS" cpu "$WARMUP" 2>/dev/null | grep '^{' | cut -c2-
}
# pytorch ISA ALLOCATOR(default|tuned|tuned-fold) PRESET SIZE BATCH SLICES
pytorch() {
  local env=("$(isa "$1")") flags=()
  [ "$2" != default ] && env+=(GLIBC_TUNABLES="$TUNABLES")
  [ "$2" = tuned-fold ] && flags=(--fold-bn)
  echo -n "{\"engine\":\"pytorch\",\"isa\":\"$1\",\"allocator\":\"${2%-fold}\"," && env "${env[@]}" \
      "$PYTHON" "$ROOT/benchmarks/pytorch/unet_infer.py" --preset "$3" --height "$4" --width "$4" --batch "$5" \
      --slices "$6" --threads "$THREADS" --warmup-seconds "$WARMUP" "${flags[@]}" | cut -c2-
}
echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)," \
     "torch $("$PYTHON" -c 'import torch; print(torch.__version__)'), threads $THREADS" >&2
for round in $(seq 1 "$ROUNDS"); do
  for setting in $ISAS; do
    echo "# round $round, isa $setting, load avg $(cut -d' ' -f1 /proc/loadavg)" >&2
    djl "$setting" small 128 128 8 1600
    for allocator in default tuned tuned-fold; do
      pytorch "$setting" "$allocator" small 128 8 1600
    done
    djl "$setting" study 512 512 1 8
    for allocator in default tuned tuned-fold; do
      pytorch "$setting" "$allocator" study 512 1 8
    done
  done
done
