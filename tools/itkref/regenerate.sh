#!/usr/bin/env bash
# Regenerate the ITK golden fixtures in imaging/src/test/resources/itkref/.
#
# 1. builds the reference resampler (itk-resample, shared sources) and
#    itk-info (this folder) against Debian's ITK 5.2,
# 2. writes the small input volumes + transforms with make-fixtures.py,
# 3. resamples every case with itk-resample (--threads 2) into <case>.expected.nii.gz,
# 4. checks each expected output (geometry == input geometry, output datatype,
#    some but not too many voxels at the default value) and writes cases.json,
# 5. replaces the fixture folder with the new files.
#
# Environment (all optional):
#   ITKREF_BUILD      build/work dir                       (default /tmp/itkref-build)
#   ITKREF_REFERENCE  folder with itk-resample.cxx + CMakeLists.txt (default ../shared/reference beside the repository)
#   ITKREF_DEST       fixture folder to (re)write          (default <repo>/imaging/src/test/resources/itkref)
#   PYTHON            python with numpy + nibabel          (default /usr/bin/python3)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${ITKREF_BUILD:-/tmp/itkref-build}
REFERENCE=${ITKREF_REFERENCE:-$HERE/../../../shared/reference}
DEST=${ITKREF_DEST:-$REPO/imaging/src/test/resources/itkref}
PYTHON=${PYTHON:-/usr/bin/python3}
JOBS=${JOBS:-2}

mkdir -p "$BUILD"

# ---- build -----------------------------------------------------------------
# The reference sources are copied so the build never writes next to them
# (the shared folder is read-only).
mkdir -p "$BUILD/itk-resample-src"
cp "$REFERENCE/itk-resample.cxx" "$REFERENCE/CMakeLists.txt" "$BUILD/itk-resample-src/"
cmake -S "$BUILD/itk-resample-src" -B "$BUILD/itk-resample" -DCMAKE_BUILD_TYPE=Release >"$BUILD/cmake-itk-resample.log"
cmake --build "$BUILD/itk-resample" -j"$JOBS" >"$BUILD/build-itk-resample.log"
cmake -S "$HERE" -B "$BUILD/itk-info" -DCMAKE_BUILD_TYPE=Release >"$BUILD/cmake-itk-info.log"
cmake --build "$BUILD/itk-info" -j"$JOBS" >"$BUILD/build-itk-info.log"
RESAMPLE="$BUILD/itk-resample/itk-resample"
INFO="$BUILD/itk-info/itk-info"

# ---- inputs + transforms ----------------------------------------------------
STAGE="$BUILD/fixtures"
rm -rf "$STAGE" "$BUILD/info" "$BUILD/logs"
mkdir -p "$STAGE" "$BUILD/info" "$BUILD/logs"
"$PYTHON" "$HERE/make-fixtures.py" "$STAGE" --plan "$BUILD/plan.tsv"

# ---- reference runs ------------------------------------------------------------
while IFS=$'\t' read -r name input transform nearest inverse default otype note; do
  [ -n "$name" ] || continue
  args=("$STAGE/$input" "$STAGE/$transform" "$STAGE/$name.expected.nii.gz" --default "$default" --threads 2)
  [ "$nearest" = 1 ] && args+=(--nearest)
  [ "$inverse" = 1 ] && args+=(--inverse)
  [ "$otype" != auto ] && args+=(--type "$otype")
  if ! "$RESAMPLE" "${args[@]}" >"$BUILD/logs/$name.log" 2>&1; then
    echo "itk-resample failed for $name:" >&2
    cat "$BUILD/logs/$name.log" >&2
    exit 1
  fi
  "$INFO" "$STAGE/$input" >"$BUILD/info/$name.input.json"
  "$INFO" "$STAGE/$name.expected.nii.gz" >"$BUILD/info/$name.expected.json"
  echo "resampled $name"
done <"$BUILD/plan.tsv"

# ---- checks + manifest --------------------------------------------------------
"$PYTHON" - "$BUILD/plan.tsv" "$BUILD/info" "$BUILD/logs" "$STAGE" <<'PY'
import json, os, re, sys
import numpy as np
import nibabel as nib

plan_fn, info_dir, log_dir, stage = sys.argv[1:5]

# ITK component type name -> NIfTI datatype name used in the manifest
DT = {"uchar": "uint8", "char": "int8", "ushort": "uint16", "short": "int16", "uint": "uint32",
      "int": "int32", "float": "float32", "double": "float64"}

def load(fn):
    with open(fn) as f:
        return json.load(f)

def rot(ax, a):
    co, si = np.cos(a), np.sin(a)
    if ax == 0:
        return np.array([[1, 0, 0], [0, co, -si], [0, si, co]])
    if ax == 1:
        return np.array([[co, 0, si], [0, 1, 0], [-si, 0, co]])
    return np.array([[co, -si, 0], [si, co, 0], [0, 0, 1]])

def read_transform(fn):
    """(class, M, t, c) with T(x) = M (x - c) + t + c."""
    f = {}
    for l in open(fn):
        if ":" in l and not l.startswith("#"):
            k, v = l.split(":", 1)
            f[k.strip()] = v.split()
    cls = f["Transform"][0]
    p = np.array([float(v) for v in f["Parameters"]])
    fp = np.array([float(v) for v in f["FixedParameters"]])
    if cls.startswith("Euler3DTransform"):
        ax, ay, az = p[:3]
        zyx = len(fp) > 3 and fp[3] != 0
        M = rot(2, az) @ rot(1, ay) @ rot(0, ax) if zyx else rot(2, az) @ rot(0, ax) @ rot(1, ay)
        return cls, M, p[3:6], fp[:3]
    return cls, p[:9].reshape(3, 3), p[9:12], fp[:3]

def num(v):
    v = float(v)
    return int(v) if v.is_integer() else v

cases, problems = [], []
for line in open(plan_fn):
    if not line.strip():
        continue
    name, inp, tx, nearest, inverse, default, otype, note = line.rstrip("\n").split("\t")
    gi = load(os.path.join(info_dir, name + ".input.json"))
    ge = load(os.path.join(info_dir, name + ".expected.json"))
    expected = name + ".expected.nii.gz"

    # The output is written on the input's own grid.  The NIfTI writer stores
    # spacing/origin/direction in float32 (and re-orthogonalises the
    # direction), so the round trip is only equal to float precision.
    if gi["dims"] != ge["dims"]:
        problems.append("%s: dims %s != %s" % (name, ge["dims"], gi["dims"]))
    for key, tol in (("spacing", 1e-6), ("origin", 1e-5), ("direction", 1e-6)):
        d = np.max(np.abs(np.array(gi[key]) - np.array(ge[key])))
        if d > tol:
            problems.append("%s: %s differs by %g" % (name, key, d))

    # What pixel type did itk-resample process/write?  (its log says it)
    ptype = None
    for l in open(os.path.join(log_dir, name + ".log")):
        if "processing pixel type:" in l:
            ptype = l.rsplit(":", 1)[1].strip()
    img = nib.load(os.path.join(stage, expected))
    on_disk = img.header.get_data_dtype().name
    if DT.get(ptype) != on_disk or DT.get(ge["componentType"]) != on_disk:
        problems.append("%s: datatype mismatch: processed %s, file %s, itk-info %s"
                        % (name, ptype, on_disk, ge["componentType"]))

    # Independent check of geometry + transform: predict which output voxels
    # map outside the input (ITK inside test: -0.5 <= cidx < n - 0.5) and
    # require the default value there; also require that the case really
    # exercises the default value but keeps most of the volume inside.
    tclass, M, t, c = read_transform(os.path.join(stage, tx))
    if inverse == "1":
        Mi = np.linalg.inv(M)
        M, t = Mi, -Mi @ t          # T^-1(x) = M^-1 (x - t - c) + c, same centre
    n = np.array(gi["dims"])
    A = np.array(gi["direction"]).reshape(3, 3) @ np.diag(gi["spacing"])
    O = np.array(gi["origin"])
    idx = np.stack(np.meshgrid(*[np.arange(k, dtype=np.float64) for k in n], indexing="ij"), -1).reshape(-1, 3)
    x = idx @ A.T + O
    y = (x - c) @ M.T + t + c
    cidx = (y - O) @ np.linalg.inv(A).T
    eps = 1e-6
    outside = np.any((cidx < -0.5 - eps) | (cidx >= n - 0.5 + eps), axis=1)
    data = np.asanyarray(img.dataobj).reshape(-1)  # C order, same as idx
    dflt = np.array(float(default)).astype(data.dtype)
    frac = float(np.mean(outside))
    if not (0.02 < frac < 0.6):
        problems.append("%s: %.1f%% of the voxels map outside the input" % (name, 100 * frac))
    bad = int(np.sum(data[outside] != dflt))
    if bad:
        problems.append("%s: %d voxels predicted outside do not hold the default %r" % (name, bad, float(dflt)))
    cases.append({
        "name": name,
        "input": inp,
        "transform": tx,
        "nearest": nearest == "1",
        "inverse": inverse == "1",
        "defaultValue": num(default),
        "expected": expected,
        "expectedDatatype": on_disk,
        "geometry": gi,
        "note": note,
        "transformClass": tclass,
        "outputType": ptype,
    })
    print("%-30s %-8s %5.1f%% of the voxels outside the input" % (name, on_disk, 100 * frac))

if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
# indent=2, but number arrays kept on one line so the manifest stays readable
text = json.dumps(cases, indent=2)
text = re.sub(r"\[\s+([-+0-9.eE,\s]*?)\s+\]", lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
assert json.loads(text) == cases
with open(os.path.join(stage, "cases.json"), "w") as f:
    f.write(text + "\n")
PY

# ---- install -----------------------------------------------------------------
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$STAGE"/*.nii "$STAGE"/*.nii.gz "$STAGE"/*.txt "$STAGE"/cases.json "$DEST/"
echo "fixtures in $DEST: $(ls "$DEST" | wc -l) files, $(du -sh "$DEST" | cut -f1)"
