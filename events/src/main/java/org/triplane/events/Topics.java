package org.triplane.events;

import java.util.List;

/**
 * The Kafka topics of the pipeline, shared by the services, the tests and the local stack (which
 * creates them). Partition counts bound consumer parallelism: a consumer group never has more
 * active members than its topic has partitions.
 */
public final class Topics {
    /** A new scan is stored and waits for preprocessing (one {@link ScanEvent} per scan and job). */
    public static final String SCAN_EVENTS = "triplane.scan-events";
    /** One {@link PlaneTask} per (scan, plane) for the gpu-workers. */
    public static final String PLANE_TASKS = "triplane.plane-tasks";
    /** One {@link TrainTask} per plane of a TRAIN job, for the gpu-workers. */
    public static final String TRAIN_TASKS = "triplane.train-tasks";
    /** A per-plane prediction is stored; the fusion-worker waits for all planes of a scan. */
    public static final String PLANE_RESULTS = "triplane.plane-results";
    /** Poison messages, with the reason, for a person to act on. */
    public static final String DEAD_LETTER = "triplane.dead-letter";
    /** Object-created events in MinIO's bucket-notification format (objects dropped into the bucket). */
    public static final String BUCKET_NOTIFICATIONS = "triplane.bucket-notifications";

    /** A topic and its partition count. */
    public record Spec(String name, int partitions) {
    }

    /**
     * Every topic with its partition count. Plane tasks get the most partitions: they are the
     * unit of GPU scale-out, so their count caps how many gpu-workers can share the load.
     */
    public static final List<Spec> ALL = List.of(
            new Spec(SCAN_EVENTS, 3),
            new Spec(PLANE_TASKS, 6),
            new Spec(TRAIN_TASKS, 3),
            new Spec(PLANE_RESULTS, 3),
            new Spec(DEAD_LETTER, 1),
            new Spec(BUCKET_NOTIFICATIONS, 3));

    private Topics() {
    }
}
