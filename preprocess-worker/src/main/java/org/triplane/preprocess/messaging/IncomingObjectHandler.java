package org.triplane.preprocess.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.triplane.db.tasks.Task;
import org.triplane.messaging.BucketNotification;
import org.triplane.messaging.EventDecodingException;
import org.triplane.objectstore.MissingObjectException;
import org.triplane.objectstore.ObjectStore;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.preprocess.service.DropRegistrar;
import org.triplane.preprocess.service.PreprocessService;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;

/**
 * MinIO bucket notifications (keys URL-decoded by {@link BucketNotification#parse}). Only created
 * objects of an {@link IncomingDrop} count; everything else in the bucket (the pipeline's own
 * uploads) is ignored. The notification of whichever of the two files lands second registers the
 * scan; redeliveries and the other file's notification find it registered and do nothing. A
 * notification that cannot be read, or whose drops are refused, becomes one dead letter naming every
 * refused drop (no job exists to fail).
 */
@ApplicationScoped
public class IncomingObjectHandler {
    private static final Logger LOG = Logger.getLogger(IncomingObjectHandler.class);

    private final DropRegistrar registrar;
    private final PreprocessService service;
    private final DeadLetters deadLetters;
    private final ObjectStore objects;
    private final Backoff backoff;

    public IncomingObjectHandler(DropRegistrar registrar, PreprocessService service, DeadLetters deadLetters,
                                 ObjectStore objects, WorkerConfig config) {
        this.registrar = registrar;
        this.service = service;
        this.deadLetters = deadLetters;
        this.objects = objects;
        this.backoff = config.retry().backoff();
    }

    public void handle(ConsumerRecord<String, String> record) {
        BucketNotification n;
        try {
            n = BucketNotification.parse(record.value());
        } catch (EventDecodingException e) {
            deadLetters.message(record, "unreadable bucket notification: " + e.getMessage());
            return;
        }
        Set<IncomingDrop> drops = new LinkedHashSet<>();
        for (BucketNotification.ObjectEvent o : n.objectsCreated()) {
            if (o.bucket().equals(objects.bucket())) {
                IncomingDrop.of(o.key()).ifPresent(drops::add);
            }
        }
        List<String> refused = new ArrayList<>();
        List<Task> registered = new ArrayList<>();
        for (IncomingDrop drop : drops) {
            Optional<Task> task;
            try {
                task = registrar.register(drop.tenantId(), drop.ctKey(), drop.transformKey(), drop.eventId());
            } catch (PoisonInputException | MissingObjectException | IllegalArgumentException e) {
                refused.add("drop " + drop.folder() + " refused: " + e.getMessage());
                continue;
            }
            task.ifPresentOrElse(registered::add, () -> LOG.infof("drop %s incomplete or already registered", drop.folder()));
        }
        // why one letter for all refused drops: the letter's key is the message, so a redelivery finds it whole
        if (!refused.isEmpty()) {
            deadLetters.message(record, String.join("; ", refused));
        }
        for (Task task : registered) {
            backoff.call("claim " + task.id(), () -> service.claimAndRun(task.id()));
        }
    }
}
