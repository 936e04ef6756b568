/**
 * The job database shared by every triplane service: Flyway migrations (in
 * {@code db/migration} on the classpath) and plain-JDBC stores, one package per concept:
 * {@code tenants}, {@code scans}, {@code jobs}, {@code tasks}, {@code models}, {@code results},
 * {@code outbox} and {@code audit}.
 *
 * <p>This package holds what they share: {@link org.triplane.db.Database} (connect, migrate),
 * {@link org.triplane.db.Tx} (one transaction, optionally acting for a tenant),
 * {@link org.triplane.db.Roles}, the exceptions, {@link org.triplane.db.LifecycleState} (the state
 * machines' contract), {@link org.triplane.db.ListPosition} (paging) and {@link org.triplane.db.Rows}
 * (the stores' JDBC helpers). Store methods take the {@link java.sql.Connection} of the caller's
 * transaction, so that rows, their transition-log entries and their outbox events always commit or
 * roll back together.
 *
 * <p>Time is always the database clock ({@code now()}), instants are UTC; durations are seconds,
 * lengths millimetres, intensities Hounsfield units (HU), volumes millilitres, sizes bytes.
 */
package org.triplane.db;
