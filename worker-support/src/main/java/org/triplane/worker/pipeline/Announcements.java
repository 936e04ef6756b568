package org.triplane.worker.pipeline;

import java.util.List;
import org.triplane.events.PlaneTask;
import org.triplane.events.TrainTask;

/**
 * The events a completed preprocess task appended to the outbox: plane tasks for a SEGMENT or
 * EVALUATE job's scan, train tasks when the last scan of a TRAIN job is done (otherwise none).
 *
 * @param planeTasks one per plane of the scan, or empty
 * @param trainTasks one per plane (and fold) of the TRAIN job, or empty
 */
public record Announcements(List<PlaneTask> planeTasks, List<TrainTask> trainTasks) {
    public Announcements {
        planeTasks = List.copyOf(planeTasks);
        trainTasks = List.copyOf(trainTasks);
    }
}
