package org.triplane.gateway.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.triplane.imaging.plane.Plane;

/**
 * The rendered overlays of the most recently viewed scans. A finished job's results never change,
 * so an entry never goes stale; the cache only bounds memory. The browser asks for a scan's nine
 * images at once: the first request renders all of them, the others wait for that one rendering.
 * Callers check the tenant's access before asking.
 */
final class OverlayCache {

    private final Map<Key, FutureTask<Map<Plane, List<OverlayRenderer.Overlay>>>> entries;

    /** @param capacity scans kept */
    OverlayCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("triplane.report.overlay-cache-scans: at least 1, got " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, FutureTask<Map<Plane, List<OverlayRenderer.Overlay>>>> e) {
                return size() > capacity;
            }
        };
    }

    private record Key(UUID jobId, UUID scanId) {
    }

    /**
     * @param jobId  the job
     * @param scanId the scan
     * @param render renders every overlay of the scan when they are not cached
     * @return the scan's overlays
     */
    Map<Plane, List<OverlayRenderer.Overlay>> get(UUID jobId, UUID scanId,
                                                  Supplier<Map<Plane, List<OverlayRenderer.Overlay>>> render) {
        Key key = new Key(jobId, scanId);
        FutureTask<Map<Plane, List<OverlayRenderer.Overlay>>> task;
        boolean mine = false;
        synchronized (entries) {
            task = entries.get(key);
            if (task == null) {
                task = new FutureTask<>(render::get);
                entries.put(key, task);
                mine = true;
            }
        }
        if (mine) {
            task.run();
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            synchronized (entries) {
                // why: a failed rendering (store briefly down) must not stay cached
                entries.remove(key, task);
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("rendering overlays of scan " + scanId + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while overlays of scan " + scanId + " were rendered", e);
        }
    }
}
