/**
 * Tenants (the unit of isolation) and their API keys: creating a tenant, its upload setting, issuing,
 * authenticating and revoking keys ({@link org.triplane.db.tenants.Tenants}), and the key format and
 * hashing ({@link org.triplane.db.tenants.ApiKeys}). Not tenant-scoped: a key must be found before its
 * tenant is known.
 *
 * <p>Depends on the root package only.
 */
package org.triplane.db.tenants;
