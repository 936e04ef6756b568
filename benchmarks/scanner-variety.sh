#!/usr/bin/env bash
# Atlas registration and the intracranial mask on synthetic scans with scanner variety
# (PhantomSpec.Acquisition): 12 kinds of scan, 2 each, generated and registered in-process, 2 threads.
#
#   benchmarks/scanner-variety.sh [SEED]
#
# RegistrationVariety: per scan the carried-over atlas labels' mean IoU (canonical grid, where the
# scan has data), the derived rotation's error, quality, seconds, refusals.
# IntracranialMaskKeep: per scan the share of true region voxels the mask keeps for margins 0-8 mm
# and four HU bands, the mask's volume and the scalp it takes in (mL beyond the skull).
# SKIP_BUILD=1 uses the jar as it is.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# why: seeds used nowhere else; the mask's margin was chosen on 97301, 97411 is the held-out check
SEED=${1:-97301}
# why: package, never install: the reactor build must not replace the SNAPSHOT jars in ~/.m2
[ -n "${SKIP_BUILD:-}" ] || (cd "$ROOT" && mvn -q -B -pl benchmarks -am package -DskipTests) >&2
BENCH="$ROOT/benchmarks/target/triplane-benchmarks.jar"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); seed $SEED; load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx6g -cp "$BENCH" org.triplane.benchmarks.RegistrationVariety "$SEED" 2
java -Xmx6g -cp "$BENCH" org.triplane.benchmarks.IntracranialMaskKeep "$SEED" 2
echo "end: $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
