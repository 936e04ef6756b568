package org.triplane.gpu.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.run.Backoff;

/**
 * Mirrors a training checkpoint folder to the object store, so that a TRAIN task killed on one
 * worker resumes on another from its last finished epoch. The trainer writes
 * {@code epoch-NNNN.params}, {@code epoch-NNNN.adam} and then {@code checkpoint.properties} (epoch,
 * best epoch); the properties file is uploaded last and downloaded first, so a checkpoint seen
 * remotely always has its files.
 */
final class CheckpointSync {
    static final String PROPERTIES = "checkpoint.properties";

    private final ObjectStore objects;
    private final Backoff backoff;
    private final String prefix;

    /** @param prefix object-key folder of this task's checkpoint, ending in {@code /} */
    CheckpointSync(ObjectStore objects, Backoff backoff, String prefix) {
        this.objects = objects;
        this.backoff = backoff;
        this.prefix = prefix;
    }

    /**
     * Downloads the last uploaded checkpoint into {@code dir}.
     *
     * @return the epoch it holds, or 0 when there is none (a fresh start)
     */
    int restore(Path dir) throws IOException {
        if (backoff.call("stat " + prefix + PROPERTIES, () -> objects.size(prefix + PROPERTIES)).isEmpty()) {
            return 0;
        }
        Path properties = dir.resolve(PROPERTIES);
        Path tmp = dir.resolve(PROPERTIES + ".part");
        backoff.run("download " + prefix + PROPERTIES, () -> objects.download(prefix + PROPERTIES, tmp));
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(tmp)) {
            p.load(in);
        }
        int epoch = Integer.parseInt(p.getProperty("epoch", "0"));
        for (String name : filesOf(epoch, Integer.parseInt(p.getProperty("bestEpoch", "0")))) {
            backoff.run("download " + prefix + name, () -> objects.download(prefix + name, dir.resolve(name)));
        }
        // why: the properties file is what makes the folder a checkpoint; it appears after its files
        Files.move(tmp, properties, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return epoch;
    }

    /** Uploads the checkpoint of {@code epoch} (with the best epoch's weights), properties last. */
    void upload(Path dir, int epoch) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(PROPERTIES))) {
            p.load(in);
        }
        for (String name : filesOf(epoch, Integer.parseInt(p.getProperty("bestEpoch", "0")))) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                backoff.run("upload " + prefix + name, () -> objects.put(prefix + name, file, "application/octet-stream"));
            }
        }
        backoff.run("upload " + prefix + PROPERTIES,
                () -> objects.put(prefix + PROPERTIES, dir.resolve(PROPERTIES), "text/plain"));
    }

    private static Set<String> filesOf(int epoch, int bestEpoch) {
        Set<String> names = new LinkedHashSet<>();
        names.add(String.format(Locale.ROOT, "epoch-%04d.params", epoch));
        names.add(String.format(Locale.ROOT, "epoch-%04d.adam", epoch));
        if (bestEpoch > 0) {
            names.add(String.format(Locale.ROOT, "epoch-%04d.params", bestEpoch));
        }
        return names;
    }
}
