#!/usr/bin/env bash
# A bounded load run on loopback (BENCHMARKS.md, section 17): the whole local stack (gateway and
# one worker of each kind, at their stated heaps), several tenants at once each uploading its
# study-size synthetic CTs (the CT alone), submitting one segment job per scan with the default
# model set, following its jobs and reading every finished job's report and nine overlay images
# while later jobs run (org.triplane.benchmarks.load.LoadRun). Prints per kind of request the
# count, statuses and p50 / p95 / max latency, checks that every job completed exactly once, and
# reads the gateway's peak heap from its GC log. Exits non-zero on any 5xx or a job not completed
# exactly once.
#
#   benchmarks/load-tenants.sh [TENANTS] [SCANS_PER_TENANT]      # default 4 × 10
#
# Needs the services and the command line built (./triplane --version once) and the benchmarks
# module packaged (mvn -o -pl benchmarks -am package -DskipTests). Uses its own data directory
# (OUT, default /tmp/triplane-load) and the stack's usual ports, so no other local stack may run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TENANTS=${1:-4}
PER_TENANT=${2:-10}
OUT=${OUT:-/tmp/triplane-load}
CLI=(java -jar "$ROOT/cli/target/triplane-cli.jar")
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"

rm -rf "$OUT"
mkdir -p "$OUT/scans" "$OUT/gc"
for t in $(seq 1 "$TENANTS"); do
  "${CLI[@]}" phantom --out "$OUT/scans/t$t" --count "$PER_TENANT" --seed $((7700 + t)) >/dev/null 2>&1
done
export TRIPLANE_STACK_DIR="$OUT/stack"
# why: every JVM the stack starts writes its own GC log (%p: its pid), from which the gateway's peak heap is read
JAVA_TOOL_OPTIONS="-Xlog:gc:file=$OUT/gc/gc-%p.log" "${CLI[@]}" stack up >"$OUT/stack-up.json"
trap '"${CLI[@]}" stack down >/dev/null 2>&1 || true' EXIT
TOKEN=$(sed -n 's/^gateway.admin-token=//p' "$OUT/stack/stack.properties")
GATEWAY_PID=$("${CLI[@]}" stack status | python3 -c 'import json,sys; print(json.load(sys.stdin)["gateway"]["pid"])')

status=0
java -cp "$CP" org.triplane.benchmarks.load.LoadRun http://127.0.0.1:18088 "$TOKEN" "$OUT/scans" "$TENANTS" \
    | tee "$OUT/load.txt" || status=$?
# the largest heap in use before any collection: "GC(n) Pause Young (...) 120M->30M(384M)"
python3 - "$OUT/gc/gc-$GATEWAY_PID.log" <<'PY' | tee -a "$OUT/load.txt"
import re, sys
peak, size, n = 0, 0, 0
for line in open(sys.argv[1]):
    m = re.search(r"(\d+)M->(\d+)M\((\d+)M\)", line)
    if m:
        n += 1
        peak = max(peak, int(m.group(1)))
        size = max(size, int(m.group(3)))
print(f"gateway heap: peak in use {peak} MiB before a collection, largest heap size {size} MiB, {n} collections")
PY
exit $status
