#!/usr/bin/env bash
# Trains the model set that ships in models/default, through the local stack exactly as a user's
# TRAIN job runs, evaluates it on held-out scans, and writes the folder with how it was made and
# what it measured:
#
#   tools/train-default-model-set.sh [OUT_DIR]        (default: models/default)
#
# Data: synthetic scans from `triplane phantom`, seeds used nowhere else in the project, with
# scanner variety (slice thickness 2.5 and 5 mm, a head off-centre, a vertex cut, noise). Held out:
# three scans on the study's grid (0.45 × 0.45 × 1.25 mm) and three on a coarse grid (0.9 × 0.9 ×
# 5 mm), from other seeds; the learned vote's weights are fitted on two scans of each of those grids
# from a third pair of seeds. The recipe: the `small` U-Net per plane with atlas inputs following each
# scan's deformable registration, on a 1.5 mm model grid in atlas space, Tversky plus
# cross-entropy, the best of EPOCHS epochs on a validation scan (split by scan).
#
# Environment: EPOCHS (2), DATA (scratch folder, default .triplane/default-model-set), SKIP_BUILD=1
# to use the jars as they are, INPUTS (atlas; midline or window train the comparison without atlas
# inputs, on a 1.5 mm grid over the scan's field of view). The stack is started if it is not running,
# and then stopped when the script ends, however it ends; a stack already running is left running.
# About 35 minutes on 2 cores.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/models/default}")"
DATA="$(realpath -m "${DATA:-$ROOT/.triplane/default-model-set}")"
EPOCHS=${EPOCHS:-2}
INPUTS=${INPUTS:-atlas}
CLI=(java -jar "$ROOT/cli/target/triplane-cli.jar")
TRAIN_SEED=61001
HELD_OUT_SEED=61901
FIT_SEED=61801

# why: package, never install: the reactor build must not replace the SNAPSHOT jars in ~/.m2
[ -n "${SKIP_BUILD:-}" ] || (cd "$ROOT" && mvn -q -B -pl cli,api-gateway,preprocess-worker,gpu-worker,fusion-worker -am \
    package -DskipTests) >&2

rm -rf "$DATA"
mkdir -p "$DATA/parts" "$DATA/train" "$DATA/held-out" "$DATA/fit"
n=0
# gather NAME's scans into DIR, numbered on from the count in DIR
gather() {
    local from=$1 into=$2 count
    count=$(find "$into" -name '*-seg.nii.gz' | wc -l)
    for seg in "$from"/*-seg.nii.gz; do
        local i=${seg##*/}; i=${i%-seg.nii.gz}
        count=$((count + 1))
        mv "$from/$i.nii.gz" "$into/$count.nii.gz"
        mv "$from/$i.txt" "$into/$count.txt"
        mv "$seg" "$into/$count-seg.nii.gz"
    done
}
phantom() {
    local name=$1; shift
    "${CLI[@]}" phantom --out "$DATA/parts/$name" "$@" >/dev/null
}
echo "[1/5] synthetic scans" >&2
phantom mid --count 5 --seed $TRAIN_SEED --spacing 0.9 0.9 2.5 --fov 230 230 150
phantom thick --count 3 --seed $((TRAIN_SEED + 2)) --spacing 0.9 0.9 5 --fov 230 230 150 --noise 3 8
phantom offset --count 2 --seed $((TRAIN_SEED + 4)) --spacing 0.9 0.9 2.5 --fov 230 230 150 --head-offset 30 -15
phantom vertex --count 2 --seed $((TRAIN_SEED + 6)) --spacing 0.9 0.9 2.5 --fov 230 230 150 --vertex-cut 20
for part in mid thick offset vertex; do gather "$DATA/parts/$part" "$DATA/train"; done
phantom study --count 3 --seed $HELD_OUT_SEED
phantom coarse --count 3 --seed $((HELD_OUT_SEED + 2)) --spacing 0.9 0.9 5 --fov 230 230 150
for part in study coarse; do gather "$DATA/parts/$part" "$DATA/held-out"; done
phantom fit-study --count 2 --seed $FIT_SEED
phantom fit-coarse --count 2 --seed $((FIT_SEED + 2)) --spacing 0.9 0.9 5 --fov 230 230 150
for part in fit-study fit-coarse; do gather "$DATA/parts/$part" "$DATA/fit"; done

echo "[2/5] local stack" >&2
# why: a stack this script started is stopped when it ends, however it ends; one already running is left so
if ! "${CLI[@]}" stack status 2>/dev/null | grep -q '"gateway":{"state":"running"'; then
    trap '"${CLI[@]}" stack down >&2' EXIT
fi
"${CLI[@]}" stack up >&2

echo "[3/5] TRAIN job ($EPOCHS epochs per plane)" >&2
PARAMS=(--param inputs="$INPUTS" --param gridSpacingMm=1.5 --param preset=small
        --param epochs="$EPOCHS" --param validationScans=1 --param seed=42 --param crossEntropyWeight=1.0)
# why: the registration a network's atlas inputs follow; without atlas inputs there is none to name
[ "$INPUTS" != atlas ] || PARAMS+=(--param atlasRegistration=deformable)
TRAIN_JOB=$("${CLI[@]}" submit "$DATA/train" --kind train "${PARAMS[@]}")
"${CLI[@]}" watch "$TRAIN_JOB" >&2

SET=$("${CLI[@]}" models --json --limit 1000 | python3 -c '
import json, sys
models = json.load(sys.stdin)
print(next(m["modelSetId"] for m in models if m.get("trainingJobId") == sys.argv[1]))' "$TRAIN_JOB")

echo "[4/5] the learned vote: EVALUATE job on the fit scans, weights fitted and recorded" >&2
FIT_JOB=$("${CLI[@]}" submit "$DATA/fit" --kind evaluate --model-set "$SET")
"${CLI[@]}" watch "$FIT_JOB" >&2
"${CLI[@]}" model-set fit-fusion "$SET" --from-job "$FIT_JOB" >&2

echo "[5/5] EVALUATE jobs on the held-out scans: majority vote and learned vote" >&2
EVAL_JOB=$("${CLI[@]}" submit "$DATA/held-out" --kind evaluate --model-set "$SET")
"${CLI[@]}" watch "$EVAL_JOB" >&2
"${CLI[@]}" fetch "$EVAL_JOB" --out "$DATA/evaluation" >&2
LEARNED_JOB=$("${CLI[@]}" submit "$DATA/held-out" --kind evaluate --model-set "$SET" --param fusion=learned)
"${CLI[@]}" watch "$LEARNED_JOB" >&2
"${CLI[@]}" fetch "$LEARNED_JOB" --out "$DATA/evaluation-learned" >&2

python3 - "$DATA/evaluation/metrics.json" "$DATA/evaluation-learned/metrics.json" "$DATA/metrics.json" "$EVAL_JOB" \
    "$LEARNED_JOB" "$FIT_JOB" <<'PY'
import json, sys
# pooled over the scans: per prediction and region, IoU = ΣTP / (ΣTP + ΣFP + ΣFN); then the mean over the 20 regions
def pooled(rows, rename=None):
    sums = {}
    for r in rows:
        if r["classLabel"] == 0:
            continue
        p = r["plane"].lower()
        p = (rename or {}).get(p, p)
        s = sums.setdefault(p, {}).setdefault(r["region"], [0, 0, 0])
        s[0] += r["tp"]; s[1] += r["fp"]; s[2] += r["fn"]
    return {p: {region: tp / (tp + fp + fn) if tp + fp + fn else 1.0 for region, (tp, fp, fn) in regions.items()}
            for p, regions in sums.items()}
iou = pooled(json.load(open(sys.argv[1])))
learned = pooled(json.load(open(sys.argv[2])), {"fused": "fused-learned"})
iou["fused-learned"] = learned["fused-learned"]
out = {"evaluationJob": sys.argv[4], "learnedEvaluationJob": sys.argv[5], "fusionFitJob": sys.argv[6],
       "heldOut": "3 study-grid scans (seed 61901) and 3 coarse-grid scans (seed 61903)",
       "fusionFit": "2 study-grid scans (seed 61801) and 2 coarse-grid scans (seed 61803)",
       "meanIoU": {p: sum(v.values()) / len(v) for p, v in iou.items()},
       "worstRegionIoU": {p: min(v.values()) for p, v in iou.items()},
       "regionIoU": iou}
json.dump(out, open(sys.argv[3], "w"), indent=2)
print(json.dumps(out, indent=2))
PY

echo "export to $OUT" >&2
COMMIT=$(git -C "$ROOT" rev-parse HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo "+uncommitted")
cat > "$DATA/training.json" <<EOF
{"command": "tools/train-default-model-set.sh", "gitCommit": "$COMMIT", "epochs": $EPOCHS, "trainingSeeds": {"mid": $TRAIN_SEED,
 "thick": $((TRAIN_SEED + 2)), "offset": $((TRAIN_SEED + 4)), "vertex": $((TRAIN_SEED + 6))},
 "heldOutSeeds": {"study": $HELD_OUT_SEED, "coarse": $((HELD_OUT_SEED + 2))},
 "fusionFitSeeds": {"study": $FIT_SEED, "coarse": $((FIT_SEED + 2))}, "fusionFitJob": "$FIT_JOB",
 "dataGeneration": "triplane phantom: 5 scans 0.9x0.9x2.5 mm, 3 scans 0.9x0.9x5 mm noise 3-8 HU, 2 with the head 30/-15 mm off-centre, 2 with a 20 mm vertex cut; fov 230x230x150 mm",
 "trainJob": "$TRAIN_JOB", "parameters": "$(printf '%s ' "${PARAMS[@]}")"}
EOF
"${CLI[@]}" model-set export "$SET" --out "$OUT" --name default --training "$DATA/training.json" --metrics "$DATA/metrics.json" >&2
du -sh "$OUT" >&2
echo "$OUT"
