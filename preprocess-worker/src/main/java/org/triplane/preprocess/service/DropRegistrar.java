package org.triplane.preprocess.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tasks.Task;
import org.triplane.imaging.checksum.Sha256;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.InvalidTransformException;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.volume.Geometry;
import org.triplane.objectstore.ObjectStore;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.WorkerIdentity;
import org.triplane.worker.storage.ScratchDir;

/**
 * Turns a complete drop (CT and transform both present) into a scan record, a SEGMENT job and a
 * preprocess task, the way the gateway would have: checksums and sizes of the objects as they are
 * now, the CT's geometry from its header, the parsed transform.
 */
@ApplicationScoped
public class DropRegistrar {
    /** Code version recorded on jobs this worker creates. */
    static final String CODE_VERSION = "preprocess-worker";

    private final ObjectStore objects;
    private final TaskLedger ledger;
    private final WorkerConfig config;
    private final WorkerIdentity identity;
    private final Backoff backoff;

    public DropRegistrar(ObjectStore objects, TaskLedger ledger, WorkerConfig config, WorkerIdentity identity) {
        this.objects = objects;
        this.ledger = ledger;
        this.config = config;
        this.identity = identity;
        this.backoff = config.retry().backoff();
    }

    /**
     * @param ctKey        the drop's CT
     * @param transformKey the transform beside it
     * @param tenantId     owner
     * @param eventId      the drop's id in processed_events
     * @return the preprocess task to run, or empty when the drop is incomplete or already registered
     */
    public Optional<Task> register(UUID tenantId, String ctKey, String transformKey, String eventId) {
        Optional<Long> ctSize = backoff.call("stat " + ctKey, () -> objects.size(ctKey));
        Optional<Long> tSize = backoff.call("stat " + transformKey, () -> objects.size(transformKey));
        if (ctSize.isEmpty() || tSize.isEmpty()) {
            return Optional.empty();
        }
        try (ScratchDir dir = ScratchDir.create("drop")) {
            Path ct = dir.resolve("ct.nii.gz");
            Path tf = dir.resolve("transform.txt");
            backoff.run("download " + ctKey, () -> objects.download(ctKey, ct));
            backoff.run("download " + transformKey, () -> objects.download(transformKey, tf));
            Geometry g = header(ct);
            AffineTransform t = transform(tf);
            NewScan scan = NewScan.builder().setTenantId(tenantId)
                    .setCt(new StoredObject(ctKey, Sha256.of(ct), Files.size(ct)))
                    .setGeometry(ScanRecords.geometry(g))
                    .optTransform(new StoredObject(transformKey, Sha256.of(tf), Files.size(tf)), ScanRecords.transform(t))
                    .optWindow(HuWindow.BRAIN).build();
            return backoff.call("register " + eventId,
                    () -> ledger.registerDrop(config.consumerName(), eventId, scan, CODE_VERSION, identity.id()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Geometry header(Path ct) throws IOException {
        try {
            return NiftiReader.readHeader(ct).geometry();
        } catch (InvalidImageException e) {
            throw new PoisonInputException("dropped CT is not a readable NIfTI volume: " + e.problem(), e);
        }
    }

    private static AffineTransform transform(Path tf) throws IOException {
        try {
            AffineTransform t = ItkTransformFile.read(tf);
            if (t == null || !t.isRotation(WindowedVolumeMaker.ROTATION_TOLERANCE)) {
                throw new PoisonInputException("dropped transform is not a rotation");
            }
            return t;
        } catch (InvalidTransformException e) {
            throw new PoisonInputException("dropped transform file is invalid: " + e.problem(), e);
        }
    }
}
