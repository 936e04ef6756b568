package org.triplane.db.scans;

/** What is known about an uploaded scan's input, independent of any job. */
public enum ScanState {
    /** Stored and recorded; not yet checked by preprocessing. */
    RECEIVED,
    /** Preprocessed successfully at least once. */
    PREPROCESSED,
    /** Refused as bad input (see the failing job's error). */
    REJECTED
}
