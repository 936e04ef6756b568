/**
 * The job database shared by every triplane service: Flyway migrations (in
 * {@code db/migration} on the classpath) and a plain-JDBC job store.
 *
 * <p>Entry points: {@link org.triplane.db.Database} (connect, migrate),
 * {@link org.triplane.db.Tx} (one transaction, optionally acting for a tenant), the stores of single
 * concepts ({@link org.triplane.db.Outbox}, {@link org.triplane.db.ProcessedEvents},
 * {@link org.triplane.db.ScanDeletions}) and {@link org.triplane.db.JobStore} (the reads and writes
 * that have no store of their own yet). Store methods take
 * the {@link java.sql.Connection} of the caller's transaction, so that rows, their transition-log
 * entries and their outbox events always commit or roll back together.
 *
 * <p>Time is always the database clock ({@code now()}), instants are UTC; durations are seconds,
 * lengths millimetres, intensities Hounsfield units (HU), volumes millilitres, sizes bytes.
 */
package org.triplane.db;
