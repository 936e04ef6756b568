package org.triplane.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.triplane.imaging.labels.ViewerLabelTable;
import org.triplane.imaging.plane.Plane;

/**
 * The object keys a scan's result records beside its fused labels (the JSON document of
 * {@code results.plane_keys}): per prediction ({@code axial}, {@code coronal}, {@code sagittal},
 * {@code atlas}) its parts by name — {@code labels}, {@code confidence}, the atlas method's
 * {@code labels-acquired}, and beside every label volume the viewers' tables, named as the volume's
 * part with the table's suffix ({@code labels.itksnap.txt}, {@code labels.ctbl}) — and, at the top,
 * the fused labels' tables ({@code segmentation.ctbl}, {@code rotated-segmentation.ctbl}, …).
 *
 * <p>Plain data, like every record here: {@link #toMap()} is the stored document's shape for a JSON
 * mapper to write and {@link #fromMap(Map)} reads one back, so the fusion-worker that writes it and
 * the gateway that lists a result's objects from it share this one definition.
 *
 * @param predictions prediction name → part name → object key, in stored order
 * @param top         name → object key of the objects named at the top level: the fused labels'
 *                    tables (and, in the oldest results, a plane's one key under the plane's name)
 */
public record ResultKeys(Map<String, Map<String, String>> predictions, Map<String, String> top) {

    /** The order is kept; the maps cannot be changed. */
    public ResultKeys {
        Map<String, Map<String, String>> p = new LinkedHashMap<>();
        predictions.forEach((name, parts) -> p.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(parts))));
        predictions = Collections.unmodifiableMap(p);
        top = Collections.unmodifiableMap(new LinkedHashMap<>(top));
    }

    /**
     * A label volume of a scan's result, by where its keys are named: {@code part} of
     * {@code prediction}, or at the top without one.
     *
     * @param prediction a prediction's name ({@code axial}, …, {@code atlas}), or {@code null} for the fused labels
     * @param part       its name there ({@code labels}, {@code labels-acquired}), or the result's download name of
     *                   the fused labels ({@code segmentation}, {@code rotated-segmentation})
     * @param key        its object key
     */
    public record LabelVolume(String prediction, String part, String key) {
    }

    /**
     * Every label volume of a scan's result, on both grids: the fused labels, each plane's and the
     * atlas method's. Each has the viewers' tables beside it ({@link ViewerLabelTable}).
     */
    public static List<LabelVolume> labelVolumes(UUID tenantId, UUID jobId, UUID scanId) {
        List<LabelVolume> out = new ArrayList<>();
        out.add(new LabelVolume(null, "segmentation", ObjectKeys.fusedLabelsAcquired(tenantId, jobId, scanId)));
        out.add(new LabelVolume(null, "rotated-segmentation", ObjectKeys.fusedLabelsRotated(tenantId, jobId, scanId)));
        for (Plane p : Plane.values()) {
            out.add(new LabelVolume(p.wireName(), "labels", ObjectKeys.planeLabels(tenantId, jobId, scanId, p)));
        }
        out.add(new LabelVolume(ObjectKeys.ATLAS, "labels", ObjectKeys.atlasLabels(tenantId, jobId, scanId)));
        out.add(new LabelVolume(ObjectKeys.ATLAS, "labels-acquired", ObjectKeys.atlasLabelsAcquired(tenantId, jobId, scanId)));
        return List.copyOf(out);
    }

    /**
     * The keys of a scan's result as the fusion-worker stores its objects: the planes' predictions
     * that were fused and the atlas method's on both grids, and beside every label volume of
     * {@link #labelVolumes} its viewers' tables.
     */
    public static ResultKeys of(UUID tenantId, UUID jobId, UUID scanId) {
        Map<String, Map<String, String>> predictions = new LinkedHashMap<>();
        for (Plane p : Plane.values()) {
            Map<String, String> parts = predictions.computeIfAbsent(p.wireName(), n -> new LinkedHashMap<>());
            parts.put("labels", ObjectKeys.planeLabels(tenantId, jobId, scanId, p));
            parts.put("confidence", ObjectKeys.planeConfidence(tenantId, jobId, scanId, p));
        }
        Map<String, String> atlas = predictions.computeIfAbsent(ObjectKeys.ATLAS, n -> new LinkedHashMap<>());
        atlas.put("labels", ObjectKeys.atlasLabels(tenantId, jobId, scanId));
        atlas.put("labels-acquired", ObjectKeys.atlasLabelsAcquired(tenantId, jobId, scanId));
        Map<String, String> top = new LinkedHashMap<>();
        for (LabelVolume v : labelVolumes(tenantId, jobId, scanId)) {
            Map<String, String> holder = v.prediction() == null ? top : predictions.get(v.prediction());
            for (ViewerLabelTable table : ViewerLabelTable.values()) {
                holder.put(v.part() + table.suffix(), ObjectKeys.labelTable(v.key(), table.suffix()));
            }
        }
        return new ResultKeys(predictions, top);
    }

    /** The stored document's shape: each prediction an object of its parts, then the top-level names. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>(predictions);
        out.putAll(top);
        return out;
    }

    /**
     * The keys of a stored document, as a JSON mapper reads it into maps.
     *
     * @param document name → an object of part → key, or name → key
     * @throws IllegalArgumentException for any other value, naming where it is
     */
    public static ResultKeys fromMap(Map<String, ?> document) {
        Map<String, Map<String, String>> predictions = new LinkedHashMap<>();
        Map<String, String> top = new LinkedHashMap<>();
        document.forEach((name, value) -> {
            if (value instanceof String key) {
                top.put(name, key);
            } else if (value instanceof Map<?, ?> parts) {
                Map<String, String> p = new LinkedHashMap<>();
                parts.forEach((part, key) -> {
                    if (!(key instanceof String k)) {
                        throw new IllegalArgumentException(name + "." + part + ": an object key is a string, got " + key);
                    }
                    p.put(String.valueOf(part), k);
                });
                predictions.put(name, p);
            } else {
                throw new IllegalArgumentException(name + ": an object key or an object of them, got " + value);
            }
        });
        return new ResultKeys(predictions, top);
    }
}
