package org.triplane.imaging.labels;

import java.util.Locale;

/**
 * The label tables that image viewers read beside a volume of ASPECTS labels (0..20), so that they
 * show the regions by the report's names and colours ({@link LabelPalette}) instead of numbers in
 * default colours. Each is ASCII text with {@code \n} line ends: comment lines starting with
 * {@code #}, then one line per label 0..20 in order; label 0 (background) is transparent and
 * hidden, every region opaque and shown.
 */
public enum ViewerLabelTable {
    /**
     * ITK-SNAP's label description file (Segmentation ▸ Import Label Descriptions), one label a
     * line as {@code IDX -R- -G- -B- -A-- VIS MSH LABEL}: the label value, red, green and blue
     * 0..255, opacity 0..1, visible in the slice views and in 3D (0 or 1), and the name in double
     * quotes. ITK-SNAP keeps its own entry for label 0, so that line is only for other readers.
     */
    ITK_SNAP(".itksnap.txt") {
        @Override
        String header() {
            return """
                    ################################################
                    # ITK-SNAP Label Description File
                    # ASPECTS regions: labels 1..10 left hemisphere, 11..20 right
                    # File format:
                    # IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL
                    # IDX label value; -R- -G- -B- colour 0..255; -A-- opacity 0..1;
                    # VIS shown in slices, MSH shown in 3D (0 or 1); LABEL name in quotes
                    ################################################
                    """;
        }

        @Override
        String line(int label, int rgb, String name) {
            boolean shown = label != 0;
            return String.format(Locale.ROOT, "%5d %5d %4d %4d %8s %2d %2d    \"%s\"\n", label, (rgb >> 16) & 0xFF,
                    (rgb >> 8) & 0xFF, rgb & 0xFF, shown ? "1" : "0", shown ? 1 : 0, shown ? 1 : 0, name);
        }
    },
    /**
     * 3D Slicer's colour table ({@code .ctbl}; load it, then choose it as the colour table of the
     * labelmap), one label a line as {@code index name R G B A}, colour and opacity 0..255, the
     * name one word (its spaces written as underscores, as Slicer writes them).
     */
    SLICER(".ctbl") {
        @Override
        String header() {
            // why: Slicer tells a table of discrete labels from a continuous scale by the first line
            return "# Color table file: ASPECTS regions, labels 1..10 left hemisphere, 11..20 right\n# "
                    + AspectsRegion.CLASSES_WITH_BACKGROUND + " values\n";
        }

        @Override
        String line(int label, int rgb, String name) {
            return String.format(Locale.ROOT, "%d %s %d %d %d %d\n", label, name.replace(' ', '_'), (rgb >> 16) & 0xFF,
                    (rgb >> 8) & 0xFF, rgb & 0xFF, label == 0 ? 0 : 255);
        }
    };

    private final String suffix;

    ViewerLabelTable(String suffix) {
        this.suffix = suffix;
    }

    /**
     * What a table's file name ends with, in place of the label volume's {@code .nii.gz}: the
     * table of {@code labels-acquired.nii.gz} is {@code labels-acquired.itksnap.txt} and
     * {@code labels-acquired.ctbl}.
     */
    public String suffix() {
        return suffix;
    }

    /** @return the whole table, labels 0..20 */
    public String text() {
        StringBuilder out = new StringBuilder(header());
        for (int label = 0; label < AspectsRegion.CLASSES_WITH_BACKGROUND; label++) {
            out.append(line(label, label == 0 ? 0 : LabelPalette.rgb(label), LabelPalette.name(label)));
        }
        return out.toString();
    }

    abstract String header();

    /** @param rgb 0xRRGGBB @param name the report's name of the label */
    abstract String line(int label, int rgb, String name);
}
