#!/usr/bin/env bash
# A scan without N.txt through the local stack, checked against the ITK 5.2 reference program:
# submit (segment job) → watch → fetch; the fetched scan record must name the transform as derived
# (method, quality), and so must the job's audit; then ITK's itk-resample applies the downloaded
# transform.txt to the original CT (linear, default −1024 HU, the CT's own grid: what the
# preprocess-worker does) and the result, windowed exactly as the worker windows (the scan's HU
# window, Window.toByte of the float32 value), is compared voxel by voxel with the rotated volume
# the worker stored (windowed-u8.tpvol, a volume object: VolumeObjectFormat, read from the local
# stack's object store: the gateway does not serve it). Also compares ITK's float32 output with `triplane rotate --transform` on
# the same files. Prints PASS or FAIL and exits 0 or 1.
#
#   benchmarks/derived-transform-vs-itk.sh [CT.nii.gz]
#
# Without CT a synthetic study-grid scan is made (`triplane phantom`, seed 97601) and its N.txt and
# labels removed: the CT alone, as a user has it. A segment job needs a model set: MODEL_SET=ID
# uses that one, else the one an earlier run left in $DATA/model-set.txt, else a tiny one is
# trained first as a TRAIN job (tiny preset, 1 epoch, 8 mm grid, two 64×64×28 phantoms; a few
# seconds). The stack is started when its gateway is not running and stopped again at the end
# (KEEP_STACK=1 leaves it up). SKIP_BUILD=1 uses the jars as they are; BENCH_DATA sets the
# scratch folder; ITKREF_BUILD the folder with (or for) the reference build, ITK_RESAMPLE an
# itk-resample built elsewhere.
#
# Needs Debian's libinsighttoolkit5-dev, cmake, g++, python3-nibabel, python3-lz4 (see tools/itkref/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CT_IN=${1:-}
BUILD=${ITKREF_BUILD:-/tmp/itkref-build}
REFERENCE=${ITKREF_REFERENCE:-$ROOT/../shared/reference}
DATA=${BENCH_DATA:-/tmp/triplane-derived-transform}
STACK_DIR=${TRIPLANE_STACK_DIR:-$ROOT/.triplane/stack}
RESAMPLE=${ITK_RESAMPLE:-$BUILD/itk-resample/itk-resample}
# why: seeds used nowhere else in the project
SCAN_SEED=97601
TRAIN_SEED=97603

if [ ! -x "$RESAMPLE" ]; then
  mkdir -p "$BUILD/itk-resample-src"
  cp "$REFERENCE/itk-resample.cxx" "$REFERENCE/CMakeLists.txt" "$BUILD/itk-resample-src/"
  cmake -S "$BUILD/itk-resample-src" -B "$BUILD/itk-resample" -DCMAKE_BUILD_TYPE=Release >"$BUILD/cmake.log"
  cmake --build "$BUILD/itk-resample" -j2 >"$BUILD/build.log"
fi
# why: package, never install: the reactor build must not replace the SNAPSHOT jars in ~/.m2
[ -n "${SKIP_BUILD:-}" ] || (cd "$ROOT" && mvn -q -B \
  -pl cli,api-gateway,preprocess-worker,gpu-worker,fusion-worker -am package -DskipTests) >&2
CLI="$ROOT/cli/target/triplane-cli.jar"
# why: the jar itself rather than ./triplane, whose rebuild on changed sources is an `mvn install`
triplane() { java -jar "$CLI" "$@"; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
prop() { sed -n "s/^$2=//p" "$1" | sed 's/\\:/:/g' | head -1; }

rm -rf "$DATA/scan" "$DATA/fetched" "$DATA/itk" && mkdir -p "$DATA/scan" "$DATA/itk"
if [ -n "$CT_IN" ]; then
  cp "$CT_IN" "$DATA/scan/1.nii.gz"
else
  [ -f "$DATA/phantom/1.nii.gz" ] || triplane phantom --out "$DATA/phantom" --count 1 --seed $SCAN_SEED >/dev/null 2>&1
  cp "$DATA/phantom/1.nii.gz" "$DATA/scan/1.nii.gz"   # the CT alone: no 1.txt, no 1-seg.nii.gz
fi
CT="$DATA/scan/1.nii.gz"

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $CT ($(ls "$DATA/scan" | tr '\n' ' ')), ${CT_IN:-phantom seed $SCAN_SEED}"

STARTED=
gateway_state() { triplane stack status 2>/dev/null | json "d.get('gateway',{}).get('state','')" || true; }
if [ "$(gateway_state)" != running ]; then
  triplane stack up >&2
  STARTED=1
fi
stop() { [ -z "$STARTED" ] || [ -n "${KEEP_STACK:-}" ] || triplane stack down >&2 || true; }
trap stop EXIT
GATEWAY=$(prop "$STACK_DIR/stack.properties" gateway.url)

api() {  # GET a gateway path as the CLI's tenant
  curl -sf --max-time 30 -H "X-Api-Key: $(prop "$STACK_DIR/cli-tenant.properties" api-key)" "$GATEWAY$1"
}

MODEL=${MODEL_SET:-}
if [ -z "$MODEL" ] && [ -f "$DATA/model-set.txt" ]; then
  MODEL=$(cat "$DATA/model-set.txt")
  # why: the stack's data may have been removed since the earlier run
  triplane models --json | grep -q "$MODEL" || MODEL=
fi
if [ -z "$MODEL" ]; then
  rm -rf "$DATA/train" && triplane phantom --out "$DATA/train" --count 2 --seed $TRAIN_SEED \
    --size 64 64 28 --spacing 3.6 3.6 5 >/dev/null 2>&1
  train=$(triplane submit "$DATA/train" --kind train --param preset=tiny --param epochs=1 \
    --param gridSpacingMm=8 --param 'fieldOfViewMm=[256,256,160]' --param validationScans=1 \
    --param seed=$TRAIN_SEED --param modelSetName="derived-transform-check-$(date +%s)")
  triplane watch "$train" >&2
  MODEL=$(api "/api/v1/jobs/$train" | json "d['modelSetId']")
  echo "$MODEL" >"$DATA/model-set.txt"
  echo "model set: $MODEL (trained by job $train)"
else
  echo "model set: $MODEL (given or from an earlier run)"
fi

t0=$(date +%s.%N)
submitted=$(triplane submit "$DATA/scan" --kind segment --model-set "$MODEL" --json)
JOB=$(json "d['jobId']" <<<"$submitted")
# why: a CT this tenant uploaded before is reused, and its worker then rotates through the derived file it
# stored then (read back) instead of deriving it again; say which, a fresh stack data dir gives "uploaded"
upload=$(json "d['scans'][0]['status']" <<<"$submitted")
triplane watch "$JOB" >&2 || { echo "FAIL: segment job $JOB did not succeed (triplane watch exit $?)"; exit 1; }
triplane fetch "$JOB" --out "$DATA/fetched" >&2 || { echo "FAIL: triplane fetch $JOB exit $?"; exit 1; }
t_job=$(echo "$(date +%s.%N) - $t0" | bc -l | xargs printf '%.0f')
SCAN_DIR=$(dirname "$(ls "$DATA"/fetched/scans/*/transform.txt | head -1)")
SCAN=$(basename "$SCAN_DIR")
echo "job: $JOB (segment, submit → watch → fetch ${t_job} s), scan $SCAN ($upload)"

# The scan record as fetched and the job's audit must both name the transform as derived.
origin=$(json "d['transformOrigin']" <"$SCAN_DIR/scan.json")
method=$(json "d['registration']['method']" <"$SCAN_DIR/scan.json")
quality=$(json "d['registration']['quality']" <"$SCAN_DIR/scan.json")
api "/api/v1/jobs/$JOB/audit" >"$DATA/audit.json"
audit=$(json "' '.join('%s %s %s' % (s['scan']['transformOrigin'], s['scan']['registration']['method'],
  s['scan']['registration']['quality']) for s in d['scans'])" <"$DATA/audit.json")
state=$(json "d['job']['state']" <"$DATA/audit.json")
echo "scan.json: transformOrigin=$origin method=$method quality=$quality; audit: job $state, scan $audit"
echo "transform.txt: $(grep -E '^(Parameters|FixedParameters)' "$SCAN_DIR/transform.txt" | tr '\n' ' ')"
# why: the worker windows with the scan's HU window and never clamps high (ScanRecords.window)
window=$(json "'%s %s false' % (d['window']['lowHu'], d['window']['highHu'])" <"$SCAN_DIR/scan.json")

TENANT=$(prop "$STACK_DIR/cli-tenant.properties" tenant.id)
# why: the gateway serves no preprocessed volume; the local store keeps each object as a file
STORED="$STACK_DIR/objectstore/blobs/triplane/tenants/$TENANT/scans/$SCAN/preprocessed/windowed-u8.tpvol"
[ -f "$STORED" ] || { echo "FAIL: no stored rotated volume at $STORED"; exit 1; }
"$RESAMPLE" "$CT" "$SCAN_DIR/transform.txt" "$DATA/itk/itk-float.nii.gz" --default -1024 --threads 2 \
  >"$DATA/itk/itk-resample.log"
triplane rotate --threads 2 --transform "$SCAN_DIR/transform.txt" --default -1024 "$CT" \
  "$DATA/itk/java-float.nii.gz" >/dev/null

/usr/bin/python3 - "$STORED" "$DATA/itk/itk-float.nii.gz" "$DATA/itk/java-float.nii.gz" $window \
  "$origin" "$method" "$quality" "$state" "$audit" <<'EOF'
import sys
import struct
import lz4.block
import nibabel as nib
import numpy as np


class VolumeObject:
    """A uint8 volume object (VolumeObjectFormat): array (nx, ny, nz) and nibabel's RAS affine."""

    def __init__(self, path):
        data = open(path, "rb").read()
        assert data[:8] == b"TPVOLUME" and struct.unpack_from("<HH", data, 8) == (1, 2), path
        n = struct.unpack_from("<3i", data, 12)
        spacing, origin, direction = (np.array(struct.unpack_from("<%dd" % k, data, at))
                                      for k, at in ((3, 24), (3, 48), (9, 72)))
        payload = struct.unpack_from("<q", data, 144)[0]
        voxels = lz4.block.decompress(data[152:152 + payload], uncompressed_size=n[0] * n[1] * n[2])
        # x fastest: index = i + nx * (j + ny * k)
        self.dataobj = np.frombuffer(voxels, np.uint8).reshape(n[2], n[1], n[0]).transpose(2, 1, 0)
        lps = np.eye(4)
        lps[:3, :3] = direction.reshape(3, 3) @ np.diag(spacing)
        lps[:3, 3] = origin
        self.affine = np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps


stored_f, itk_f, java_f, low, high, clamp, origin, method, quality, state, audit = sys.argv[1:12]
low, high, clamp = float(low), float(high), clamp == "true"
stored = VolumeObject(stored_f)
itk, java = (nib.load(f) for f in (itk_f, java_f))
s = np.asarray(stored.dataobj)
f = np.asarray(itk.dataobj)
j = np.asarray(java.dataobj)
assert f.dtype == np.float32 and j.dtype == np.float32, (f.dtype, j.dtype)
# Window.toByte of the float32 value, as WindowedRotation does
hu = f.astype(np.float64)
inside = (hu >= low) & (hu <= high)
top = int(np.floor(high - low + 0.5)) if clamp else 0
w = np.where(inside, np.floor(hu - low + 0.5), np.where(hu > high, top, 0)).astype(np.int64)

grid = s.shape == f.shape and np.allclose(stored.affine, itk.affine, atol=1e-4)
d = np.abs(s.astype(np.int64) - w)
df = np.abs(j.astype(np.float64) - hu)
n = s.size
print(f"stored rotated volume: {stored_f.split('/blobs/')[-1]} {s.dtype} {s.shape}; window [{low:g}, {high:g}]"
      f"{' clamp-high' if clamp else ''}; grid {'same as' if grid else 'DIFFERS from'} ITK's output "
      f"(affine max |Δ| {np.abs(stored.affine - itk.affine).max():.2e} mm)")
print(f"worker bytes vs ITK windowed: max |diff| {d.max()}, {int((d > 0).sum())} of {n} voxels differ "
      f"({int(inside.sum())} inside the window)")
print(f"triplane rotate vs ITK (float32 HU): max |diff| {df.max():g}, {int((df > 0).sum())} of {n} voxels differ")
checks = {"derived origin": origin == "derived" and audit.split()[0] == "derived",
          "method and quality recorded": method != "None" and 0 < float(quality) <= 1
                                         and audit.split()[1:] == [method, quality],
          "job succeeded": state == "SUCCEEDED", "same grid": grid,
          "stored bytes = ITK": grid and d.max() == 0, "float32 = ITK": df.max() == 0}
failed = [k for k, ok in checks.items() if not ok]
print(("PASS" if not failed else "FAIL") + ": derived transform from the stack, applied by ITK's itk-resample, "
      + ("reproduces the worker's rotated volume exactly" if not failed else "failed: " + ", ".join(failed)))
sys.exit(1 if failed else 0)
EOF
