/**
 * The job database shared by every triplane service: Flyway migrations (in
 * {@code db/migration} on the classpath) and a plain-JDBC job store.
 *
 * <p>Entry points: {@link org.triplane.db.Database} (connect, migrate),
 * {@link org.triplane.db.Tx} (one transaction, optionally acting for a tenant) and
 * {@link org.triplane.db.JobStore} (every read and write the services need). Store methods take
 * the {@link java.sql.Connection} of the caller's transaction, so that rows, their transition-log
 * entries and their outbox events always commit or roll back together.
 *
 * <p>Time is always the database clock ({@code now()}), instants are UTC; durations are seconds,
 * lengths millimetres, intensities Hounsfield units (HU), volumes millilitres, sizes bytes.
 */
package org.triplane.db;
