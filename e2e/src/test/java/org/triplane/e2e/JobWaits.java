package org.triplane.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.triplane.client.GatewayClient;
import org.triplane.testing.TestStack;

/** Waiting for a job to reach a state, as the end-to-end tests do. */
final class JobWaits {
    /** How long a job of these tests (tiny networks, small phantoms) may take on two cores. */
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);
    private static final Set<String> ENDS = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private JobWaits() {
    }

    /** What a test says of a job that ended otherwise than awaited (its error, its tasks). */
    @FunctionalInterface
    interface Account<T> {
        String of(T job) throws Exception;
    }

    /**
     * Polls the job through the gateway's API until SUCCEEDED; fails at once when it FAILED or was
     * CANCELLED, naming its error, its failed tasks and the stack's logs.
     *
     * @return the job as the gateway answers it
     */
    static JsonNode awaitSucceeded(TestStack stack, GatewayClient gateway, String key, UUID jobId) {
        return awaitState(stack, jobId, "SUCCEEDED", JOB_TIMEOUT, () -> gateway.job(key, jobId), job -> job.get("state").asText(),
                job -> job.path("error").asText() + "; failed tasks: " + failedTasks(job));
    }

    /**
     * Looks at a job every second until {@code stateOf} its look is {@code wanted}; fails at once when
     * the job ended in another state, with {@code account}'s words on it, and after {@code timeout}
     * with the last look. Both name the stack's logs.
     *
     * @param look one look at the job (the gateway's answer, a database row)
     * @return the look that showed {@code wanted}
     */
    static <T> T awaitState(TestStack stack, UUID jobId, String wanted, Duration timeout, Callable<T> look, Function<T, String> stateOf,
                            Account<T> account) {
        Path logs = stack.config().dataDir().resolve("logs");
        Callable<T> endingRight = () -> {
            T job = look.call();
            String state = stateOf.apply(job);
            if (!state.equals(wanted) && ENDS.contains(state)) {
                throw new AssertionError("job " + jobId + " " + state + ", not " + wanted + ": " + account.of(job) + "; logs: " + logs);
            }
            return job;
        };
        return await("job " + jobId + " " + wanted + " (logs: " + logs + ")").atMost(timeout).pollInterval(Duration.ofSeconds(1))
                .until(endingRight, job -> stateOf.apply(job).equals(wanted));
    }

    private static List<String> failedTasks(JsonNode job) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : job.path("tasks")) {
            if (t.get("state").asText().equals("FAILED")) {
                out.add(t.get("kind").asText() + " " + t.path("plane").asText("") + " " + t.path("scanId").asText("") + ": "
                        + t.path("error").asText());
            }
        }
        return out;
    }
}
