#!/usr/bin/env bash
# U-Net inference side by side on this machine: DJL (this project's network through PlanePredictor,
# libtorch 2.7.1 from the native jar) and eager PyTorch (benchmarks/pytorch/unet_infer.py, the same
# architecture, Debian's python3-torch), same presets, slice sizes, batch sizes and threads, with the
# same post-processing (softmax, arg-max label, max-probability confidence). Rounds interleave the
# two so that a noisy neighbour hurts both alike. One JSON line per run.
#
# DJL runs as the gpu-worker does, with GLIBC_TUNABLES set (NativeAllocator: freed tensors stay in the
# process). PyTorch runs twice: as Python starts by default ("allocator":"default") and with the same
# GLIBC_TUNABLES ("allocator":"tuned"), so that the comparison shows what the setting does to each.
#
#   benchmarks/unet-vs-pytorch.sh [ROUNDS]        (default 3)
#
# Cases: small (depth 4, 8 base filters, 2 input channels) at 128x128, batch 8, 400 slices;
# study (depth 5, 32 base filters, 1 channel) at 512x512, batch 1, 4 slices.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS=${1:-3}
THREADS=${THREADS:-2}
# why: with the default active wait, idle OpenMP workers spin and steal the shared cores
export OMP_WAIT_POLICY=PASSIVE
TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1
(cd "$ROOT" && mvn -q -B -pl benchmarks -am install -DskipTests)
# why: a copy, so that a rebuild during the run cannot change the classes under a running JVM
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/benchmarks/target/triplane-benchmarks.jar" "$WORK/"
mkdir "$WORK/lib"
tr ':' '\n' < "$ROOT/benchmarks/target/classpath.txt" | xargs -I{} cp {} "$WORK/lib/"
djl() {
  GLIBC_TUNABLES=$TUNABLES java -Xmx2g -Dai.djl.offline=true -cp "$WORK/triplane-benchmarks.jar:$WORK/lib/*" \
      org.triplane.benchmarks.UNetInferenceTiming "$@" "$THREADS" cpu 2>/dev/null | grep '^{'
}
# pytorch ALLOCATOR PRESET SIZE BATCH SLICES
pytorch() {
  local env=()
  [ "$1" = tuned ] && env=(GLIBC_TUNABLES="$TUNABLES")
  echo -n "{\"engine\":\"pytorch\",\"allocator\":\"$1\"," && env "${env[@]}" /usr/bin/python3 \
      "$ROOT/benchmarks/pytorch/unet_infer.py" --preset "$2" --height "$3" --width "$3" --batch "$4" --slices "$5" \
      --threads "$THREADS" | cut -c2-
}
echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)," \
     "torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), threads $THREADS" >&2
for round in $(seq 1 "$ROUNDS"); do
  echo "# round $round, load avg $(cut -d' ' -f1 /proc/loadavg)" >&2
  echo -n '{"engine":"djl",' && djl small 128 128 8 400 | cut -c2-
  pytorch default small 128 8 400
  pytorch tuned small 128 8 400
  echo -n '{"engine":"djl",' && djl study 512 512 1 4 | cut -c2-
  pytorch default study 512 1 4
  pytorch tuned study 512 1 4
done
