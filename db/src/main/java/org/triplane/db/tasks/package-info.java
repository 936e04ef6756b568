/**
 * Units of worker effort: creating tasks idempotently, claiming them under a lease, heartbeats,
 * timings and transitions ({@link org.triplane.db.tasks.Tasks}), and taking expired leases back
 * ({@link org.triplane.db.tasks.ExpiredLeases}). Lease lengths are seconds of the database clock.
 *
 * <p>Depends on the root package and on {@code jobs} (tasks belong to a job and log their transitions there).
 */
package org.triplane.db.tasks;
