package org.triplane.preprocess.messaging;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scan dropped straight into the bucket by another system: the folder
 * {@code incoming/<tenant-uuid>/<name>/} holding {@code ct.nii.gz} and {@code transform.txt} side
 * by side. One folder is one scan; dropping new content needs a new folder name.
 *
 * @param tenantId owning tenant (must exist)
 * @param folder   the folder key, ending in {@code /}
 */
public record IncomingDrop(UUID tenantId, String folder) {
    public static final String PREFIX = "incoming/";
    public static final String CT = "ct.nii.gz";
    public static final String TRANSFORM = "transform.txt";

    private static final Pattern KEY = Pattern.compile(
            "incoming/([0-9a-fA-F-]{36})/([^/]+)/(" + Pattern.quote(CT) + "|" + Pattern.quote(TRANSFORM) + ")");

    /** @return the drop an object key belongs to, or empty when the key is not a drop's CT or transform */
    public static Optional<IncomingDrop> of(String decodedKey) {
        Matcher m = KEY.matcher(decodedKey);
        if (!m.matches()) {
            return Optional.empty();
        }
        UUID tenant;
        try {
            tenant = UUID.fromString(m.group(1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new IncomingDrop(tenant, PREFIX + m.group(1) + "/" + m.group(2) + "/"));
    }

    public String ctKey() {
        return folder + CT;
    }

    public String transformKey() {
        return folder + TRANSFORM;
    }

    /** Id under which the drop is recorded in {@code processed_events}, so a redelivery registers nothing twice. */
    public String eventId() {
        return "bucket:" + folder;
    }
}
