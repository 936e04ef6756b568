package org.triplane.db.models;

/**
 * What {@link DefaultModelSets#registerShipped} did.
 *
 * @param set         the shipped set, now the default
 * @param registered  whether this call inserted the set and its models (false: they were there)
 * @param madeDefault whether this call made it the default (false: it already was; nothing was written)
 */
public record DefaultRegistration(ModelSet set, boolean registered, boolean madeDefault) {
}
