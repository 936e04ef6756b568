package org.triplane.deploy.local;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that hold the local stack's credentials (the admin token, the object store's secret, a
 * tenant's API key): created readable and writable by their owner only (0600) where the file system
 * has POSIX permissions.
 */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /**
     * Creates {@code file} empty with owner-only permissions, replacing a leftover of an interrupted
     * write.
     *
     * @throws IOException when it cannot be created (also when another process created it meanwhile)
     */
    public static void createEmpty(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + file + ": exists", e);
        }
    }
}
