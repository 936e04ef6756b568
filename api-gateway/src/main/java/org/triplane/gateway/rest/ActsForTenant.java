package org.triplane.gateway.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class whose every method acts for the tenant of the {@code X-Api-Key} header:
 * {@link TenantAuthFilter} authenticates its requests before their bodies are read, and the
 * methods take the tenant from {@link CallingTenant}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface ActsForTenant {
}
