/**
 * Read-only queries of the audit and comparison views ({@link org.triplane.db.audit.AuditQueries}):
 * filtered job and scan lists, a job's fused results and metrics, and paired metric comparisons of
 * jobs and of model sets. They read across concepts; nothing else depends on this package.
 *
 * <p>Depends on the root package, {@code jobs}, {@code scans} and {@code results}.
 */
package org.triplane.db.audit;
