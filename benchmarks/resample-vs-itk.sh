#!/usr/bin/env bash
# Side by side on this machine: the resample step (Java vs the ITK 5.2 reference, 2 threads each,
# each program timing its own step in-process), then the whole command
# (`./triplane rotate` vs `itk-resample --repeat 1`: read .nii.gz, resample, write .nii.gz).
# Runs are interleaved round by round so that a noisy neighbour hurts both alike.
#
#   benchmarks/resample-vs-itk.sh [ROUNDS]
#
# BASELINE_JAR=/path/to/older/triplane-benchmarks.jar adds that build's ResampleTiming to every
# round (before/after comparisons in the same conditions); SKIP_BUILD=1 uses the jars as they are.
#
# Needs Debian's libinsighttoolkit5-dev, cmake, g++, python3-nibabel (see tools/itkref/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS=${1:-3}
BUILD=${ITKREF_BUILD:-/tmp/itkref-build}
REFERENCE=${ITKREF_REFERENCE:-$ROOT/../shared/reference}
DATA=${BENCH_DATA:-/tmp/triplane-bench}
RESAMPLE=$BUILD/itk-resample/itk-resample

if [ ! -x "$RESAMPLE" ]; then
  mkdir -p "$BUILD/itk-resample-src"
  cp "$REFERENCE/itk-resample.cxx" "$REFERENCE/CMakeLists.txt" "$BUILD/itk-resample-src/"
  cmake -S "$BUILD/itk-resample-src" -B "$BUILD/itk-resample" -DCMAKE_BUILD_TYPE=Release >"$BUILD/cmake.log"
  cmake --build "$BUILD/itk-resample" -j2 >"$BUILD/build.log"
fi
mkdir -p "$DATA"
[ -f "$DATA/ct.nii.gz" ] || /usr/bin/python3 "$REFERENCE/make-test-case.py" "$DATA" >/dev/null
[ -n "${SKIP_BUILD:-}" ] || (cd "$ROOT" && mvn -q -B -pl benchmarks,cli -am install -DskipTests)
JAR="$ROOT/benchmarks/target/triplane-benchmarks.jar"

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "input: $DATA/ct.nii.gz (512x512x116 int16), $DATA/transform.txt; linear, default -1024, 2 threads"
for r in $(seq 1 "$ROUNDS"); do
  echo "--- round $r, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo -n "itk   "; "$RESAMPLE" "$DATA/ct.nii.gz" "$DATA/transform.txt" "$DATA/itk.nii.gz" --default -1024 --threads 2 --repeat 10 | grep RESAMPLE_MS
  echo -n "java  "; java -cp "$JAR" org.triplane.benchmarks.ResampleTiming "$DATA/ct.nii.gz" "$DATA/transform.txt" 2 10 5 | grep RESAMPLE_MS
  if [ -n "${BASELINE_JAR:-}" ]; then
    echo -n "base  "; java -cp "$BASELINE_JAR" org.triplane.benchmarks.ResampleTiming "$DATA/ct.nii.gz" "$DATA/transform.txt" 2 10 5 | grep RESAMPLE_MS
  fi
done
TIMEFORMAT='%R'
for r in $(seq 1 "$ROUNDS"); do
  itk=$( { time "$RESAMPLE" "$DATA/ct.nii.gz" "$DATA/transform.txt" "$DATA/itk.nii.gz" --default -1024 --threads 2 >/dev/null; } 2>&1 )
  java=$( { time "$ROOT/triplane" rotate --threads 2 --transform "$DATA/transform.txt" --default -1024 "$DATA/ct.nii.gz" "$DATA/java.nii.gz" >/dev/null; } 2>&1 )
  echo "whole command, round $r: itk-resample ${itk} s, triplane rotate ${java} s"
done
