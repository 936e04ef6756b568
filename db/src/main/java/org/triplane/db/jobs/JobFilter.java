package org.triplane.db.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * Filters of the audit list of jobs; every field is optional ({@code null} = no filter) and they
 * combine with AND.
 *
 * @param state      only jobs in this state
 * @param kind       only jobs of this kind
 * @param modelSetId only jobs that run (SEGMENT, EVALUATE) or produced (TRAIN, also one fold's set of a k-fold
 *                   TRAIN job) this model set
 * @param modelId    only jobs whose model set holds this model (or that produced the set that holds it)
 * @param from       only jobs created at or after this instant
 * @param to         only jobs created before this instant
 */
public record JobFilter(JobState state, JobKind kind, UUID modelSetId, UUID modelId, Instant from, Instant to) {

    /** @return a filter that matches every job */
    public static JobFilter all() {
        return new JobFilter(null, null, null, null, null, null);
    }
}
