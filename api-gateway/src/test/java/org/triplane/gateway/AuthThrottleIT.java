package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * Guessing one key's secret is stopped: after the test profile's 10 failures with one key within
 * the window, that key is answered 429 with Retry-After, uploads included, while other keys work on.
 */
class AuthThrottleIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    private static Api api;
    private static Api.Tenant tenant;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        tenant = api.createTenant("throttle-" + UUID.randomUUID());
    }

    @Test
    void theEleventhGuessAtOneKeyIsRefusedWithRetryAfterAndOtherKeysStillWork() {
        String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        for (int i = 0; i < 10; i++) {
            api.request().header("X-Api-Key", guess(prefix, i)).get("/api/v1/jobs").then().statusCode(401);
        }

        Response refused = api.request().header("X-Api-Key", guess(prefix, 10)).get("/api/v1/jobs");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.<String>path("part")).isEqualTo("authentication");
        assertThat(refused.<Integer>path("status")).isEqualTo(429);

        Response upload = api.upload(guess(prefix, 11), List.of(new Api.Part("ct", "ct.nii.gz", new byte[4096])));
        assertThat(upload.statusCode()).as("an upload with the locked key").isEqualTo(429);

        api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs").then().statusCode(200);
    }

    /** A well-formed key with the given public prefix and a secret that is not its own. */
    private static String guess(String prefix, int n) {
        String secret = (n + "-" + "x".repeat(43)).substring(0, 43);
        return "tp_" + prefix + "_" + secret;
    }
}
