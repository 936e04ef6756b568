package org.triplane.segmentation.model;

/**
 * What a U-Net's input channels hold, told apart by their count (so that models recorded before a
 * kind was added keep their meaning). Channel 0 is always the window byte / 254.
 */
public enum NetworkInputs {
    /** Channel 0 only. */
    WINDOW(1),
    /** Channel 1: signed distance (mm / 100) from the scan's estimated mid-sagittal plane along LPS x. */
    WINDOW_AND_MIDLINE(2),
    /**
     * For a model grid placed in atlas space: channel 1 the atlas's CT template there (window byte /
     * 254: set beside the scan, it shows where the scan's anatomy lies off the atlas's), channels 2–4
     * the pixel's atlas coordinates (LPS x, y, z, mm / 100), channels 5–25 the atlas's share of each
     * label 0..20 in the pixel's voxel (0..1): the prior that the network corrects from what the scan
     * shows.
     */
    WINDOW_AND_ATLAS(1 + 1 + 3 + 21);

    /** First channel of the label shares with {@link #WINDOW_AND_ATLAS}. */
    public static final int FIRST_SHARE_CHANNEL = 5;

    private final int channels;

    NetworkInputs(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }

    /**
     * The kind with {@code channels} input channels.
     *
     * @throws IllegalArgumentException for a count no kind has
     */
    public static NetworkInputs ofChannels(int channels) {
        for (NetworkInputs kind : values()) {
            if (kind.channels == channels) {
                return kind;
            }
        }
        throw new IllegalArgumentException("input channels must be 1 (window), 2 (window + mid-sagittal distance) or 26 "
                + "(window + atlas template, coordinates and label shares), got " + channels);
    }
}
