#!/usr/bin/env bash
# Time the ITK reference resampler on a full-size CT, as the yardstick for the
# Java resampler's performance.
#
#   bench.sh [ct.nii.gz transform.txt]
#
# Without arguments a 512x512x116 int16 head CT and its transform are created
# with the shared make-test-case.py in a temporary folder.  Runs linear
# interpolation, default -1024, 2 threads, 5 repeats inside one process, and
# prints itk-resample's RESAMPLE_MS line (filter->Update() only, min/median of
# the repeats) and the wall time of the whole command (reading, 5 resamples,
# writing the .nii.gz).
#
# Environment: ITK_RESAMPLE (binary; default: built into $ITKREF_BUILD like
# regenerate.sh does), ITKREF_BUILD (default /tmp/itkref-build),
# ITKREF_REFERENCE (default ../shared/reference beside the repository).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${ITKREF_BUILD:-/tmp/itkref-build}
REFERENCE=${ITKREF_REFERENCE:-$HERE/../../../shared/reference}
PYTHON=${PYTHON:-/usr/bin/python3}
RESAMPLE=${ITK_RESAMPLE:-$BUILD/itk-resample/itk-resample}

if [ ! -x "$RESAMPLE" ]; then
  mkdir -p "$BUILD/itk-resample-src"
  cp "$REFERENCE/itk-resample.cxx" "$REFERENCE/CMakeLists.txt" "$BUILD/itk-resample-src/"
  cmake -S "$BUILD/itk-resample-src" -B "$BUILD/itk-resample" -DCMAKE_BUILD_TYPE=Release >"$BUILD/cmake-itk-resample.log"
  cmake --build "$BUILD/itk-resample" -j2 >"$BUILD/build-itk-resample.log"
  RESAMPLE="$BUILD/itk-resample/itk-resample"
fi

TMP=$(mktemp -d /tmp/itkref-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

if [ $# -ge 2 ]; then
  CT=$1
  TX=$2
else
  "$PYTHON" "$REFERENCE/make-test-case.py" "$TMP" >/dev/null
  CT=$TMP/ct.nii.gz
  TX=$TMP/transform.txt
fi

echo "input: $CT"
echo "transform: $TX"
echo "cpus: $(nproc)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
TIMEFORMAT='WALL_S %R (whole command: read, 5 resamples, write .nii.gz)'
time "$RESAMPLE" "$CT" "$TX" "$TMP/out_lin.nii.gz" --default -1024 --threads 2 --repeat 5 >"$TMP/log.txt"
grep -E '^resample time|^RESAMPLE_MS' "$TMP/log.txt"
