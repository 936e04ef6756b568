package org.triplane.imaging.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The files of a series as named entries: a folder (walked with its sub-folders) or a zip file
 * (read in place, nothing extracted). Hidden files, {@code __MACOSX} folders and {@code DICOMDIR}
 * indexes are passed over; every other file must be a slice of the series.
 */
abstract class SeriesSource implements AutoCloseable {
    /** More files than any CT series has (a 0.5 mm head CT has about 400). */
    static final int MAX_FILES = 20_000;

    private final Path path;

    SeriesSource(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** The entries' names relative to the folder or zip, in a fixed order. */
    abstract List<String> names();

    abstract InputStream open(String name) throws IOException;

    @Override
    public void close() throws IOException {
    }

    static SeriesSource open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return new Folder(path);
        }
        if (Files.isRegularFile(path)) {
            return new Zip(path);
        }
        throw new DicomFormatException(Files.exists(path) ? "neither a folder nor a zip file" : "does not exist");
    }

    static boolean skipped(String name) {
        for (String part : name.split("/")) {
            if (part.startsWith(".") || part.equals("__MACOSX")) {
                return true;
            }
        }
        String last = name.substring(name.lastIndexOf('/') + 1);
        return last.toUpperCase(Locale.ROOT).equals("DICOMDIR");
    }

    private static void checkCount(int n) throws DicomFormatException {
        if (n > MAX_FILES) {
            throw new DicomFormatException("more than " + MAX_FILES + " files: not one CT series");
        }
    }

    private static final class Folder extends SeriesSource {
        private final List<String> names = new ArrayList<>();

        Folder(Path dir) throws IOException {
            super(dir);
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (!skipped(name)) {
                    names.add(name);
                }
            }
            checkCount(names.size());
        }

        @Override
        List<String> names() {
            return names;
        }

        @Override
        InputStream open(String name) throws IOException {
            return Files.newInputStream(path().resolve(name));
        }
    }

    private static final class Zip extends SeriesSource {
        private final ZipFile zip;
        private final List<String> names = new ArrayList<>();

        Zip(Path file) throws IOException {
            super(file);
            try {
                zip = new ZipFile(file.toFile());
            } catch (ZipException e) {
                throw new DicomFormatException("not a zip file (" + e.getMessage() + "): a series is a folder or a zip of one");
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            try {
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    if (!e.isDirectory() && !skipped(e.getName())) {
                        names.add(e.getName());
                        checkCount(names.size());
                    }
                }
            } catch (DicomFormatException e) {
                zip.close();
                throw e;
            }
            names.sort(null);
        }

        @Override
        List<String> names() {
            return names;
        }

        @Override
        InputStream open(String name) throws IOException {
            return zip.getInputStream(zip.getEntry(name));
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }
}
