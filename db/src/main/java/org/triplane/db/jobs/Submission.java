package org.triplane.db.jobs;

/**
 * Outcome of {@link Jobs#submit}.
 *
 * @param job     the job, new or the one first submitted under the same idempotency key
 * @param created {@code true} when this call created it, {@code false} for a repeat (REST: 200 vs 201)
 */
public record Submission(Job job, boolean created) {
}
