package org.triplane.gpu.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.imaging.volume.Volume;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.storage.ScratchDir;
import org.triplane.worker.storage.VolumeObjects;

/**
 * The next plane task's preprocessed volume, downloaded and decoded on a thread of its own while the
 * current task computes, so that a task on a GPU does not wait for the object store.
 *
 * <p>Bounded and accounted: one download at a time; at most two volumes held, the one of the task about
 * to run and the one of the task after it (an older one is dropped when a newer one starts), their
 * voxel bytes in {@code triplane_gpu_prefetched_bytes} and readiness. The uint8 window of a scan on
 * the study's grid is 29 MB.
 *
 * <p>Nothing about the task changes: prefetching reads one object and claims nothing, so the task
 * stays PENDING (its Kafka record uncommitted) until it runs, and a worker that dies meanwhile loses
 * nothing. A prefetch that fails is forgotten: the task fetches its volume itself, with its usual
 * handling of bad or missing objects.
 */
@ApplicationScoped
public class VolumePrefetch {
    private static final Logger LOG = Logger.getLogger(VolumePrefetch.class);
    /** The volume of the task about to run and of the one after it. */
    private static final int HELD = 2;

    /**
     * A volume fetched ahead of its task.
     *
     * @param volume  uint8, x fastest, LPS mm, as {@link VolumeObjects#fetchUInt8} reads it
     * @param seconds download and decoding, on the prefetch thread
     * @param readyAt when it was decoded
     */
    public record Prefetched(Volume volume, double seconds, Instant readyAt) {
    }

    private record Entry(String key, Future<Prefetched> future) {
    }

    private final VolumeObjects volumes;
    private final boolean enabled;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gpu-prefetch");
        t.setDaemon(true);
        return t;
    });
    private final Map<UUID, Entry> held = new LinkedHashMap<>();

    public VolumePrefetch(ObjectStore objects, GpuWorkerConfig config, MeterRegistry metrics) {
        this.volumes = new VolumeObjects(objects, config.retry().backoff());
        this.enabled = config.prefetch();
        metrics.gauge("triplane.gpu.prefetched_bytes", this, VolumePrefetch::heldBytes);
    }

    /** Whether {@code triplane.gpu.prefetch} is on. */
    public boolean enabled() {
        return enabled;
    }

    /** Voxel bytes of the volumes fetched and not yet taken by their tasks. */
    public synchronized long heldBytes() {
        long bytes = 0;
        for (Entry e : held.values()) {
            if (e.future().isDone()) {
                // why the voxel count: the volumes are uint8, one byte per voxel
                bytes += result(e).map(p -> p.volume().geometry().voxelCount()).orElse(0L);
            }
        }
        return bytes;
    }

    /** Starts fetching {@code key} for the plane task {@code taskId}; returns at once. */
    public synchronized void start(UUID taskId, String key) {
        if (!enabled || held.containsKey(taskId)) {
            return;
        }
        held.put(taskId, new Entry(key, thread.submit(() -> fetch(taskId, key))));
        Iterator<Map.Entry<UUID, Entry>> oldest = held.entrySet().iterator();
        while (held.size() > HELD) {
            oldest.next().getValue().future().cancel(true);
            oldest.remove();
        }
    }

    /**
     * The volume fetched for {@code taskId} from {@code key}, waiting for the download if it is still
     * running; empty when none was started for that task and key, or it failed.
     */
    public Optional<Prefetched> take(UUID taskId, String key) {
        Entry e;
        synchronized (this) {
            e = held.remove(taskId);
        }
        if (e == null) {
            return Optional.empty();
        }
        return e.key().equals(key) ? result(e) : Optional.empty();
    }

    /** Forgets what was fetched for {@code taskId} (a task that was not pending after all). */
    public void discard(UUID taskId) {
        Entry e;
        synchronized (this) {
            e = held.remove(taskId);
        }
        if (e != null) {
            e.future().cancel(true);
        }
    }

    private Prefetched fetch(UUID taskId, String key) throws Exception {
        long t0 = System.nanoTime();
        try (ScratchDir scratch = ScratchDir.create("prefetch-" + taskId)) {
            Volume v = volumes.fetchUInt8(key, scratch.resolve("windowed.tpvol"))
                    .orElseThrow(() -> new IllegalStateException(key + " is not in the object store"));
            Prefetched p = new Prefetched(v, (System.nanoTime() - t0) / 1e9, Instant.now());
            LOG.infof("plane task %s: volume %s fetched ahead (%d bytes, %.2f s)", taskId, key, v.geometry().voxelCount(),
                    p.seconds());
            return p;
        } catch (Exception e) {
            LOG.infof("prefetch of %s for plane task %s failed, the task will fetch it: %s", key, taskId, e.toString());
            throw e;
        }
    }

    private static Optional<Prefetched> result(Entry e) {
        try {
            return Optional.of(e.future().get());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | CancellationException failed) {
            return Optional.empty();
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
