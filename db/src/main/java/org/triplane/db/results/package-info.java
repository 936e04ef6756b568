/**
 * What a job produced per scan: output object keys ({@link org.triplane.db.results.Results}), the
 * fusion-worker's fused result ({@link org.triplane.db.results.FusedResults}), per-class metrics
 * ({@link org.triplane.db.results.ClassMetric}, volumes in millilitres), and the summary and comparison
 * rows the audit reads return.
 *
 * <p>Depends on the root package only.
 */
package org.triplane.db.results;
