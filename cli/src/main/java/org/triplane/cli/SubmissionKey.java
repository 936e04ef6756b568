package org.triplane.cli;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.triplane.imaging.checksum.Sha256;

/**
 * The {@code Idempotency-Key} of a folder submission, derived from what is submitted and nothing
 * else: the checksums of every scan's files (in checksum order, so file names, folder and listing
 * order do not count), the job kind, the parameters (canonical JSON) and the model set. A re-run on
 * the same folder, after an interruption or a completed run, names the same job; changing any file,
 * the kind, a parameter or the model set names a new one.
 */
final class SubmissionKey {
    static final String PREFIX = "triplane-submit-v1-";

    /**
     * One scan's checksums, 64 lower-case hex digits each.
     *
     * @param ct        the CT file
     * @param transform the transform file, or {@code null} when the scan has none
     * @param labels    the labels file, or {@code null} when the scan has none
     */
    record ScanChecksums(String ct, String transform, String labels) {
        String line() {
            return ct + " " + (transform == null ? "-" : transform) + " " + (labels == null ? "-" : labels);
        }
    }

    private SubmissionKey() {
    }

    /** {@value #PREFIX} followed by the SHA-256 (hex) of the submission's canonical text. */
    static String derive(String kind, List<ScanChecksums> scans, Map<String, Object> parameters, UUID modelSetId) {
        return PREFIX + Sha256.of(canonicalText(kind, scans, parameters, modelSetId).getBytes(StandardCharsets.UTF_8));
    }

    /** The text the key hashes: one line each for kind, model set and parameters, then one per scan. */
    static String canonicalText(String kind, List<ScanChecksums> scans, Map<String, Object> parameters, UUID modelSetId) {
        StringBuilder sb = new StringBuilder();
        sb.append("kind ").append(kind.toLowerCase(Locale.ROOT)).append('\n');
        sb.append("model-set ").append(modelSetId == null ? "-" : modelSetId.toString()).append('\n');
        sb.append("parameters ").append(JobParameters.canonical(parameters)).append('\n');
        scans.stream().map(ScanChecksums::line).sorted(Comparator.naturalOrder())
                .forEach(line -> sb.append("scan ").append(line).append('\n'));
        return sb.toString();
    }
}
