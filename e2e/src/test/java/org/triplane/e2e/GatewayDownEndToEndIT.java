package org.triplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.client.GatewayClient;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.deploy.local.StackProperties;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;

/**
 * A job goes on without the gateway. On the local stack with the packaged gateway and the three
 * workers, each its own process, a segment job of one phantom scan (the shipped default model set)
 * is submitted and the gateway killed (SIGKILL) as soon as it accepted it. With no gateway running
 * from then on, the job must succeed, observed in the database: one task per stage and plane, each
 * done once, one fused result, and every event of the job published to Kafka by the workers' relays.
 */
class GatewayDownEndToEndIT extends WholeStack {
    @Test
    void aJobSubmittedJustBeforeTheGatewayIsKilledCompletesOnceWithoutIt() throws Exception {
        PhantomDataset.Result phantoms = PhantomDataset.write(
                PhantomSpec.of(64, 64, 28, new double[] {3.6, 3.6, 5.0}, 13), dir.resolve("phantoms"), 1, null);
        PhantomDataset.SubjectFiles subject = phantoms.subjects().get(0);
        GatewayClient gateway = new GatewayClient(stack.properties().getProperty(StackProperties.GATEWAY_URL));
        String key = gateway.createTenant(stack.properties().getProperty(StackProperties.GATEWAY_ADMIN_TOKEN),
                "gateway-down-" + UUID.randomUUID()).apiKey();
        UUID scan = UUID.fromString(gateway.uploadScan(key, phantoms.directory().resolve(subject.ctFile()),
                phantoms.directory().resolve(subject.transformFile())).get("id").asText());

        JsonNode job = gateway.submitSegmentJob(key, "gateway-down-" + UUID.randomUUID(), List.of(scan));
        stack.killGateway();
        Instant killed = databaseNow();
        UUID jobId = UUID.fromString(job.get("id").asText());

        awaitSucceededWithoutGateway(jobId);

        // one task per stage and plane, each SUCCEEDED exactly once
        List<String> tasks = strings("SELECT kind || ':' || coalesce(plane, '-') FROM tasks WHERE job_id = ? ORDER BY 1", jobId);
        assertThat(tasks).containsExactly("FUSION:-", "PLANE:AXIAL", "PLANE:CORONAL", "PLANE:SAGITTAL", "PREPROCESS:-");
        assertThat(strings("SELECT state FROM tasks WHERE job_id = ?", jobId)).containsOnly("SUCCEEDED");
        Map<String, Long> succeeded = new HashMap<>();
        for (String task : strings("""
                SELECT t.kind || ':' || coalesce(t.plane, '-') FROM state_transitions s JOIN tasks t ON t.id = s.entity_id
                WHERE s.entity_type = 'TASK' AND s.to_state = 'SUCCEEDED' AND t.job_id = ?""", jobId)) {
            succeeded.merge(task, 1L, Long::sum);
        }
        assertThat(succeeded).as("SUCCEEDED transitions per task").containsOnlyKeys(tasks).allSatisfy((t, n) -> assertThat(n).isEqualTo(1L));

        // one fused result
        assertThat(strings("SELECT scan_id::text FROM results WHERE job_id = ?", jobId)).containsExactly(scan.toString());

        // every event of the job reached Kafka; those committed after the kill only through the workers' relays
        assertThat(strings("SELECT id::text FROM outbox WHERE aggregate = ? AND published_at IS NULL", "job:" + jobId))
                .as("unpublished outbox rows of the job").isEmpty();
        List<String> afterKill = strings("SELECT topic FROM outbox WHERE aggregate = ? AND created_at > ? ORDER BY seq",
                "job:" + jobId, killed);
        assertThat(afterKill).as("events committed after the gateway was killed")
                .contains("triplane.plane-tasks", "triplane.plane-results");
        assertGatewayDown();
    }

    /** Polls the job row until SUCCEEDED, failing at once when it FAILED, or when the gateway came back. */
    private static void awaitSucceededWithoutGateway(UUID jobId) {
        JobWaits.awaitState(stack, jobId, "SUCCEEDED", JobWaits.JOB_TIMEOUT, () -> {
            assertGatewayDown();
            return new JobRow(strings("SELECT state FROM jobs WHERE id = ?", jobId).get(0),
                    strings("SELECT kind || ' ' || coalesce(plane, '') || ' ' || state FROM tasks WHERE job_id = ?", jobId));
        }, JobRow::state, row -> strings("SELECT coalesce(error, '') FROM jobs WHERE id = ?", jobId) + "; tasks: "
                + strings("SELECT kind || ' ' || state || ' ' || coalesce(error, '') FROM tasks WHERE job_id = ?", jobId));
    }

    /** The job's row as one look sees it: its state and each task's kind, plane and state. */
    private record JobRow(String state, List<String> tasks) {
    }

    private static void assertGatewayDown() {
        ComponentStatus gateway = stack.status().component("gateway").orElseThrow();
        assertThat(gateway.state()).as("the gateway: %s", gateway).isNotEqualTo(ComponentStatus.State.RUNNING);
    }

    private static Instant databaseNow() throws SQLException {
        try (Connection c = stack.owner().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT now()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** The first column of every row of {@code sql}, run as the schema owner with {@code args} bound in order. */
    private static List<String> strings(String sql, Object... args) throws SQLException {
        try (Connection c = stack.owner().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                ps.setObject(i + 1, a instanceof Instant t ? java.sql.Timestamp.from(t) : a);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
