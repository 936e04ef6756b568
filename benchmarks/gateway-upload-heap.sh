#!/usr/bin/env bash
# The api-gateway's heap while it accepts thin-slice head CTs (BENCHMARKS.md, section 15): runs
# LargeUploadIT (the local stack's servers on free ports, the packaged gateway with the stack's JVM
# options and heap, StackConfig.GATEWAY_MAX_HEAP) for each slice count, uploading a synthetic
# 512×512×N int16 CT with its uint8 labels; the peak heap is read from the gateway's GC log
# between two forced full collections. Prints the table (target/upload-heap.tsv) on stdout;
# Maven's output goes to stderr.
#
#   benchmarks/gateway-upload-heap.sh [SLICES] [MAVEN FLAGS...]
#   benchmarks/gateway-upload-heap.sh 110,300,600 -o
#   benchmarks/gateway-upload-heap.sh 600 -o -Dupload.deidentify=false   # a tenant storing uploads as sent
#
# GATEWAY_JAR runs another build of the gateway (e.g. an older commit's quarkus-run.jar) under the
# same test: its row is recorded before the test checks the answer, so a refused upload still has one.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SLICES=${1:-110,300,600}
shift || true
JAR_FLAG=()
if [ -n "${GATEWAY_JAR:-}" ]; then
  JAR_FLAG=(-Dgateway.jar="$GATEWAY_JAR")
fi
rm -f "$ROOT/api-gateway/target/upload-heap.tsv"
status=0
(cd "$ROOT" && mvn -q -B "$@" -pl api-gateway -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=LargeUploadIT -Dfailsafe.failIfNoSpecifiedTests=false -Dupload.slices="$SLICES" "${JAR_FLAG[@]}") >&2 || status=$?
cat "$ROOT/api-gateway/target/upload-heap.tsv"
exit $status
