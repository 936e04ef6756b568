package org.triplane.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.triplane.db.results.FusedResult;

/**
 * The objects of one scan's result, by the names the download endpoint uses:
 * {@code segmentation} (fused labels on the acquired grid), {@code rotated-segmentation} (on the
 * rotated grid), {@code report} when one was written, and each per-plane prediction: plane key
 * {@code axial: {labels, confidence}} gives {@code axial-labels} and {@code axial-confidence},
 * plane key {@code axial: "<key>"} gives {@code axial}. The viewers' label tables the fusion-worker
 * stores beside each label volume come the same way, named as their volume with the table's
 * suffix: {@code segmentation.itksnap.txt}, {@code segmentation.ctbl}, {@code axial-labels.ctbl},
 * {@code atlas-labels-acquired.itksnap.txt}, …
 */
public final class ResultObjects {

    private ResultObjects() {
    }

    /**
     * @param r    the result
     * @param json reads its plane keys
     * @return name → object key, in the order above
     */
    public static Map<String, String> of(FusedResult r, ObjectMapper json) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("segmentation", r.segmentationKey());
        out.put("rotated-segmentation", r.rotatedSegmentationKey());
        if (r.reportKey() != null) {
            out.put("report", r.reportKey());
        }
        JsonNode planes;
        try {
            planes = json.readTree(r.planeKeysJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plane keys of scan " + r.scanId() + " are not JSON: " + e.getOriginalMessage(), e);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = planes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> plane = it.next();
            if (plane.getValue().isTextual()) {
                out.put(plane.getKey(), plane.getValue().asText());
            }
            for (Iterator<Map.Entry<String, JsonNode>> parts = plane.getValue().fields(); parts.hasNext(); ) {
                Map.Entry<String, JsonNode> part = parts.next();
                if (part.getValue().isTextual()) {
                    out.put(plane.getKey() + "-" + part.getKey(), part.getValue().asText());
                }
            }
        }
        return out;
    }
}
