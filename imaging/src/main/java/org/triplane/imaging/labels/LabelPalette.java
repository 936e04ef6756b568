package org.triplane.imaging.labels;

import java.util.Locale;

/**
 * The one colour table of the ASPECTS labels, used by the report's overlay images, legend, tables
 * and charts and by the label tables written for image viewers ({@link ViewerLabelTable}) alike. Each region has its own hue; the left region (labels 1..10) is the full
 * colour and its right twin (label + 10) the same hue lightened, so the pair reads as one region
 * on two sides. Label 0 (background) has no colour: overlays leave it as plain CT.
 */
public final class LabelPalette {

    /** Full colours of labels 1..10 (C, L, IC, I, M4, M5, M6, M1, M2, M3), 0xRRGGBB. */
    private static final int[] LEFT = {
        0x1F77B4, // C: blue
        0xFF7F0E, // L: orange
        0x2CA02C, // IC: green
        0xD62728, // I: red
        0x9467BD, // M4: purple
        0x8C564B, // M5: brown
        0xE377C2, // M6: pink
        0xBCBD22, // M1: olive
        0x17BECF, // M2: cyan
        0xFFD700, // M3: gold (why not grey: grey would vanish on CT)
    };

    /** Share of white mixed into a right label's colour. */
    private static final double RIGHT_LIGHTENING = 0.45;

    private LabelPalette() {
    }

    /**
     * @param label ASPECTS label 1..20
     * @return its colour, 0xRRGGBB
     * @throws IllegalArgumentException for a label outside 1..20
     */
    public static int rgb(int label) {
        AspectsRegion region = AspectsRegion.ofLabel(label);
        int left = LEFT[(label - 1) % 10];
        if (region.label() <= 10) {
            return left;
        }
        int r = lighten((left >> 16) & 0xFF);
        int g = lighten((left >> 8) & 0xFF);
        int b = lighten(left & 0xFF);
        return (r << 16) | (g << 8) | b;
    }

    /** @param label ASPECTS label 1..20 @return its colour as CSS, e.g. {@code #1f77b4} */
    public static String css(int label) {
        return String.format(Locale.ROOT, "#%06x", rgb(label));
    }

    /** @param label 0..20 @return e.g. {@code left C}, or {@code background} for 0 */
    public static String name(int label) {
        return label == 0 ? "background" : AspectsRegion.ofLabel(label).displayName();
    }

    private static int lighten(int channel) {
        return (int) Math.round(channel + (255 - channel) * RIGHT_LIGHTENING);
    }
}
