package org.triplane.worker.messaging;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.outbox.Outbox;
import org.triplane.db.outbox.OutboxMessage;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.tasks.Task;
import org.triplane.events.PlaneTask;
import org.triplane.events.Topics;
import org.triplane.events.TrainTask;
import org.triplane.imaging.plane.Plane;
import org.triplane.messaging.EventCodec;

/**
 * The events that hand a task to the gpu-workers, appended to the outbox inside the caller's
 * transaction (the relay publishes them): a {@link PlaneTask} per plane task, a {@link TrainTask}
 * per TRAIN task.
 */
public final class TaskEvents {
    private final EventCodec codec = new EventCodec();

    /**
     * @param volumeKey object key of the scan's preprocessed volume (uint8 window bytes, x fastest)
     * @param grid      its grid (LPS mm)
     * @param window    the HU window its bytes encode
     * @param atlas     the scan's atlas registration (its rotated-scan → atlas map goes into the event),
     *                  or {@code null} when the scan has none
     */
    public PlaneTask appendPlaneTask(Connection c, Task planeTask, String volumeKey, ScanGeometry grid, HuWindow window,
                                     ScanRegistration atlas) throws SQLException {
        PlaneTask event = new PlaneTask(PlaneTask.VERSION, UUID.randomUUID(), planeTask.tenantId(), planeTask.jobId(),
                planeTask.scanId(), planeTask.id(), planeTask.plane(), volumeKey,
                grid.dims().stream().mapToInt(Integer::intValue).toArray(), doubles(grid.spacingMm()),
                doubles(grid.originMm()), doubles(grid.direction()), window.lowHu(), window.highHu(), Instant.now(),
                atlas == null ? null : doubles(atlas.rotatedToAtlas()));
        Outbox.append(c, new OutboxMessage("job:" + planeTask.jobId(), Topics.PLANE_TASKS, event.key(),
                codec.encode(event)));
        return event;
    }

    public TrainTask appendTrainTask(Connection c, Task trainTask) throws SQLException {
        TrainTask event = new TrainTask(TrainTask.VERSION, UUID.randomUUID(), trainTask.tenantId(), trainTask.jobId(),
                trainTask.id(), trainTask.plane(), Instant.now(), trainTask.fold());
        Outbox.append(c, new OutboxMessage("job:" + trainTask.jobId(), Topics.TRAIN_TASKS, event.key(),
                codec.encode(event)));
        return event;
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
