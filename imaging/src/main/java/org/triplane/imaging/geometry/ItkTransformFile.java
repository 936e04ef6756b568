package org.triplane.imaging.geometry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes ITK's text transform format ({@code #Insight Transform File V1.0}).
 *
 * <p>Supported types (3-D, double or float): {@code MatrixOffsetTransformBase},
 * {@code AffineTransform} (12 parameters: 3×3 matrix row-major then translation; FixedParameters =
 * centre) and {@code Euler3DTransform} (angles x, y, z in radians then translation; FixedParameters
 * = centre and, optionally, ITK's ComputeZYX flag). Several transforms in one file are composed as
 * ITK's {@code CompositeTransform} does: the last one listed is applied first.
 */
public final class ItkTransformFile {
    private static final long MAX_FILE_BYTES = 1 << 20;

    private ItkTransformFile() {
    }

    /** One transform block of a file, as written. */
    public record Entry(String type, double[] parameters, double[] fixedParameters) {
    }

    /** Parses the file into the affine map it describes (output point → input point, LPS mm). */
    public static AffineTransform read(Path file) throws IOException {
        List<Entry> entries = parse(file);
        AffineTransform result = null;
        for (Entry e : entries) {
            AffineTransform t = toAffine(file, e);
            result = result == null ? t : result.compose(t);
        }
        return result;
    }

    /** The raw transform blocks of a file, validated for type, count and finiteness. */
    public static List<Entry> parse(Path file) throws IOException {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidTransformException(file, "file is " + Files.size(file) + " bytes: too large for an ITK transform file");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidTransformException(file, "no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InvalidTransformException(file, "not a text file (expected '#Insight Transform File V1.0')");
        }
        List<Entry> entries = new ArrayList<>();
        String type = null;
        double[] params = null;
        double[] fixed = null;
        boolean sawHeader = false;
        int lineNo = 0;
        for (String raw : text.split("\r?\n|\r")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (line.startsWith("#Insight Transform File")) {
                    sawHeader = true;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new InvalidTransformException(file, "line " + lineNo + " is not 'Key: value': '" + abbreviate(line) + "'");
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "Transform" -> {
                    if (type != null) {
                        entries.add(finish(file, type, params, fixed));
                    }
                    type = value;
                    params = null;
                    fixed = null;
                }
                case "Parameters" -> params = numbers(file, lineNo, "Parameters", value);
                case "FixedParameters" -> fixed = numbers(file, lineNo, "FixedParameters", value);
                default -> throw new InvalidTransformException(file, "line " + lineNo + ": unknown key '" + abbreviate(key) + "'");
            }
        }
        if (!sawHeader) {
            throw new InvalidTransformException(file, "not an ITK transform file (missing '#Insight Transform File V1.0' line)");
        }
        if (type == null) {
            throw new InvalidTransformException(file, "no 'Transform:' line");
        }
        entries.add(finish(file, type, params, fixed));
        return entries;
    }

    private static Entry finish(Path file, String type, double[] params, double[] fixed) throws InvalidTransformException {
        if (params == null) {
            throw new InvalidTransformException(file, "transform " + type + " has no 'Parameters:' line");
        }
        Kind kind = Kind.of(type);
        if (kind == null) {
            throw new InvalidTransformException(file, "unknown transform type '" + abbreviate(type)
                    + "' (supported: MatrixOffsetTransformBase_double_3_3, AffineTransform_double_3_3, Euler3DTransform_double_3_3)");
        }
        if (params.length != kind.parameters) {
            throw new InvalidTransformException(file, type + " needs " + kind.parameters + " parameters, found " + params.length);
        }
        if (fixed == null) {
            fixed = new double[3];
        }
        if (fixed.length != 3 && !(kind == Kind.EULER && fixed.length == 4)) {
            throw new InvalidTransformException(file, type + " needs 3 fixed parameters (the centre), found " + fixed.length);
        }
        return new Entry(type, params, fixed);
    }

    private enum Kind {
        MATRIX(12), EULER(6);

        final int parameters;

        Kind(int parameters) {
            this.parameters = parameters;
        }

        static Kind of(String type) {
            String t = type.replace("_float_3_3", "_double_3_3");
            return switch (t) {
                case "MatrixOffsetTransformBase_double_3_3", "AffineTransform_double_3_3" -> MATRIX;
                case "Euler3DTransform_double_3_3" -> EULER;
                default -> null;
            };
        }
    }

    private static double[] numbers(Path file, int lineNo, String key, String value) throws InvalidTransformException {
        if (value.isEmpty()) {
            return new double[0];
        }
        String[] parts = value.split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            double v;
            try {
                String lower = p.toLowerCase(Locale.ROOT);
                if (lower.contains("nan") || lower.contains("inf")) {
                    throw new InvalidTransformException(file, key + " value " + (i + 1) + " is '" + p + "': transform numbers must be finite");
                }
                v = Double.parseDouble(p);
            } catch (NumberFormatException e) {
                throw new InvalidTransformException(file, "line " + lineNo + ": " + key + " value " + (i + 1) + " '" + abbreviate(p) + "' is not a number");
            }
            if (!Double.isFinite(v)) {
                throw new InvalidTransformException(file, key + " value " + (i + 1) + " is '" + p + "': transform numbers must be finite");
            }
            out[i] = v;
        }
        return out;
    }

    private static AffineTransform toAffine(Path file, Entry e) throws InvalidTransformException {
        double[] p = e.parameters();
        double[] c = {e.fixedParameters()[0], e.fixedParameters()[1], e.fixedParameters()[2]};
        double[] m;
        double[] t;
        if (Kind.of(e.type()) == Kind.EULER) {
            boolean zyx = e.fixedParameters().length == 4 && e.fixedParameters()[3] != 0;
            m = euler(p[0], p[1], p[2], zyx);
            t = new double[] {p[3], p[4], p[5]};
        } else {
            m = new double[9];
            System.arraycopy(p, 0, m, 0, 9);
            t = new double[] {p[9], p[10], p[11]};
        }
        double det = Matrix3.determinant(m);
        if (Math.abs(det) < 1e-12) {
            throw new InvalidTransformException(file, "transform matrix is singular (determinant " + det + ")");
        }
        return new AffineTransform(m, c, t);
    }

    /** ITK's {@code Euler3DTransform::ComputeMatrix}: Rz·Rx·Ry by default, Rz·Ry·Rx with ComputeZYX. */
    static double[] euler(double ax, double ay, double az, boolean zyx) {
        double[] rx = Matrix3.rotationX(ax);
        double[] ry = Matrix3.rotationY(ay);
        double[] rz = Matrix3.rotationZ(az);
        return zyx ? Matrix3.multiply(rz, Matrix3.multiply(ry, rx)) : Matrix3.multiply(rz, Matrix3.multiply(rx, ry));
    }

    /** Writes {@code t} as a single {@code MatrixOffsetTransformBase_double_3_3}, numbers in shortest round-trip form. */
    public static void write(AffineTransform t, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("#Insight Transform File V1.0\n#Transform 0\nTransform: MatrixOffsetTransformBase_double_3_3\nParameters:");
        for (double v : t.matrix()) {
            sb.append(' ').append(format(v));
        }
        for (double v : t.translation()) {
            sb.append(' ').append(format(v));
        }
        sb.append("\nFixedParameters:");
        for (double v : t.center()) {
            sb.append(' ').append(format(v));
        }
        sb.append('\n');
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
