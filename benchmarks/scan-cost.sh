#!/usr/bin/env bash
# The per-scan cost of the pipeline on the local stack (BENCHMARKS.md, section 19): N study-size
# synthetic scans (512x512x110 with transform files and labels) uploaded once, a model set trained for
# the purpose (TRAIN job: small U-Net per plane, atlas inputs, 3 mm model grid, 1 epoch), then per
# gpu-worker count a warm-up evaluate job and the measured evaluate job of all N scans
# (org.triplane.benchmarks.cost.ScanCostRun). Reports per stage (preprocess, each plane, fusion) and
# per scan: CPU seconds of every process of the stack (/proc utime + stime over the job), the tasks'
# recorded wall seconds by phase (download, upload, networks, other computing), the codec's CPU
# (each object decoded and compressed again), bytes read and written — both also for the same objects as
# gzip NIfTI read with a counting inflation, as every volume was stored before volume objects — and scans per hour.
#
#   benchmarks/scan-cost.sh [--scans N] [--gpu-workers 1,2] [--train-scans N] [--warmup N] [--seed S] [--out DIR]
#
#   --scans N          study-size scans in each measured evaluate job (default 8)
#   --gpu-workers L    comma-separated gpu-worker counts, one measured job each, the stack growing
#                      between them (default 1,2)
#   --train-scans N    scans the model set is trained on, one of them validating (default 2)
#   --warmup N         scans per gpu-worker in a warm-up job before each measured job (default 1; 0: none)
#   --seed S           the synthetic scans' seed (default 7701)
#   --out DIR          scans, report (scan-cost.txt, scan-cost.json) and the stack's data
#                      (default /tmp/triplane-scan-cost)
#
# Needs the services and the benchmarks module packaged (mvn -o -B package -DskipTests). Starts its own
# stack in OUT/stack on its own ports (TRIPLANE_PG_PORT etc., default 25432, 29092/29093, 28080, 28088,
# 28090, 28092 and 28192..., 28094), so that it does not meet a developer's stack, and stops it at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
for module in api-gateway preprocess-worker gpu-worker fusion-worker; do
  if [ ! -f "$ROOT/$module/target/quarkus-app/quarkus-run.jar" ]; then
    echo "scan-cost: $module is not built; run: mvn -o -B package -DskipTests" >&2
    exit 1
  fi
done
if [ ! -f "$ROOT/benchmarks/target/classpath.txt" ]; then
  echo "scan-cost: the benchmarks module is not packaged; run: mvn -o -B package -DskipTests" >&2
  exit 1
fi
export TRIPLANE_PG_PORT=${TRIPLANE_PG_PORT:-25432} TRIPLANE_KAFKA_PORT=${TRIPLANE_KAFKA_PORT:-29092} \
  TRIPLANE_KAFKA_CONTROLLER_PORT=${TRIPLANE_KAFKA_CONTROLLER_PORT:-29093} TRIPLANE_S3_PORT=${TRIPLANE_S3_PORT:-28080} \
  TRIPLANE_GATEWAY_PORT=${TRIPLANE_GATEWAY_PORT:-28088} TRIPLANE_WORKER_PORT=${TRIPLANE_WORKER_PORT:-28090} \
  TRIPLANE_GPU_PORT=${TRIPLANE_GPU_PORT:-28092} TRIPLANE_FUSION_PORT=${TRIPLANE_FUSION_PORT:-28094} \
  TRIPLANE_SERVICES_HOME="$ROOT"
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
# why: the services' JIT and collector (C1 only, serial GC), so that the codec replayed here costs what it costs there
exec java -Xmx2g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dscan-cost.commit="$COMMIT" -cp "$CP" \
  org.triplane.benchmarks.cost.ScanCostRun --clock-ticks "$(getconf CLK_TCK)" "$@"
