package org.triplane.imaging.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Reads one CT series — a folder (sub-folders included) or a zip of DICOM Part 10 files, one slice
 * each, uncompressed little endian — into a volume in HU with ITK's geometry (see
 * {@link SeriesGeometry} for the grid and the series rules).
 *
 * <p>Two passes: the first parses every file's header (an allow-list of attributes, see
 * {@link SliceParser}; pixel data is not read), checks each slice and the series, and checks the
 * volume against the {@link VolumeLimits} before anything is allocated; the second decodes each
 * slice's pixels into the volume, one file open at a time. Every refusal is an
 * {@link InvalidImageException} naming the folder or zip, the file within it where one is to blame,
 * and the reason. No attribute of the patient, study or institution is read, so none can be stored,
 * logged or echoed; the study and series are kept only as SHA-256 hashes of their UIDs.
 */
public final class DicomSeriesReader {
    /** The NIfTI reader's voxel ceiling, at most 4 GiB of voxels. */
    public static final VolumeLimits DEFAULT_LIMITS = new VolumeLimits(NiftiReader.MAX_VOXELS, 4L << 30, 1);

    private DicomSeriesReader() {
    }

    public static DicomSeries read(Path source) throws IOException {
        return read(source, DEFAULT_LIMITS);
    }

    public static DicomSeries read(Path source, VolumeLimits limits) throws IOException {
        try (SeriesSource files = openSource(source)) {
            List<SliceHeader> headers = new ArrayList<>();
            for (String name : files.names()) {
                SliceHeader h = parse(files, name).header();
                try {
                    h.check();
                } catch (DicomFormatException e) {
                    throw refused(source, name, e);
                }
                headers.add(h);
            }
            if (headers.isEmpty()) {
                throw new InvalidImageException(source, "no files: a DICOM series folder or zip holds one file per slice");
            }
            SeriesGeometry.Ordered ordered;
            try {
                ordered = SeriesGeometry.of(headers);
            } catch (DicomFormatException e) {
                throw new InvalidImageException(source, e.getMessage());
            }
            DataType type = integralRescale(headers) ? DataType.INT16 : DataType.FLOAT32;
            limits.check(source, ordered.geometry(), type);
            Volume volume = Volume.allocate(ordered.geometry(), type);
            for (int k = 0; k < ordered.slices().size(); k++) {
                decode(files, ordered.slices().get(k), k, volume);
            }
            SliceHeader first = ordered.slices().get(0);
            return new DicomSeries(volume, first.seriesSha256(), first.studySha256());
        }
    }

    /**
     * Whether {@code path} looks like a DICOM series to hand to {@link #read}: a zip file, or a
     * folder with a DICOM Part 10 file (the DICM marker at byte 128) among its first files.
     */
    public static boolean looksLikeSeries(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                byte[] head = in.readNBytes(4);
                return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
            }
        }
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (SeriesSource files = SeriesSource.open(path)) {
            for (String name : files.names().subList(0, Math.min(8, files.names().size()))) {
                try (InputStream in = files.open(name)) {
                    byte[] head = in.readNBytes(132);
                    if (head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static SeriesSource openSource(Path source) throws IOException {
        try {
            return SeriesSource.open(source);
        } catch (DicomFormatException e) {
            throw new InvalidImageException(source, e.getMessage());
        }
    }

    private static SliceParser.Parsed parse(SeriesSource files, String name) throws IOException {
        try (InputStream in = files.open(name)) {
            return SliceParser.parse(in, name);
        } catch (DicomFormatException e) {
            throw refused(files.path(), name, e);
        }
    }

    private static boolean integralRescale(List<SliceHeader> headers) {
        for (SliceHeader h : headers) {
            if (h.slope() != Math.rint(h.slope()) || h.intercept() != Math.rint(h.intercept())) {
                return false;
            }
        }
        return true;
    }

    /** Slice {@code k}'s pixels into the volume: row by row, so pixel (row j, column i) is voxel (i, j, k). */
    private static void decode(SeriesSource files, SliceHeader expected, int k, Volume volume) throws IOException {
        Geometry g = volume.geometry();
        int plane = g.nx() * g.ny();
        byte[] raw = new byte[plane * 2];
        try (InputStream in = files.open(expected.name())) {
            SliceParser.Parsed p = SliceParser.parse(in, expected.name());
            if (p.header().rows() != expected.rows() || p.header().columns() != expected.columns()) {
                throw new DicomFormatException("the file changed while it was read");
            }
            p.pixels().readFully(raw);
        } catch (DicomFormatException | java.io.EOFException e) {
            throw refused(files.path(), expected.name(), e);
        }
        int shift = 32 - expected.bitsStored();
        int mask = (1 << expected.bitsStored()) - 1;
        VoxelBuffer voxels = volume.voxels();
        for (int p = 0; p < plane; p++) {
            int stored = (raw[2 * p] & 0xff) | (raw[2 * p + 1] & 0xff) << 8;
            // why: bits above BitsStored may hold overlay data in older files; a signed value is sign-extended from BitsStored
            int value = expected.signed() ? (stored << shift) >> shift : stored & mask;
            double hu = value * expected.slope() + expected.intercept();
            int index = p + plane * k;
            if (voxels instanceof VoxelBuffer.Int16 s) {
                if (hu < Short.MIN_VALUE || hu > Short.MAX_VALUE) {
                    throw refused(files.path(), expected.name(), new DicomFormatException(String.format(Locale.ROOT,
                            "pixel %d of the slice is %.0f HU, outside what a CT volume holds (int16)", p, hu)));
                }
                s.data[index] = (short) hu;
            } else {
                voxels.set(index, hu);
            }
        }
    }

    private static InvalidImageException refused(Path source, String name, IOException reason) {
        return new InvalidImageException(source, name + ": " + reason.getMessage(), reason);
    }
}
