/**
 * Delivery: the transactional outbox and its relays' claim ({@link org.triplane.db.outbox.Outbox}),
 * idempotent consumers' marks ({@link org.triplane.db.outbox.ProcessedEvents}) and the dead letters of
 * input a worker gave up on ({@link org.triplane.db.outbox.DeadLetters}).
 *
 * <p>Depends on the root package only.
 */
package org.triplane.db.outbox;
