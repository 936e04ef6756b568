package org.triplane.imaging.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * Test-only: writes a volume (HU, LPS) as a CT series of DICOM Part 10 files, one per slice, the
 * way a scanner's export lays them out — file names that do not follow the slice order, instance
 * numbers running the other way, patient attributes, a nested sequence and a private element
 * before the pixel data — with switches for each kind of series the reader must refuse.
 *
 * <p>Pixels are stored signed 16-bit with RescaleSlope 1 and RescaleIntercept −1024
 * ({@code stored = HU + 1024}); slice k's ImagePositionPatient is
 * {@code origin + k · spacing_z · normal}, plus {@code k · spacing_z · tan(tilt)} along the column
 * direction for a gantry tilt.
 */
public final class DicomSeriesWriter {
    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    public static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    public String transferSyntax = EXPLICIT_LE;
    public String modality = "CT";
    public String imageType = "ORIGINAL\\PRIMARY\\AXIAL";
    public String patientName = "Phantom^Synthetic";
    public String patientId = "PHANTOM-1";
    public String studyUid = "1.2.826.0.1.3680043.10.1453.1";
    public String seriesUid = "1.2.826.0.1.3680043.10.1453.1.1";
    /** The SeriesInstanceUID of slice k (by default {@link #seriesUid}). */
    public IntFunction<String> seriesUidOf = k -> seriesUid;
    public double tiltDegrees;
    public double intercept = -1024;
    public double slope = 1;
    /** Slice indices left out (a missing slice). */
    public Set<Integer> dropped = new HashSet<>();
    /** Extra displacement (mm, along the normal) of slice k's position. */
    public Map<Integer, Double> shifted = new TreeMap<>();
    public long seed = 7;
    /** Whether the file meta group starts with its length (0002,0000), as the standard asks; older exporters leave it out. */
    public boolean metaGroupLength = true;

    /** Writes the series into folder {@code dir} (created); returns the files written. */
    public List<Path> writeFolder(Volume ct, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (Slice s : slices(ct)) {
            Path f = dir.resolve(s.name());
            Files.write(f, s.bytes());
            files.add(f);
        }
        return files;
    }

    /** Writes the series into one zip file, under a sub-folder as PACS exports do. */
    public Path writeZip(Volume ct, Path zip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(raw)) {
            for (Slice s : slices(ct)) {
                out.putNextEntry(new ZipEntry("SERIES1/" + s.name()));
                out.write(s.bytes());
                out.closeEntry();
            }
        }
        return zip;
    }

    private record Slice(String name, byte[] bytes) {
    }

    private List<Slice> slices(Volume ct) throws IOException {
        Geometry g = ct.geometry();
        int nz = g.nz();
        List<Integer> names = new ArrayList<>();
        for (int k = 0; k < nz; k++) {
            names.add(k);
        }
        // why: file names in no relation to the slice order, as exports name them
        Collections.shuffle(names, new Random(seed));
        List<Slice> out = new ArrayList<>();
        for (int k = 0; k < nz; k++) {
            if (!dropped.contains(k)) {
                out.add(new Slice(String.format(Locale.ROOT, "IM%05d", 10_000 + names.get(k) * 37), slice(ct, k)));
            }
        }
        return out;
    }

    private byte[] slice(Volume ct, int k) throws IOException {
        Geometry g = ct.geometry();
        double[] d = g.direction();
        double[] row = {d[0], d[3], d[6]};
        double[] col = {d[1], d[4], d[7]};
        double[] normal = {d[2], d[5], d[8]};
        double[] o = g.origin();
        double dz = g.spacing()[2];
        double t = k * dz + shifted.getOrDefault(k, 0.0);
        double shear = k * dz * Math.tan(Math.toRadians(tiltDegrees));
        double[] p = new double[3];
        for (int a = 0; a < 3; a++) {
            p[a] = o[a] + t * normal[a] + shear * col[a];
        }
        String sopInstance = seriesUid + "." + (k + 1);
        boolean explicit = !transferSyntax.equals(IMPLICIT_LE);
        Dataset ds = new Dataset(explicit);
        ds.text(0x00080008, "CS", imageType);
        ds.text(0x00080016, "UI", CT_IMAGE_STORAGE);
        ds.text(0x00080018, "UI", sopInstance);
        ds.text(0x00080020, "DA", "20260102");
        ds.text(0x00080030, "TM", "101500");
        ds.text(0x00080060, "CS", modality);
        ds.text(0x00080080, "LO", "Hospital of " + patientName);
        ds.sequence(0x00081140, Map.of(0x00081150, CT_IMAGE_STORAGE, 0x00081155, sopInstance + ".9"));
        ds.text(0x00100010, "PN", patientName);
        ds.text(0x00100020, "LO", patientId);
        ds.text(0x00100030, "DA", "19500101");
        ds.text(0x00180050, "DS", ds(dz));
        if (tiltDegrees != 0) {
            ds.text(0x00181120, "DS", ds(tiltDegrees));
        }
        ds.text(0x0020000D, "UI", studyUid);
        ds.text(0x0020000E, "UI", seriesUidOf.apply(k));
        ds.text(0x00200011, "IS", "3");
        ds.text(0x00200012, "IS", "1");
        ds.text(0x00200013, "IS", Integer.toString(g.nz() - k));
        ds.text(0x00200032, "DS", ds(p[0]) + "\\" + ds(p[1]) + "\\" + ds(p[2]));
        ds.text(0x00200037, "DS", ds(row[0]) + "\\" + ds(row[1]) + "\\" + ds(row[2]) + "\\" + ds(col[0]) + "\\" + ds(col[1])
                + "\\" + ds(col[2]));
        ds.us(0x00280002, 1);
        ds.text(0x00280004, "CS", "MONOCHROME2");
        ds.us(0x00280010, g.ny());
        ds.us(0x00280011, g.nx());
        ds.text(0x00280030, "DS", ds(g.spacing()[1]) + "\\" + ds(g.spacing()[0]));
        ds.us(0x00280100, 16);
        ds.us(0x00280101, 16);
        ds.us(0x00280102, 15);
        ds.us(0x00280103, 1);
        ds.text(0x00281052, "DS", ds(intercept));
        ds.text(0x00281053, "DS", ds(slope));
        ds.text(0x00291010, "LO", "private " + patientId);
        byte[] pixels = new byte[g.nx() * g.ny() * 2];
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                int stored = (int) Math.round((ct.get(i, j, k) - intercept) / slope);
                int at = 2 * (i + g.nx() * j);
                pixels[at] = (byte) stored;
                pixels[at + 1] = (byte) (stored >> 8);
            }
        }
        ds.bytes(0x7FE00010, "OW", pixels);

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[128]);
        file.write("DICM".getBytes(StandardCharsets.US_ASCII));
        Dataset meta = new Dataset(true);
        meta.bytes(0x00020001, "OB", new byte[] {0, 1});
        meta.text(0x00020002, "UI", CT_IMAGE_STORAGE);
        meta.text(0x00020003, "UI", sopInstance);
        meta.text(0x00020010, "UI", transferSyntax);
        meta.text(0x00020012, "UI", "1.2.826.0.1.3680043.10.1453.99");
        if (metaGroupLength) {
            Dataset length = new Dataset(true);
            length.bytes(0x00020000, "UL", le32(meta.size()));
            length.writeTo(file);
        }
        meta.writeTo(file);
        ds.writeTo(file);
        return file.toByteArray();
    }

    /** A decimal string of at most 16 characters. */
    private static String ds(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        return s.length() <= 16 ? s : String.format(Locale.ROOT, "%.8g", v);
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** Elements in the order added (callers add them in ascending tag order). */
    private static final class Dataset {
        private final boolean explicit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Dataset(boolean explicit) {
            this.explicit = explicit;
        }

        void text(int tag, String vr, String value) throws IOException {
            byte[] b = value.getBytes(StandardCharsets.US_ASCII);
            if (b.length % 2 == 1) {
                byte[] padded = new byte[b.length + 1];
                System.arraycopy(b, 0, padded, 0, b.length);
                padded[b.length] = (byte) (vr.equals("UI") ? 0 : ' ');
                b = padded;
            }
            bytes(tag, vr, b);
        }

        void us(int tag, int value) throws IOException {
            bytes(tag, "US", new byte[] {(byte) value, (byte) (value >> 8)});
        }

        /** A sequence of one item, both of undefined length, holding UI elements. */
        void sequence(int tag, Map<Integer, String> item) throws IOException {
            header(tag, "SQ", 0xFFFFFFFFL);
            header(0xFFFEE000, null, 0xFFFFFFFFL);
            for (Map.Entry<Integer, String> e : new TreeMap<>(item).entrySet()) {
                text(e.getKey(), "UI", e.getValue());
            }
            header(0xFFFEE00D, null, 0);
            header(0xFFFEE0DD, null, 0);
        }

        void bytes(int tag, String vr, byte[] value) throws IOException {
            header(tag, vr, value.length);
            out.write(value);
        }

        private void header(int tag, String vr, long length) throws IOException {
            out.write(new byte[] {(byte) (tag >> 16), (byte) (tag >> 24), (byte) tag, (byte) (tag >> 8)});
            if (vr == null || !explicit) {
                out.write(le32(length));
            } else if (Set.of("OB", "OW", "SQ", "UN", "UT").contains(vr)) {
                out.write(vr.getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[] {0, 0});
                out.write(le32(length));
            } else {
                out.write(vr.getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[] {(byte) length, (byte) (length >> 8)});
            }
        }

        long size() {
            return out.size();
        }

        void writeTo(OutputStream o) throws IOException {
            out.writeTo(o);
        }
    }
}
