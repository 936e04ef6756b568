package org.triplane.gateway.rest;

import java.time.Instant;

/**
 * A signed link to a job's report.
 *
 * @param url       path on this gateway, with the token; opens the report without an API key
 * @param expiresAt when the link stops working (UTC)
 */
public record ReportLinkResponse(String url, Instant expiresAt) {
}
