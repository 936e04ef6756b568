package org.triplane.gateway.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.triplane.objectstore.ObjectStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.plane.Plane;
import org.triplane.objectstore.ObjectStoreException;

/**
 * A report's rendered overlay images kept in the object store beside the job's results
 * ({@link ObjectKeys#reportOverlay}), so that a scan is rendered once for every replica and every
 * restart: the images first, then their index, whose presence means all images are there. A
 * finished job's results never change, so neither do its images.
 */
final class OverlayObjects {

    private static final Logger LOG = Logger.getLogger(OverlayObjects.class);

    private final ObjectStore objects;
    private final ObjectMapper json;

    OverlayObjects(ObjectStore objects, ObjectMapper json) {
        this.objects = objects;
        this.json = json;
    }

    /** @return the scan's stored overlays, or empty when they were never stored completely */
    Optional<Map<Plane, List<OverlayRenderer.Overlay>>> load(UUID tenantId, UUID jobId, UUID scanId) {
        Optional<byte[]> index = bytes(ObjectKeys.reportOverlayIndex(tenantId, jobId, scanId));
        if (index.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode root = json.readTree(index.get());
            Map<Plane, List<OverlayRenderer.Overlay>> out = new EnumMap<>(Plane.class);
            for (Plane plane : Plane.values()) {
                JsonNode entries = root.path(wire(plane));
                List<OverlayRenderer.Overlay> list = new ArrayList<>();
                for (int i = 0; i < entries.size(); i++) {
                    JsonNode e = entries.get(i);
                    String key = ObjectKeys.reportOverlay(tenantId, jobId, scanId, events(plane), i);
                    byte[] png = bytes(key).orElseThrow(() -> new IllegalStateException("overlay " + key
                            + " is listed in its index but missing from the store"));
                    list.add(new OverlayRenderer.Overlay(plane, e.path("slice").asInt(), e.path("fraction").asDouble(),
                            e.path("width").asInt(), e.path("height").asInt(), png));
                }
                out.put(plane, List.copyOf(list));
            }
            return Optional.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the stored overlays of scan " + scanId + " in job " + jobId, e);
        }
    }

    /**
     * Stores the overlays; a failure is logged and not thrown, since the caller has the images to
     * answer with and the next request renders them again.
     */
    void store(UUID tenantId, UUID jobId, UUID scanId, Map<Plane, List<OverlayRenderer.Overlay>> overlays) {
        try {
            ObjectNode index = json.createObjectNode();
            for (Map.Entry<Plane, List<OverlayRenderer.Overlay>> e : overlays.entrySet()) {
                ArrayNode entries = index.putArray(wire(e.getKey()));
                for (int i = 0; i < e.getValue().size(); i++) {
                    OverlayRenderer.Overlay o = e.getValue().get(i);
                    objects.put(ObjectKeys.reportOverlay(tenantId, jobId, scanId, events(e.getKey()), i), o.png(), "image/png");
                    entries.addObject().put("slice", o.slice()).put("fraction", o.fraction()).put("width", o.width())
                            .put("height", o.height());
                }
            }
            objects.put(ObjectKeys.reportOverlayIndex(tenantId, jobId, scanId), json.writeValueAsBytes(index),
                    "application/json");
        } catch (IOException | ObjectStoreException e) {
            LOG.warnf("overlays of scan %s in job %s not kept in the object store (rendered again next time): %s",
                    scanId, jobId, e.getMessage());
        }
    }

    private Optional<byte[]> bytes(String key) {
        Optional<InputStream> in = objects.get(key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            return Optional.of(stream.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key, e);
        }
    }

    private static String wire(Plane plane) {
        return plane.name().toLowerCase(Locale.ROOT);
    }

    private static Plane events(Plane plane) {
        return plane;
    }
}
