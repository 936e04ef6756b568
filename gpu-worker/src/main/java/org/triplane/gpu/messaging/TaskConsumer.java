package org.triplane.gpu.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.triplane.events.ObjectKeys;
import org.triplane.events.PlaneTask;
import org.triplane.events.Topics;
import org.triplane.events.TrainTask;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.gpu.device.DeviceGate;
import org.triplane.gpu.service.InferenceService;
import org.triplane.gpu.service.TrainingService;
import org.triplane.gpu.service.VolumePrefetch;
import org.triplane.messaging.EventCodec;
import org.triplane.worker.config.KafkaConfig;
import org.triplane.worker.messaging.CommittingConsumer;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.messaging.WorkerConsumer;
import org.triplane.worker.run.WorkerIdentity;

/**
 * The gpu-worker's Kafka consumer: plane tasks and train tasks (or only the kinds configured in
 * {@code triplane.gpu.tasks}, {@link TaskTopics}), one at a time. An event only
 * names its task; the task row decides: a task that is not PENDING (already done, or running on
 * another worker) is skipped, which makes redelivered events harmless. A record that cannot be
 * decoded becomes a dead letter with the reason (nothing in it can be retried). While a task runs, the
 * next plane task's volume is fetched ({@link VolumePrefetch}; its record is held, not committed, and the
 * task not claimed until it runs). A worker without its
 * device ({@link DeviceGate}) never joins the group, so its share of the partitions goes to the others.
 */
@ApplicationScoped
public class TaskConsumer extends WorkerConsumer {
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);

    private final List<String> topics;
    private final CommittingConsumer consumer;
    private final EventCodec codec = new EventCodec();
    private final InferenceService inference;
    private final TrainingService training;
    private final String worker;
    private final DeadLetters deadLetters;
    private final DeviceGate device;
    private final VolumePrefetch prefetch;

    public TaskConsumer(KafkaConfig kafka, GpuWorkerConfig config, InferenceService inference, TrainingService training,
                        WorkerIdentity identity, DeadLetters deadLetters, DeviceGate device, VolumePrefetch prefetch) {
        this.inference = inference;
        this.prefetch = prefetch;
        this.device = device;
        this.deadLetters = deadLetters;
        this.training = training;
        this.worker = identity.id();
        this.topics = TaskTopics.of(config.tasks());
        this.consumer = new CommittingConsumer(kafka, config.consumerGroup(), topics, this::handle, "gpu-consumer",
                prefetch.enabled() ? this::upcoming : null);
    }

    @Override
    protected CommittingConsumer consumer() {
        return consumer;
    }

    @Override
    protected boolean mayStart() {
        if (!device.status().usable()) {
            return false; // why: DeviceGate has said why; claiming a task here would only fail it or run it on the wrong device
        }
        LOG.infof("taking tasks from %s", String.join(" and ", topics));
        return true;
    }

    private void handle(ConsumerRecord<String, String> r) {
        if (Topics.PLANE_TASKS.equals(r.topic())) {
            PlaneTask t;
            try {
                t = codec.decodePlaneTask(r.value());
            } catch (RuntimeException e) {
                deadLetter(r, e);
                return;
            }
            inference.claimAndRun(t.taskId(), t.rotatedToAtlas(), worker)
                    .ifPresentOrElse(o -> { }, () -> LOG.debugf("plane task %s is not pending, skipped", t.taskId()));
            prefetch.discard(t.taskId()); // why: a task that was not pending leaves its volume unused
        } else {
            TrainTask t;
            try {
                t = codec.decode(r.topic(), r.value(), TrainTask.class);
            } catch (RuntimeException e) {
                deadLetter(r, e);
                return;
            }
            training.claimAndRun(t.taskId(), worker)
                    .ifPresentOrElse(o -> { }, () -> LOG.debugf("train task %s is not pending, skipped", t.taskId()));
        }
    }

    /**
     * The record after the one about to be handled: a plane task's volume is fetched meanwhile. Its key
     * is the one the task's row names ({@link ObjectKeys#preprocessed}); a record that cannot be decoded
     * is left to {@link #handle}, which dead-letters it.
     */
    private void upcoming(ConsumerRecord<String, String> r) {
        if (!Topics.PLANE_TASKS.equals(r.topic())) {
            return;
        }
        PlaneTask t;
        try {
            t = codec.decodePlaneTask(r.value());
        } catch (RuntimeException e) {
            return;
        }
        prefetch.start(t.taskId(), ObjectKeys.preprocessed(t.tenantId(), t.scanId()));
    }

    private void deadLetter(ConsumerRecord<String, String> r, RuntimeException e) {
        deadLetters.message(r, "undecodable record: " + e.getMessage());
    }
}
