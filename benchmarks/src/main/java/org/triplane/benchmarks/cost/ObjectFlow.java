package org.triplane.benchmarks.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.plane.Plane;

/**
 * Which objects each stage of an evaluate job reads and writes for one scan, by their keys
 * ({@link ObjectKeys}), as the services do today with a model set that takes atlas inputs:
 * <ul>
 * <li>preprocess ({@code PreprocessService}): reads the CT and the uploaded transform; writes the windowed
 *     volume, the intracranial mask on both grids and the atlas method's labels on both grids;</li>
 * <li>each plane ({@code InferenceService}): reads the windowed volume and the mask on the rotated grid;
 *     writes its labels and confidence (the model's weights are read once per worker and cached: not counted);</li>
 * <li>fusion ({@code FusionService}): reads the three planes' labels and confidence, the atlas labels, both
 *     masks, the transform, the CT and the reference labels; writes the fused labels on both grids.</li>
 * </ul>
 * Kept beside those services by hand: a stage that starts reading or writing another object must be added here.
 */
final class ObjectFlow {
    /** The stages in pipeline order, as the report names them. */
    static final List<String> STAGES = List.of("preprocess", "axial", "coronal", "sagittal", "fusion");

    /**
     * A scan as uploaded: the keys the gateway stored its files under.
     *
     * @param transformKey the uploaded ITK transform (the benchmark's scans all have one)
     * @param labelsKey    the reference labels (an evaluate job's scans all have them)
     */
    record Scan(UUID id, String ctKey, String transformKey, String labelsKey) {
    }

    /** @param reads keys read, once per read @param writes keys written */
    record Io(List<String> reads, List<String> writes) {
    }

    private ObjectFlow() {
    }

    /** @return stage → what it reads and writes for this scan, in {@link #STAGES} order */
    static Map<String, Io> of(UUID tenant, UUID job, Scan scan) {
        UUID s = scan.id();
        String windowed = ObjectKeys.preprocessed(tenant, s);
        String maskRotated = ObjectKeys.intracranialMaskRotated(tenant, s);
        String maskAcquired = ObjectKeys.intracranialMaskAcquired(tenant, s);
        String atlas = ObjectKeys.atlasLabels(tenant, job, s);
        Map<String, Io> flow = new LinkedHashMap<>();
        flow.put("preprocess", new Io(List.of(scan.ctKey(), scan.transformKey()),
                List.of(windowed, maskRotated, maskAcquired, atlas, ObjectKeys.atlasLabelsAcquired(tenant, job, s))));
        List<String> fusionReads = new ArrayList<>();
        for (Plane p : List.of(Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL)) {
            List<String> outputs = List.of(ObjectKeys.planeLabels(tenant, job, s, p), ObjectKeys.planeConfidence(tenant, job, s, p));
            flow.put(p.wireName(), new Io(List.of(windowed, maskRotated), outputs));
            fusionReads.addAll(outputs);
        }
        fusionReads.addAll(List.of(atlas, maskRotated, maskAcquired, scan.transformKey(), scan.ctKey(), scan.labelsKey()));
        flow.put("fusion", new Io(fusionReads,
                List.of(ObjectKeys.fusedLabelsRotated(tenant, job, s), ObjectKeys.fusedLabelsAcquired(tenant, job, s))));
        return flow;
    }
}
