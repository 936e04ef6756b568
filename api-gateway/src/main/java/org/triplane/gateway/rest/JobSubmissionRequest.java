package org.triplane.gateway.rest;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Body of {@code POST /api/v1/jobs}.
 *
 * @param kind       {@code segment}, {@code evaluate} or {@code train}
 * @param scanIds    the scans, each the caller's own, without duplicates
 * @param parameters free-form options recorded with the job (a JSON object), may be {@code null}
 */
public record JobSubmissionRequest(String kind, List<UUID> scanIds, Map<String, Object> parameters) {
}
