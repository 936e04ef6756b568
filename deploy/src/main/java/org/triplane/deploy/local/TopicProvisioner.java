package org.triplane.deploy.local;

import org.triplane.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Waits until the broker answers the admin API, then makes {@link Topics#ALL} exist with at least
 * their partition counts, each partition with a leader. Idempotent.
 */
final class TopicProvisioner {
    private static final long CALL_SECONDS = 10;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private final String bootstrap;

    TopicProvisioner(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** @return the topics it created (empty when all existed) */
    List<String> awaitAndProvision(Readiness readiness) {
        Admin admin = Admin.create(adminConfig());
        try {
            readiness.await("the broker to answer describeCluster at " + bootstrap, () -> {
                if (admin.describeCluster().nodes().get(CALL_SECONDS, TimeUnit.SECONDS).isEmpty()) {
                    throw new IllegalStateException("no broker registered yet");
                }
            });
            List<String> created = new ArrayList<>();
            readiness.await("topics " + names(), () -> created.addAll(reconcile(admin)));
            readiness.await("a leader for every topic partition", () -> checkLeaders(admin));
            return created;
        } finally {
            admin.close(CLOSE_TIMEOUT);
        }
    }

    private Properties adminConfig() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "triplane-stack");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TimeUnit.SECONDS.toMillis(CALL_SECONDS)));
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "1000");
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "2000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return p;
    }

    /** Creates missing topics and adds partitions where a topic has fewer than asked; returns the created ones. */
    private static List<String> reconcile(Admin admin) throws Exception {
        Set<String> existing = admin.listTopics().names().get(CALL_SECONDS, TimeUnit.SECONDS);
        List<NewTopic> missing = Topics.ALL.stream().filter(t -> !existing.contains(t.name()))
                .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1)).toList();
        List<String> created = new ArrayList<>();
        if (!missing.isEmpty()) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
            for (Map.Entry<String, KafkaFuture<Void>> e : results.entrySet()) {
                try {
                    e.getValue().get(CALL_SECONDS, TimeUnit.SECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
        }
        Map<String, TopicDescription> described = describe(admin, names());
        for (Topics.Spec t : Topics.ALL) {
            int have = described.get(t.name()).partitions().size();
            if (have < t.partitions()) {
                admin.createPartitions(Map.of(t.name(), NewPartitions.increaseTo(t.partitions())))
                        .all().get(CALL_SECONDS, TimeUnit.SECONDS);
            }
        }
        return created;
    }

    private static void checkLeaders(Admin admin) throws Exception {
        for (TopicDescription d : describe(admin, names()).values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() == null || p.leader().isEmpty()) {
                    throw new IllegalStateException(d.name() + "-" + p.partition() + " has no leader yet");
                }
            }
        }
    }

    private static Map<String, TopicDescription> describe(Admin admin, Collection<String> names) throws Exception {
        return admin.describeTopics(names).allTopicNames().get(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private static List<String> names() {
        return Topics.ALL.stream().map(Topics.Spec::name).toList();
    }
}
