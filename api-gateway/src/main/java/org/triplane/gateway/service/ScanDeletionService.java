package org.triplane.gateway.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.triplane.imaging.checksum.Sha256;
import com.fasterxml.jackson.databind.node.ArrayNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.triplane.db.jobs.Job;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanDeletion;
import org.triplane.db.scans.ScanDeletions;
import org.triplane.events.ObjectKeys;
import org.triplane.objectstore.ObjectStore;

/**
 * Deletes a scan for the retention of patient data: every object of it (as uploaded, its
 * preprocessing and registration outputs, and each job's results for it) leaves the object store,
 * every row that holds its data leaves the database, and a deletion record stays with who, when,
 * which scan and the SHA-256 of every object removed.
 *
 * <p>One transaction holds the scan's row lock throughout, so no job can name the scan meanwhile:
 * it checks that no unfinished job uses the scan, hashes and removes the objects, then deletes the
 * rows and writes the record ({@code delete_scan()}, V31). Should the last step fail, the rows stay
 * and a second DELETE finishes the work (removing an absent object is no error).
 */
@ApplicationScoped
public class ScanDeletionService {

    private static final Logger LOG = Logger.getLogger(ScanDeletionService.class);

    /** SQLState of {@code object_in_use}, raised by {@code delete_scan()} when an unfinished job uses the scan. */
    private static final String OBJECT_IN_USE = "55006";

    private final Databases db;
    private final ObjectStore objects;
    private final ObjectMapper json;

    @Inject
    public ScanDeletionService(Databases db, ObjectStore objects, ObjectMapper json) {
        this.db = db;
        this.objects = objects;
        this.json = json;
    }

    /**
     * @param tenantId the asking tenant
     * @param scanId   the scan
     * @param actor    who deletes
     * @return the deletion record, empty when the tenant has no such scan
     * @throws RequestRejected 409 naming {@code id} while a SUBMITTED or RUNNING job uses the scan
     */
    public Optional<ScanDeletion> delete(UUID tenantId, UUID scanId, String actor) {
        return db.app().inTenant(tenantId, c -> {
            Optional<Scan> scan = ScanDeletions.lock(c, scanId);
            if (scan.isEmpty()) {
                return Optional.<ScanDeletion>empty();
            }
            List<Job> jobs = ScanDeletions.jobsOf(c, scanId);
            refuseWhileInUse(scanId, jobs);
            String removed = removeObjects(tenantId, scan.get(), jobs);
            try {
                Optional<ScanDeletion> record = ScanDeletions.delete(c, scanId, actor, removed);
                LOG.infof("scan %s of tenant %s deleted by %s (%d jobs)", scanId, tenantId, actor, jobs.size());
                return record;
            } catch (SQLException e) {
                if (OBJECT_IN_USE.equals(e.getSQLState())) {
                    throw inUse(scanId, "an unfinished job");
                }
                throw e;
            }
        });
    }

    /**
     * @param tenantId the asking tenant
     * @param scanId   a scan
     * @return its deletion record, empty when it was not deleted or is another tenant's
     */
    public Optional<ScanDeletion> deletion(UUID tenantId, UUID scanId) {
        return db.app().inTenant(tenantId, c -> ScanDeletions.find(c, scanId));
    }

    private static void refuseWhileInUse(UUID scanId, List<Job> jobs) {
        List<Job> open = jobs.stream().filter(j -> !j.state().isTerminal()).toList();
        if (!open.isEmpty()) {
            throw inUse(scanId, open.stream().map(j -> "job " + j.id() + " (" + j.state() + ")")
                    .collect(Collectors.joining(", ")));
        }
    }

    private static RequestRejected inUse(UUID scanId, String users) {
        return new RequestRejected(409, "id", "scan " + scanId + " is used by " + users + ": cancel the job "
                + "(POST /api/v1/jobs/{id}/cancel) or wait until it ends, then delete the scan");
    }

    /** @return a JSON array of {@code {key, sha256, bytes}}, one per object removed, in key order */
    private String removeObjects(UUID tenantId, Scan scan, List<Job> jobs) throws SQLException {
        TreeSet<String> keys = new TreeSet<>();
        // why the folders: objects derived from the scan (registration, preprocessing, each job's results, their
        // viewer tables and report images) are not all named in rows; their folders hold every one of them
        List<String> folders = new ArrayList<>();
        String uploadFolder = folderOf(scan.ct().key());
        String tenantScans = ObjectKeys.scanFolder(tenantId, scan.id()).replace(scan.id() + "/", "");
        // why checked: the upload's folder is listed whole, so it must be one scan's own folder of this tenant
        if (uploadFolder.startsWith(tenantScans) && uploadFolder.length() > tenantScans.length()) {
            folders.add(uploadFolder);
        }
        folders.add(ObjectKeys.scanFolder(tenantId, scan.id()));
        for (Job job : jobs) {
            folders.add(ObjectKeys.jobScanFolder(tenantId, job.id(), scan.id()));
        }
        folders.forEach(f -> keys.addAll(objects.list(f)));
        keys.add(scan.ct().key());
        if (scan.transformFile() != null) {
            keys.add(scan.transformFile().key());
        }
        if (scan.labels() != null) {
            keys.add(scan.labels().key());
        }
        ArrayNode removed = json.createArrayNode();
        for (String key : keys) {
            Optional<InputStream> content = objects.get(key);
            if (content.isEmpty()) {
                continue;
            }
            Sha256 sha;
            try {
                sha = Sha256.of(content.get());
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + key + " before deleting it", e);
            }
            objects.delete(key);
            removed.addObject().put("key", key).put("sha256", sha.hex()).put("bytes", sha.bytes());
        }
        return removed.toString();
    }

    /** @return the folder a key is in, with its trailing {@code /} */
    private static String folderOf(String key) {
        return key.substring(0, key.lastIndexOf('/') + 1);
    }
}
