package org.triplane.imaging.labels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * A relabelling from another dataset's region numbers to the ASPECTS labels 0..20.
 *
 * <p>File format: one {@code source target} pair per line (whitespace-separated integers,
 * {@code #} starts a comment); source labels not listed are an error when met, unless the file
 * has a line {@code * 0} that sends every other label to background.
 */
public final class LabelMap {
    private static final int MAX_SOURCE = 65535;
    private final int[] table;
    private final int otherwise;
    private final String name;

    private LabelMap(String name, int[] table, int otherwise) {
        this.name = name;
        this.table = table;
        this.otherwise = otherwise;
    }

    /** The identity on 0..20 (the project's own numbering). */
    public static LabelMap identity() {
        int[] t = new int[AspectsRegion.COUNT + 1];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        return new LabelMap("identity", t, -1);
    }

    public static LabelMap load(Path file) throws IOException {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
    }

    /** A map shipped as a class-path resource, e.g. {@code /labels/dlaais-mca-atlas.tsv}. */
    public static LabelMap resource(String path) throws IOException {
        try (InputStream in = LabelMap.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException(path + ": no such resource");
            }
            return parse(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static LabelMap parse(String name, String text) throws IOException {
        int[] t = new int[MAX_SOURCE + 1];
        Arrays.fill(t, -1);
        int otherwise = -1;
        int lineNo = 0;
        for (String raw : text.split("\r?\n")) {
            lineNo++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IOException(name + ": line " + lineNo + " needs 'source target', got '" + line + "'");
            }
            int target = integer(name, lineNo, parts[1], 0, AspectsRegion.COUNT);
            if (parts[0].equals("*")) {
                otherwise = target;
            } else {
                int source = integer(name, lineNo, parts[0], 0, MAX_SOURCE);
                if (t[source] >= 0 && t[source] != target) {
                    throw new IOException(name + ": line " + lineNo + " maps label " + source + " a second time");
                }
                t[source] = target;
            }
        }
        return new LabelMap(name, t, otherwise);
    }

    private static int integer(String name, int lineNo, String s, int lo, int hi) throws IOException {
        try {
            int v = Integer.parseInt(s);
            if (v < lo || v > hi) {
                throw new IOException(name + ": line " + lineNo + ": " + v + " is outside " + lo + ".." + hi);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(name + ": line " + lineNo + ": '" + s + "' is not an integer");
        }
    }

    /** The ASPECTS label for a source label. */
    public int map(int source) {
        int v = source >= 0 && source < table.length ? table[source] : -1;
        if (v < 0) {
            v = otherwise;
        }
        if (v < 0) {
            throw new IllegalArgumentException("label " + source + " is not in label map " + name);
        }
        return v;
    }

    /** Applies the map to every voxel of an integer label volume; returns a uint8 volume on the same grid. */
    public Volume apply(Volume labels) {
        if (!labels.type().isInteger()) {
            throw new IllegalArgumentException("label volumes must have an integer type, got " + labels.type().label());
        }
        Volume out = Volume.allocate(labels.geometry(), DataType.UINT8);
        byte[] dst = ((VoxelBuffer.UInt8) out.voxels()).data;
        VoxelBuffer src = labels.voxels();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (byte) map((int) src.get(i));
        }
        return out;
    }

    public String name() {
        return name;
    }
}
