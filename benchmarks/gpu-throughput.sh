#!/usr/bin/env bash
# Inference throughput and one scan's latency per precision, on a GPU machine with the CUDA build of
# libtorch (the parent pom's Maven profile cuda: DJL 0.33, libtorch 2.5.1 for CUDA 12.4; the node needs
# an NVIDIA driver for CUDA 12.4 or later and a CUDA runtime on the library path, as the gpu-worker's
# CUDA image has: gpu-worker/README.md, "CUDA build"), or on the CPU to try the script.
#
# For each precision in PRECISIONS, two JSON lines:
#   1. slices/s of the study preset (depth 5, 32 base filters, 1 input channel) on 512 x 512 slices
#      through PlanePredictor (UNetInferenceTiming: random weights, speed does not depend on them),
#      BATCH slices per pass ("auto" on a GPU: the gpu-worker's rule, from the GPU's free memory);
#   2. a scan's latency (ScanLatency): a synthetic scan on the study's grid (512 x 512 x 110)
#      registered to the atlas on the CPU, the three planes of the shipped model set (models/default)
#      on DEVICE, fused by majority vote; plane by plane and in total.
#
#   benchmarks/gpu-throughput.sh                       (DEVICE=cuda:0, PRECISIONS="float32 float16")
#   DEVICE=cpu BATCH=1 SLICES=4 PRECISIONS="float32 float16" benchmarks/gpu-throughput.sh   (a CPU try-out)
#
# Settings (environment): DEVICE (cuda:0), PRECISIONS ("float32 float16"; bfloat16 is not available
# through DJL's PyTorch engine, see Precision), BATCH (auto on a GPU, 1 on the CPU), SLICES (study
# slices timed: 256 on a GPU, 4 on the CPU), WARMUP (seconds of inference before timing: 10), THREADS
# (CPU threads: the processors available), SCAN_BATCH (the scan's batch: auto on a GPU, 8 on the CPU),
# CUDA=1 to build with the cuda profile (the default when DEVICE is a GPU), BUILD=0 to use the jars
# already built (benchmarks/target, after `mvn -B -pl benchmarks -am package -DskipTests [-Pcuda]`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEVICE=${DEVICE:-cuda:0}
PRECISIONS=${PRECISIONS:-float32 float16}
THREADS=${THREADS:-$(nproc)}
WARMUP=${WARMUP:-10}
if [ "$DEVICE" = cpu ]; then
  BATCH=${BATCH:-1}; SLICES=${SLICES:-4}; SCAN_BATCH=${SCAN_BATCH:-8}; CUDA=${CUDA:-0}
else
  BATCH=${BATCH:-auto}; SLICES=${SLICES:-256}; SCAN_BATCH=${SCAN_BATCH:-auto}; CUDA=${CUDA:-1}
fi
# why: with the default active wait, idle OpenMP workers spin and steal the CPU threads
export OMP_WAIT_POLICY=PASSIVE
# why: freed tensors stay in the process for the next batch (NativeAllocator); the gpu-worker runs so
export GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1
PROFILE=()
[ "$CUDA" = 1 ] && PROFILE=(-Pcuda)
if [ "${BUILD:-1}" = 1 ]; then
  (cd "$ROOT" && mvn -q -B -pl benchmarks -am package -DskipTests "${PROFILE[@]}") >&2
fi
# why a copy: a rebuild during the run cannot change the classes under a running JVM
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/benchmarks/target/triplane-benchmarks.jar" "$WORK/"
mkdir "$WORK/lib"
tr ':' '\n' < "$ROOT/benchmarks/target/classpath.txt" | xargs -I{} cp -r {} "$WORK/lib/"
CP="$WORK/triplane-benchmarks.jar:$WORK/lib/*"
JAVA=(java -Xmx6g -Dai.djl.offline=true -cp "$CP")
echo "# machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)," \
     "$(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -1 \
        || echo 'no nvidia-smi'), device $DEVICE, threads $THREADS" >&2
# run CLASS ARGS...: the class's JSON line without its opening brace; its error output when it fails
run() {
  local out
  if ! out=$("${JAVA[@]}" "$@" 2>"$WORK/stderr"); then
    echo >&2; cat "$WORK/stderr" >&2; exit 1
  fi
  grep '^{' <<< "$out" | cut -c2-
}
cd "$ROOT"
for precision in $PRECISIONS; do
  echo -n '{"benchmark":"study-512",' && run org.triplane.benchmarks.UNetInferenceTiming \
      study 512 512 "$BATCH" "$SLICES" "$THREADS" "$DEVICE" "$WARMUP" 0 "$precision"
  echo -n '{"benchmark":"scan-latency",' && run org.triplane.benchmarks.ScanLatency "$DEVICE" "$precision" "$SCAN_BATCH" "$THREADS"
done
