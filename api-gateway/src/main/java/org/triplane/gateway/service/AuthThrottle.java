package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.triplane.db.tenants.ApiKeys;
import org.triplane.gateway.config.GatewayConfig;

/**
 * Throttles failed authentications per client address and per API key ({@link GatewayConfig.AuthThrottle}):
 * wrong API keys, wrong admin tokens and bad report links count; a locked-out client or key is
 * refused before any work.
 *
 * <p>// why both: one address guessing many keys is stopped by the first, many addresses guessing
 * one key's secret by the second; the key is named by its public prefix, never by the secret.
 */
@ApplicationScoped
public class AuthThrottle {
    private final FailureCounter clients;
    private final FailureCounter keys;

    public AuthThrottle(GatewayConfig config) {
        GatewayConfig.AuthThrottle c = config.authThrottle();
        this.clients = new FailureCounter(c.maxFailuresPerClient(), c.window(), c.tracked(), System::nanoTime);
        this.keys = new FailureCounter(c.maxFailuresPerKey(), c.window(), c.tracked(), System::nanoTime);
    }

    /** How long the request of {@code client} with {@code apiKey} (may be null) is still refused, empty when it is not. */
    public Optional<Duration> lockedFor(String client, String apiKey) {
        return Stream.of(clients.lockedFor(client), keyOf(apiKey).flatMap(keys::lockedFor))
                .flatMap(Optional::stream).max(Comparator.naturalOrder());
    }

    /** Counts a failed authentication of {@code client}, and of the key it presented if any. */
    public void failed(String client, String apiKey) {
        clients.failed(client);
        keyOf(apiKey).ifPresent(keys::failed);
    }

    private static Optional<String> keyOf(String apiKey) {
        return apiKey == null || apiKey.isBlank() ? Optional.empty() : ApiKeys.prefixOf(apiKey.strip());
    }
}
