package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.triplane.client.GatewayClient;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.deploy.local.StackProperties;
import org.triplane.deploy.local.StackStatus;
import org.triplane.imaging.phantom.PhantomDataset;

/**
 * The job pipeline half of the demo, on the local stack: start the stack (servers and services),
 * create a tenant, upload the synthetic scans through the gateway, submit a segment job, and follow
 * it until every scan is preprocessed and split into plane tasks. The stack is left running.
 */
final class PipelineDemo {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** What the job looked like when its preprocessing was done. */
    record Result(String gatewayUrl, UUID tenantId, UUID jobId, String jobState, TreeMap<String, Integer> tasks,
                  int transitions, double seconds) {
    }

    private final PrintStream progress;

    PipelineDemo(PrintStream progress) {
        this.progress = progress;
    }

    /** Whether both service jars are built, so that the stack can run the pipeline. */
    static boolean servicesBuilt(StackConfig config) {
        StackStatus status = new LocalStack(config).status();
        for (String service : List.of("gateway", "preprocess-worker")) {
            if (status.component(service).map(c -> c.state() == ComponentStatus.State.NOT_BUILT).orElse(true)) {
                return false;
            }
        }
        return true;
    }

    Result run(StackConfig config, Path dataset, List<PhantomDataset.SubjectFiles> scans) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        new LocalStack(config, (component, message) -> progress.printf("      %s: %s%n", component, message)).up();
        Properties endpoints = StackProperties.read(config.dataDir());
        GatewayClient gateway = new GatewayClient(endpoints.getProperty(StackProperties.GATEWAY_URL));
        GatewayClient.Tenant tenant = gateway.createTenant(endpoints.getProperty(StackProperties.GATEWAY_ADMIN_TOKEN),
                "demo-" + UUID.randomUUID());
        List<UUID> scanIds = new ArrayList<>();
        for (PhantomDataset.SubjectFiles s : scans) {
            JsonNode scan = gateway.uploadScan(tenant.apiKey(), dataset.resolve(s.ctFile()), dataset.resolve(s.transformFile()));
            scanIds.add(UUID.fromString(scan.get("id").asText()));
            progress.printf("      %s %d/%d  uploaded %s as scan %s%n", ImagingDemo.bar(scanIds.size(), scans.size()),
                    scanIds.size(), scans.size(), s.ctFile(), scanIds.get(scanIds.size() - 1));
        }
        UUID jobId = UUID.fromString(gateway.submitSegmentJob(tenant.apiKey(), "demo-" + UUID.randomUUID(), scanIds)
                .get("id").asText());
        progress.printf("      job %s submitted%n", jobId);
        JsonNode job = awaitPreprocessed(gateway, tenant.apiKey(), jobId, scans.size(), config);
        TreeMap<String, Integer> tasks = new TreeMap<>();
        for (JsonNode t : job.get("tasks")) {
            tasks.merge(t.get("kind").asText() + " " + t.get("state").asText(), 1, Integer::sum);
        }
        return new Result(endpoints.getProperty(StackProperties.GATEWAY_URL), tenant.id(), jobId, job.get("state").asText(),
                tasks, job.get("transitions").size(), (System.nanoTime() - t0) / 1e9);
    }

    private JsonNode awaitPreprocessed(GatewayClient gateway, String apiKey, UUID jobId, int scans, StackConfig config)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int reported = -1;
        while (true) {
            JsonNode job = gateway.job(apiKey, jobId);
            int done = 0;
            int planes = 0;
            for (JsonNode t : job.get("tasks")) {
                String kind = t.get("kind").asText();
                String state = t.get("state").asText();
                if (kind.equals("PREPROCESS") && state.equals("FAILED")) {
                    throw new IOException("preprocessing failed: " + t.path("error").asText() + " (job " + jobId + "; logs in "
                            + config.dataDir().resolve("logs") + ")");
                }
                done += kind.equals("PREPROCESS") && state.equals("SUCCEEDED") ? 1 : 0;
                planes += kind.equals("PLANE") ? 1 : 0;
            }
            if (done != reported) {
                progress.printf("      %s %d/%d  scans preprocessed%n", ImagingDemo.bar(done, scans), done, scans);
                reported = done;
            }
            if (done == scans && planes == 3 * scans) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("job " + jobId + " not preprocessed within " + TIMEOUT.toMinutes() + " min; logs in "
                        + config.dataDir().resolve("logs"));
            }
            Thread.sleep(500);
        }
    }
}
