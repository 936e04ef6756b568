package org.triplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.triplane.client.GatewayClient;
import org.triplane.testing.TestStack;

/** Waiting for a job through the gateway's API, as the end-to-end tests do. */
final class JobWaits {
    /** How long a job of these tests (tiny networks, small phantoms) may take on two cores. */
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);

    private JobWaits() {
    }

    /**
     * Polls the job until SUCCEEDED; fails at once when it FAILED or was CANCELLED, naming its error,
     * its failed tasks and the stack's logs.
     *
     * @return the job as the gateway answers it
     */
    static JsonNode awaitSucceeded(TestStack stack, GatewayClient gateway, String key, UUID jobId) throws Exception {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        JsonNode job = gateway.job(key, jobId);
        while (System.nanoTime() < deadline) {
            String state = job.get("state").asText();
            if (state.equals("SUCCEEDED")) {
                return job;
            }
            if (state.equals("FAILED") || state.equals("CANCELLED")) {
                throw new AssertionError("job " + jobId + " " + state + ": " + job.path("error").asText() + "; failed tasks: "
                        + failedTasks(job) + "; logs: " + stack.config().dataDir().resolve("logs"));
            }
            Thread.sleep(1000);
            job = gateway.job(key, jobId);
        }
        throw new AssertionError("job " + jobId + " not SUCCEEDED within " + JOB_TIMEOUT.toMinutes() + " min; tasks: "
                + job.get("tasks") + "; logs: " + stack.config().dataDir().resolve("logs"));
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
