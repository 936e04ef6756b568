package org.triplane.preprocess.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.triplane.db.Task;
import org.triplane.messaging.BucketNotification;
import org.triplane.messaging.EventDecodingException;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.preprocess.service.DropRegistrar;
import org.triplane.preprocess.service.PreprocessService;
import org.triplane.worker.messaging.DeadLetter;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.WorkerIdentity;
import org.triplane.worker.storage.ObjectStore;

/**
 * MinIO bucket notifications (keys URL-decoded by {@link BucketNotification#parse}). Only created
 * objects of an {@link IncomingDrop} count; everything else in the bucket (the pipeline's own
 * uploads) is ignored. The notification of whichever of the two files lands second registers the
 * scan; redeliveries and the other file's notification find it registered and do nothing.
 */
@ApplicationScoped
public class IncomingObjectHandler {
    private static final Logger LOG = Logger.getLogger(IncomingObjectHandler.class);

    private final DropRegistrar registrar;
    private final PreprocessService service;
    private final DeadLetters deadLetters;
    private final ObjectStore objects;
    private final WorkerConfig config;
    private final WorkerIdentity identity;
    private final Backoff backoff;

    public IncomingObjectHandler(DropRegistrar registrar, PreprocessService service, DeadLetters deadLetters,
                                 ObjectStore objects, WorkerConfig config, WorkerIdentity identity) {
        this.registrar = registrar;
        this.service = service;
        this.deadLetters = deadLetters;
        this.objects = objects;
        this.config = config;
        this.identity = identity;
        this.backoff = config.retry().backoff();
    }

    public void handle(ConsumerRecord<String, String> record) {
        BucketNotification n;
        try {
            n = BucketNotification.parse(record.value());
        } catch (EventDecodingException e) {
            deadLetter(record, "unreadable bucket notification: " + e.getMessage());
            return;
        }
        Set<IncomingDrop> drops = new LinkedHashSet<>();
        for (BucketNotification.ObjectEvent o : n.objectsCreated()) {
            if (o.bucket().equals(objects.bucket())) {
                IncomingDrop.of(o.key()).ifPresent(drops::add);
            }
        }
        for (IncomingDrop drop : drops) {
            Optional<Task> task;
            try {
                task = registrar.register(drop.tenantId(), drop.ctKey(), drop.transformKey(), drop.eventId());
            } catch (PoisonInputException | IllegalArgumentException e) {
                deadLetter(record, "drop " + drop.folder() + " refused: " + e.getMessage());
                continue;
            }
            if (task.isEmpty()) {
                LOG.infof("drop %s incomplete or already registered", drop.folder());
                continue;
            }
            backoff.call("claim " + task.get().id(), () -> service.claimAndRun(task.get().id()));
        }
    }

    private void deadLetter(ConsumerRecord<String, String> record, String reason) {
        backoff.run("dead letter", () -> deadLetters.publish(new DeadLetter(config.consumerName(), identity.id(), reason,
                record.topic(), record.partition(), record.offset(), null, null, null, null, record.value(), Instant.now())));
    }
}
