package org.triplane.imaging.labels;

/**
 * The 20 ASPECTS regions and their label numbers: 1..10 in the patient's LEFT hemisphere, 11..20 in
 * the RIGHT, each right label being its left twin plus 10. Label 0 is background.
 */
public enum AspectsRegion {
    LEFT_C(1, "C", "caudate", Hemisphere.LEFT),
    LEFT_L(2, "L", "lentiform nucleus", Hemisphere.LEFT),
    LEFT_IC(3, "IC", "internal capsule", Hemisphere.LEFT),
    LEFT_I(4, "I", "insular ribbon", Hemisphere.LEFT),
    LEFT_M4(5, "M4", "MCA territory M4 (supraganglionic, anterior)", Hemisphere.LEFT),
    LEFT_M5(6, "M5", "MCA territory M5 (supraganglionic, lateral)", Hemisphere.LEFT),
    LEFT_M6(7, "M6", "MCA territory M6 (supraganglionic, posterior)", Hemisphere.LEFT),
    LEFT_M1(8, "M1", "MCA territory M1 (ganglionic, anterior)", Hemisphere.LEFT),
    LEFT_M2(9, "M2", "MCA territory M2 (ganglionic, lateral)", Hemisphere.LEFT),
    LEFT_M3(10, "M3", "MCA territory M3 (ganglionic, posterior)", Hemisphere.LEFT),
    RIGHT_C(11, "C", "caudate", Hemisphere.RIGHT),
    RIGHT_L(12, "L", "lentiform nucleus", Hemisphere.RIGHT),
    RIGHT_IC(13, "IC", "internal capsule", Hemisphere.RIGHT),
    RIGHT_I(14, "I", "insular ribbon", Hemisphere.RIGHT),
    RIGHT_M4(15, "M4", "MCA territory M4 (supraganglionic, anterior)", Hemisphere.RIGHT),
    RIGHT_M5(16, "M5", "MCA territory M5 (supraganglionic, lateral)", Hemisphere.RIGHT),
    RIGHT_M6(17, "M6", "MCA territory M6 (supraganglionic, posterior)", Hemisphere.RIGHT),
    RIGHT_M1(18, "M1", "MCA territory M1 (ganglionic, anterior)", Hemisphere.RIGHT),
    RIGHT_M2(19, "M2", "MCA territory M2 (ganglionic, lateral)", Hemisphere.RIGHT),
    RIGHT_M3(20, "M3", "MCA territory M3 (ganglionic, posterior)", Hemisphere.RIGHT);

    /** Number of foreground classes. */
    public static final int COUNT = 20;
    /** Classes including background. */
    public static final int CLASSES_WITH_BACKGROUND = COUNT + 1;

    private static final AspectsRegion[] BY_LABEL = new AspectsRegion[COUNT + 1];

    static {
        for (AspectsRegion r : values()) {
            BY_LABEL[r.label] = r;
        }
    }

    private final int label;
    private final String shortName;
    private final String description;
    private final Hemisphere hemisphere;

    AspectsRegion(int label, String shortName, String description, Hemisphere hemisphere) {
        this.label = label;
        this.shortName = shortName;
        this.description = description;
        this.hemisphere = hemisphere;
    }

    public int label() {
        return label;
    }

    /** ASPECTS name without side, e.g. {@code M4}. */
    public String shortName() {
        return shortName;
    }

    /** Name with side, e.g. {@code left M4}. */
    public String displayName() {
        return hemisphere.name().toLowerCase(java.util.Locale.ROOT) + " " + shortName;
    }

    public String description() {
        return description;
    }

    public Hemisphere hemisphere() {
        return hemisphere;
    }

    /** The same region in the other hemisphere. */
    public AspectsRegion contralateral() {
        return ofLabel(hemisphere == Hemisphere.LEFT ? label + 10 : label - 10);
    }

    /** The region of a label 1..20. */
    public static AspectsRegion ofLabel(int label) {
        if (label < 1 || label > COUNT) {
            throw new IllegalArgumentException("ASPECTS labels are 1..20, got " + label);
        }
        return BY_LABEL[label];
    }

    /** The contralateral twin of any label 0..20 (0 stays 0): what a left/right mirror must do to labels. */
    public static int swapSide(int label) {
        return label == 0 ? 0 : ofLabel(label).contralateral().label();
    }
}
