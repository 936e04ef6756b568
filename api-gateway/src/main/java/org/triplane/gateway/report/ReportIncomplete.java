package org.triplane.gateway.report;

/**
 * A self-contained report cannot be written because a scan's overlay images cannot be drawn (its
 * stored CT or fused labels are missing or unreadable): answered 500 naming the scan and why, rather
 * than a page without the images it promises.
 */
public final class ReportIncomplete extends RuntimeException {

    private final String scanId;

    ReportIncomplete(String scanId, String message, Throwable cause) {
        super(message, cause);
        this.scanId = scanId;
    }

    /** @return the scan whose images are missing */
    public String scanId() {
        return scanId;
    }
}
