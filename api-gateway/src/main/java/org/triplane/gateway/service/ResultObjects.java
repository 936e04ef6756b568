package org.triplane.gateway.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.triplane.db.results.FusedResult;
import org.triplane.events.ResultKeys;

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
     * @param json reads its plane keys ({@link ResultKeys})
     * @return name → object key, in the order above
     */
    public static Map<String, String> of(FusedResult r, ObjectMapper json) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("segmentation", r.segmentationKey());
        out.put("rotated-segmentation", r.rotatedSegmentationKey());
        if (r.reportKey() != null) {
            out.put("report", r.reportKey());
        }
        ResultKeys keys = ResultDocumentReader.objectKeys(r, json);
        keys.predictions().forEach((prediction, parts) -> parts.forEach((part, key) -> out.put(prediction + "-" + part, key)));
        out.putAll(keys.top());
        return out;
    }
}
