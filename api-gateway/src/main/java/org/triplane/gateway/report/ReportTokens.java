package org.triplane.gateway.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.gateway.service.RequestRejected;

/**
 * Signed, expiring links to one job's report. A browser cannot send the {@code X-Api-Key} header
 * with a page or its images, so the report page and its overlay images carry a token instead:
 * {@code <expiry epoch seconds>.<tenant id>.<HMAC-SHA256 of tenant, job and expiry>}. A token
 * opens one job's report for its tenant until it expires and nothing else.
 *
 * <p>The key is {@code triplane.report.signing-key} when set (several gateway replicas must share
 * it), otherwise a random key made at start-up, so links die with the process.
 */
@ApplicationScoped
public class ReportTokens {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Duration validity;
    private final Clock clock;

    @Inject
    public ReportTokens(GatewayConfig config) {
        this(config.report().signingKey().map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(ReportTokens::randomKey),
                config.report().linkValidity(), Clock.systemUTC());
    }

    ReportTokens(byte[] key, Duration validity, Clock clock) {
        if (key.length < 16) {
            throw new IllegalArgumentException("triplane.report.signing-key: at least 16 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.validity = validity;
        this.clock = clock;
    }

    /**
     * A token issued now.
     *
     * @param token     the value for the {@code token} query parameter
     * @param expiresAt when it stops working
     */
    public record Issued(String token, Instant expiresAt) {
    }

    /** @param tenantId the job's tenant @param jobId the job @return a token for its report */
    public Issued issue(UUID tenantId, UUID jobId) {
        long expires = clock.instant().plus(validity).getEpochSecond();
        return new Issued(expires + "." + tenantId + "." + sign(tenantId, jobId, expires), Instant.ofEpochSecond(expires));
    }

    /**
     * @param token the presented token
     * @param jobId the job whose report is asked for
     * @return the tenant the token was issued to
     * @throws RequestRejected 403 naming {@code token} when it is missing, malformed, for another
     *                         job, tampered with or expired
     */
    public UUID verify(String token, UUID jobId) {
        if (token == null || token.isBlank()) {
            throw new RequestRejected(403, "token", "report links need their token parameter; get one from "
                    + "/api/v1/jobs/" + jobId + "/report/link");
        }
        String[] parts = token.split("\\.");
        long expires;
        UUID tenant;
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("3 parts expected");
            }
            expires = Long.parseLong(parts[0]);
            tenant = UUID.fromString(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new RequestRejected(403, "token", "malformed report token");
        }
        byte[] expected = sign(tenant, jobId, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            throw new RequestRejected(403, "token", "report token not valid for job " + jobId);
        }
        if (clock.instant().getEpochSecond() >= expires) {
            throw new RequestRejected(403, "token", "report token expired at " + Instant.ofEpochSecond(expires)
                    + "; get a new link from /api/v1/jobs/" + jobId + "/report/link");
        }
        return tenant;
    }

    private String sign(UUID tenantId, UUID jobId, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] sig = mac.doFinal(("report|" + tenantId + "|" + jobId + "|" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }
}
