package org.triplane.gateway.rest;

import java.util.UUID;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.MetricPlane;
import org.triplane.gateway.service.RequestRejected;

/** Query parameters parsed with a 400 naming the parameter (JAX-RS would answer 404 for a bad query value). */
final class Params {

    private Params() {
    }

    /** @param name parameter @param value its text or {@code null} @return the UUID, or {@code null} when absent */
    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest(name, "not a UUID: " + value);
        }
    }

    /** @param name parameter @param value its text @return the UUID @throws RequestRejected 400 when absent or bad */
    static UUID requiredUuid(String name, String value) {
        UUID id = uuid(name, value);
        if (id == null) {
            throw RequestRejected.badRequest(name, "required: a UUID");
        }
        return id;
    }

    /** @param value axial, coronal, sagittal, atlas or fused (any case), or {@code null} @return the prediction or {@code null} */
    static MetricPlane plane(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return MetricPlane.fromWireName(value.strip());
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest("plane", "unknown plane '" + value + "': axial, coronal, sagittal, atlas or fused");
        }
    }

    /** @param value a class label 0..20 or {@code null} @return it, or {@code null} */
    static Integer classLabel(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int label = Integer.parseInt(value.strip());
            if (label < 0 || label > ClassMetric.MAX_CLASS) {
                throw new NumberFormatException();
            }
            return label;
        } catch (NumberFormatException e) {
            throw RequestRejected.badRequest("class", "not a class label 0.." + ClassMetric.MAX_CLASS + ": " + value);
        }
    }
}
