#!/usr/bin/env bash
# The plane tasks' and the fusion task's own computing for one study-size scan, outside the services
# (BENCHMARKS.md, section 21; org.triplane.benchmarks.TaskComputeTiming): a PhantomSpec.study scan
# registered to the atlas (affinely and deformably) with its masks, then per round the three planes'
# inference on an atlas-placed model grid (small U-Net, 26 inputs) with the labels masked, and fusion's
# vote, map onto the acquired grid, region statistics and metrics. Prints one JSON line: median wall and
# process CPU seconds per phase, the networks' seconds, and a SHA-256 over every output.
#
#   benchmarks/task-compute.sh [GRID_MM] [ROUNDS] [WARMUP] [THREADS] [SEED]     (defaults 3 5 2 2 7701)
#
# Runs with the services' JIT and collector (C1 only, serial GC) and the gpu-worker's native settings.
# Needs the benchmarks module packaged (mvn -o -B package -DskipTests -pl benchmarks -am).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
if [ ! -f "$ROOT/benchmarks/target/classpath.txt" ]; then
  echo "task-compute: the benchmarks module is not packaged; run: mvn -o -B package -DskipTests -pl benchmarks -am" >&2
  exit 1
fi
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
# why: the services' JIT and collector, and the gpu-worker's allocator and OpenMP settings (gpu-worker/README.md)
export OMP_WAIT_POLICY=PASSIVE \
  GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1
exec java -Xmx3g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dai.djl.offline=true -cp "$CP" \
  org.triplane.benchmarks.TaskComputeTiming "$@"
