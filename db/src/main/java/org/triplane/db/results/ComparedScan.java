package org.triplane.db.results;

import java.util.UUID;

/**
 * A scan that two model sets were both evaluated on, with the finished job of each whose metrics
 * are compared (the most recently finished one when a set ran on the scan more than once).
 *
 * @param scanId the scan
 * @param jobA   the job of set a
 * @param jobB   the job of set b
 */
public record ComparedScan(UUID scanId, UUID jobA, UUID jobB) {
}
