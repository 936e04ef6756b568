package org.triplane.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.gateway.service.RequestRejected;

/** Report tokens open one job of one tenant until they expire, and nothing else. */
class ReportTokensTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aTokenOpensItsJobForItsTenantUntilItExpires() {
        UUID tenant = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        ReportTokens.Issued t = tokens(NOW).issue(tenant, job);
        assertThat(t.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(tokens(NOW.plusSeconds(3599)).verify(t.token(), job)).isEqualTo(tenant);
        assertThatThrownBy(() -> tokens(NOW.plusSeconds(3600)).verify(t.token(), job)).hasMessageContaining("expired");
        assertThatThrownBy(() -> tokens(NOW).verify(t.token(), UUID.randomUUID())).hasMessageContaining("not valid");
        String otherTenant = t.token().replace(tenant.toString(), UUID.randomUUID().toString());
        assertThatThrownBy(() -> tokens(NOW).verify(otherTenant, job)).hasMessageContaining("not valid");
        String later = (Long.parseLong(t.token().split("\\.")[0]) + 3600) + t.token().substring(t.token().indexOf('.'));
        assertThatThrownBy(() -> tokens(NOW).verify(later, job)).hasMessageContaining("not valid");
        assertThatThrownBy(() -> tokens(NOW).verify("x.y", job)).isInstanceOfSatisfying(RequestRejected.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> tokens(NOW).verify(null, job)).hasMessageContaining("/report/link");
        ReportTokens otherKey = new ReportTokens("another key of 32 bytes, at least".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> otherKey.verify(t.token(), job)).hasMessageContaining("not valid");
    }

    private static ReportTokens tokens(Instant now) {
        return new ReportTokens(KEY, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
    }
}
