package org.triplane.deploy.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.triplane.events.Topics;

/**
 * Where the local stack keeps its data and which loopback ports it listens on.
 *
 * <p>Every setting has a default and can be overridden by a system property {@code triplane.X}
 * or, when that is absent, by the environment variable {@code TRIPLANE_X} (upper case, dots as
 * underscores): see {@link #fromEnvironment()}. Set the same values for {@code up},
 * {@code status} and {@code down}.
 *
 * <p>Data directory layout: {@code logs/<component>.log}, {@code run/<component>.pid},
 * {@code postgres/}, {@code kafka/}, {@code objectstore/} and {@code stack.properties}
 * (the endpoints and credentials, for services and tests: see {@link StackProperties}).
 */
public final class StackConfig {
    /** Every server binds to this address only: the stack is never reachable from another machine. */
    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
    public static final int DEFAULT_S3_PORT = 18080;
    /** The api-gateway's HTTP port. */
    public static final int DEFAULT_GATEWAY_PORT = 18088;
    /** The preprocess-worker's HTTP port (health and metrics). */
    public static final int DEFAULT_WORKER_PORT = 18090;
    /** The gpu-worker's HTTP port (health and metrics). */
    public static final int DEFAULT_GPU_WORKER_PORT = 18092;
    /** The fusion-worker's HTTP port (health and metrics). */
    public static final int DEFAULT_FUSION_WORKER_PORT = 18094;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    /**
     * Between the HTTP ports of consecutive gpu-workers: the i-th (from 1) listens on
     * {@code gpuWorkerPort + (i - 1) × 100}. why: clear of the other services' default ports.
     */
    public static final int GPU_WORKER_PORT_STEP = 100;
    /** The plane-task topic's partitions: a gpu-worker beyond them would get no plane task. */
    public static final int MAX_GPU_WORKERS = Topics.ALL.stream().filter(t -> t.name().equals(Topics.PLANE_TASKS))
            .findFirst().orElseThrow().partitions();

    public static final String DATABASE = "triplane";
    public static final String BUCKET = "triplane";
    /** The region the S3 clients sign for; s3proxy accepts any. */
    public static final String S3_REGION = "us-east-1";
    /**
     * The gateway's heap as {@code -Xmx} takes it, the same in the local stack, in the gateway's
     * integration tests and in {@code k8s/api-gateway.yaml} ({@code ManifestsTest} keeps them equal).
     * Uploads are checked in memory that does not grow with the scan, so this stays as it is for
     * thin-slice CTs (BENCHMARKS.md, section 15).
     */
    public static final String GATEWAY_MAX_HEAP = "384m";
    /**
     * The preprocess-worker's heap, here and in {@code deploy/k8s/preprocess-worker.yaml}: a thin-slice
     * 512×512×600 int16 scan, the largest the gateway's default limits admit, fits.
     */
    public static final String PREPROCESS_MAX_HEAP = "2g";
    /** The fusion-worker's heap, here and in {@code deploy/k8s/fusion-worker.yaml}: a 512×512×600 scan fits. */
    public static final String FUSION_MAX_HEAP = "3g";
    // why: fixed local credentials; the servers listen on loopback only, and stack.properties publishes them
    static final String LOCAL_POSTGRES_USER = "triplane";
    static final String LOCAL_POSTGRES_PASSWORD = "triplane";
    static final String LOCAL_S3_ACCESS_KEY = "triplane";
    static final String LOCAL_S3_SECRET_KEY = "triplane-local-secret";
    /** The password the gateway gives the worker role at migration and the workers log in with. */
    static final String LOCAL_WORKER_DB_PASSWORD = "triplane-local-worker";
    static final String LOCAL_APP_DB_PASSWORD = "triplane-local-app";

    private final Path dataDir;
    private final int postgresPort;
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final int s3Port;
    private final int gatewayPort;
    private final int workerPort;
    private final int gpuWorkerPort;
    private final int fusionWorkerPort;
    private final int gpuWorkers;
    private final boolean infrastructureOnly;
    private final boolean servicesRequired;
    private final Path servicesHome;
    private final String externalPostgresUrl;
    private final String postgresUser;
    private final String postgresPassword;
    private final Duration startTimeout;
    private final Path defaultModelSet;

    private StackConfig(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.postgresPort = b.postgresPort;
        this.kafkaPort = b.kafkaPort;
        this.kafkaControllerPort = b.kafkaControllerPort;
        this.s3Port = b.s3Port;
        this.gatewayPort = b.gatewayPort;
        this.workerPort = b.workerPort;
        this.gpuWorkerPort = b.gpuWorkerPort;
        this.fusionWorkerPort = b.fusionWorkerPort;
        this.gpuWorkers = b.gpuWorkers;
        this.infrastructureOnly = b.infrastructureOnly;
        this.servicesRequired = b.servicesRequired;
        this.servicesHome = b.servicesHome == null ? null : b.servicesHome.toAbsolutePath().normalize();
        this.externalPostgresUrl = b.externalPostgresUrl;
        this.postgresUser = b.postgresUser;
        this.postgresPassword = b.postgresPassword;
        this.startTimeout = b.startTimeout;
        this.defaultModelSet = b.defaultModelSet == null ? null : b.defaultModelSet.toAbsolutePath().normalize();
    }

    /** A builder with every default set except the data directory. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder filled from this JVM's system properties and environment:
     * <table>
     * <caption>settings</caption>
     * <tr><th>system property</th><th>environment</th><th>default</th></tr>
     * <tr><td>triplane.stack.dir</td><td>TRIPLANE_STACK_DIR</td><td>{@code $TRIPLANE_HOME/stack}, else
     *     {@code <repository>/.triplane/stack}</td></tr>
     * <tr><td>triplane.pg.port</td><td>TRIPLANE_PG_PORT</td><td>15432</td></tr>
     * <tr><td>triplane.kafka.port</td><td>TRIPLANE_KAFKA_PORT</td><td>19092</td></tr>
     * <tr><td>triplane.kafka.controller.port</td><td>TRIPLANE_KAFKA_CONTROLLER_PORT</td><td>19093</td></tr>
     * <tr><td>triplane.s3.port</td><td>TRIPLANE_S3_PORT</td><td>18080</td></tr>
     * <tr><td>triplane.gateway.port</td><td>TRIPLANE_GATEWAY_PORT</td><td>18088</td></tr>
     * <tr><td>triplane.worker.port</td><td>TRIPLANE_WORKER_PORT</td><td>18090 (preprocess-worker)</td></tr>
     * <tr><td>triplane.gpu.port</td><td>TRIPLANE_GPU_PORT</td><td>18092 (gpu-worker)</td></tr>
     * <tr><td>triplane.fusion.port</td><td>TRIPLANE_FUSION_PORT</td><td>18094 (fusion-worker)</td></tr>
     * <tr><td>triplane.gpu.workers</td><td>TRIPLANE_GPU_WORKERS</td><td>1: how many gpu-workers the stack runs,
     *     each its own process on its own port ({@link #gpuWorkerPort(int)})</td></tr>
     * <tr><td>triplane.services.home</td><td>TRIPLANE_SERVICES_HOME</td><td>the repository: the folder holding
     *     {@code api-gateway/target/quarkus-app/quarkus-run.jar} and the workers' ({@link #builder()}
     *     alone: none, so no services)</td></tr>
     * <tr><td>triplane.pg.url</td><td>TRIPLANE_PG_URL</td><td>none: embedded PostgreSQL. When set, that
     *     server is used (health-checked, never started or stopped)</td></tr>
     * <tr><td>triplane.pg.user / .password</td><td>TRIPLANE_PG_USER / _PASSWORD</td><td>triplane / triplane</td></tr>
     * <tr><td>triplane.stack.timeout</td><td>TRIPLANE_STACK_TIMEOUT</td><td>120 (seconds per component)</td></tr>
     * <tr><td>triplane.default.model.set</td><td>TRIPLANE_DEFAULT_MODEL_SET</td><td>{@code <repository>/models/default}:
     *     the folder of the model set that ships with the project, registered by the gateway at start as the
     *     default ({@link #builder()} alone: none)</td></tr>
     * </table>
     */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    /** As {@link #fromEnvironment()}, from the given environment and system properties (for tests). */
    public static Builder fromEnvironment(Map<String, String> env, Properties props) {
        Settings s = new Settings(env, props);
        Builder b = builder();
        Optional<String> home = s.get("home");
        b.setDataDir(s.get("stack.dir").map(Path::of)
                .orElseGet(() -> home.map(h -> Path.of(h, "stack")).orElseGet(StackConfig::defaultDataDir)));
        s.port("pg.port").ifPresent(b::optPostgresPort);
        s.port("kafka.port").ifPresent(b::optKafkaPort);
        s.port("kafka.controller.port").ifPresent(b::optKafkaControllerPort);
        s.port("s3.port").ifPresent(b::optS3Port);
        s.port("gateway.port").ifPresent(b::optGatewayPort);
        s.port("worker.port").ifPresent(b::optWorkerPort);
        s.port("gpu.port").ifPresent(b::optGpuWorkerPort);
        s.port("fusion.port").ifPresent(b::optFusionWorkerPort);
        s.get("gpu.workers").map(v -> (int) s.positive("gpu.workers", v)).ifPresent(b::optGpuWorkers);
        b.optServicesHome(s.get("services.home").map(Path::of).or(StackConfig::repository).orElse(null));
        s.get("pg.url").ifPresent(b::optExternalPostgresUrl);
        s.get("pg.user").ifPresent(b::optPostgresUser);
        s.get("pg.password").ifPresent(b::optPostgresPassword);
        s.get("stack.timeout").map(v -> Duration.ofSeconds(s.positive("stack.timeout", v))).ifPresent(b::optStartTimeout);
        b.optDefaultModelSet(s.get("default.model.set").map(Path::of)
                .or(() -> repository().map(r -> r.resolve("models").resolve("default"))).orElse(null));
        return b;
    }

    /**
     * {@code <repository>/.triplane/stack}: the repository is the nearest folder holding
     * {@code deploy/pom.xml} above this class's jar or classes, else above the working directory;
     * failing both, {@code ~/.triplane/stack}.
     */
    static Path defaultDataDir() {
        return repository().map(r -> r.resolve(".triplane").resolve("stack"))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".triplane", "stack"));
    }

    /** The repository above this class's jar or classes, else above the working directory. */
    static Optional<Path> repository() {
        return codeLocation().flatMap(StackConfig::repositoryAbove).or(() -> repositoryAbove(Path.of("").toAbsolutePath()));
    }

    private static Optional<Path> codeLocation() {
        try {
            return Optional.of(Path.of(StackConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Path> repositoryAbove(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("deploy").resolve("pom.xml"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public Path dataDir() {
        return dataDir;
    }

    public int postgresPort() {
        return postgresPort;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int kafkaControllerPort() {
        return kafkaControllerPort;
    }

    public int s3Port() {
        return s3Port;
    }

    public int gatewayPort() {
        return gatewayPort;
    }

    public int workerPort() {
        return workerPort;
    }

    /** The first gpu-worker's HTTP port. */
    public int gpuWorkerPort() {
        return gpuWorkerPort;
    }

    /** How many gpu-workers the stack runs (1 unless set): they share the plane tasks' partitions. */
    public int gpuWorkers() {
        return gpuWorkers;
    }

    /** @param worker 1..{@link #gpuWorkers()} @return its HTTP port, {@link #GPU_WORKER_PORT_STEP} apart from the previous one's */
    public int gpuWorkerPort(int worker) {
        return gpuWorkerPort + (worker - 1) * GPU_WORKER_PORT_STEP;
    }

    public int fusionWorkerPort() {
        return fusionWorkerPort;
    }

    /**
     * Whether the stack is PostgreSQL, Kafka and the object store only: no service is started,
     * stopped, listed in {@code status} or published in {@code stack.properties}, and the
     * services' ports are not checked.
     */
    public boolean infrastructureOnly() {
        return infrastructureOnly;
    }

    /**
     * Whether {@code up} fails, before it starts anything, when a service's packaged jar is missing
     * (naming every such service) instead of skipping it.
     */
    public boolean servicesRequired() {
        return servicesRequired;
    }

    /**
     * Where the packaged services are looked for: {@code <home>/<module>/target/quarkus-app/quarkus-run.jar};
     * empty when no repository was found.
     */
    public Optional<Path> servicesHome() {
        return Optional.ofNullable(servicesHome);
    }

    /**
     * The packaged Quarkus service of that module ({@code api-gateway}, {@code preprocess-worker},
     * {@code gpu-worker}, {@code fusion-worker}), if a home is known.
     */
    public Optional<Path> serviceJar(String module) {
        return servicesHome().map(h -> h.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar"));
    }

    /** A configured PostgreSQL server to use instead of the embedded one. */
    public Optional<String> externalPostgresUrl() {
        return Optional.ofNullable(externalPostgresUrl);
    }

    public String postgresUser() {
        return postgresUser;
    }

    public String postgresPassword() {
        return postgresPassword;
    }

    public String s3AccessKey() {
        return LOCAL_S3_ACCESS_KEY;
    }

    public String s3SecretKey() {
        return LOCAL_S3_SECRET_KEY;
    }

    /** How long each component may take to become ready. */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The folder of the model set that ships with the project ({@code model-set.json} and the planes'
     * weights), which the gateway registers at start as the default; empty: the gateway's own setting.
     * A folder that does not exist means no shipped default.
     */
    public Optional<Path> defaultModelSet() {
        return Optional.ofNullable(defaultModelSet);
    }

    /** The JDBC URL of the stack's database (the external one when configured). */
    public String jdbcUrl() {
        return externalPostgresUrl().orElse("jdbc:postgresql://" + HOST + ":" + postgresPort + "/" + DATABASE);
    }

    /** Kafka's {@code bootstrap.servers}. */
    public String kafkaBootstrap() {
        return HOST + ":" + kafkaPort;
    }

    /** The S3 API endpoint. */
    /** The HTTP base URL of a server of this stack listening on {@code port} (all listen on {@link #HOST}). */
    static String localUrl(int port) {
        return "http://" + HOST + ":" + port;
    }

    public String s3Endpoint() {
        return localUrl(s3Port);
    }

    public String gatewayUrl() {
        return localUrl(gatewayPort);
    }

    /** The preprocess-worker's HTTP base URL (health, metrics). */
    public String workerUrl() {
        return localUrl(workerPort);
    }

    /** The (first) gpu-worker's HTTP base URL (health, metrics). */
    public String gpuWorkerUrl() {
        return gpuWorkerUrl(1);
    }

    /** @param worker 1..{@link #gpuWorkers()} @return that gpu-worker's HTTP base URL (health, metrics) */
    public String gpuWorkerUrl(int worker) {
        return localUrl(gpuWorkerPort(worker));
    }

    /** The fusion-worker's HTTP base URL (health, metrics). */
    public String fusionWorkerUrl() {
        return localUrl(fusionWorkerPort);
    }

    /** {@code <data>/<component>}: the component's own files. */
    public Path componentDir(String component) {
        return dataDir.resolve(component);
    }

    /** {@code <data>/logs/<component>.log}: the component's standard output and error. */
    public Path logFile(String component) {
        return dataDir.resolve("logs").resolve(component + ".log");
    }

    /** {@code <data>/run/<component>.pid}: the process id while it runs. */
    public Path pidFile(String component) {
        return dataDir.resolve("run").resolve(component + ".pid");
    }

    /** {@code <data>/stack.properties}: endpoints and credentials for services and tests. */
    public Path propertiesFile() {
        return dataDir.resolve("stack.properties");
    }

    /** Held while {@code up} or {@code down} runs, so that two of them never overlap. */
    Path lockFile() {
        return dataDir.resolve("run").resolve("stack.lock");
    }

    @Override
    public String toString() {
        return "StackConfig{dataDir=" + dataDir + ", postgres=" + (externalPostgresUrl == null ? postgresPort : externalPostgresUrl)
                + ", kafka=" + kafkaPort + "/" + kafkaControllerPort + ", s3=" + s3Port + (infrastructureOnly ? ", infrastructure only" : ", gateway=" + gatewayPort + ", worker=" + workerPort
                        + ", gpu-worker=" + gpuWorkerPort + (gpuWorkers > 1 ? " (" + gpuWorkers + " workers)" : "")
                        + ", fusion-worker=" + fusionWorkerPort + ", services=" + servicesHome)
                + "}";
    }

    /** Required: {@code setDataDir}; everything else has a default. */
    public static final class Builder {
        private Path dataDir;
        private int postgresPort = DEFAULT_POSTGRES_PORT;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
        private int s3Port = DEFAULT_S3_PORT;
        private int gatewayPort = DEFAULT_GATEWAY_PORT;
        private int workerPort = DEFAULT_WORKER_PORT;
        private int gpuWorkerPort = DEFAULT_GPU_WORKER_PORT;
        private int fusionWorkerPort = DEFAULT_FUSION_WORKER_PORT;
        private int gpuWorkers = 1;
        private boolean infrastructureOnly;
        private boolean servicesRequired;
        // why: a stack built in code (the services' own tests) runs the servers only, unless asked
        private Path servicesHome;
        private String externalPostgresUrl;
        private String postgresUser = LOCAL_POSTGRES_USER;
        private String postgresPassword = LOCAL_POSTGRES_PASSWORD;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Path defaultModelSet;

        private Builder() {
        }

        public Builder setDataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder optPostgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        public Builder optKafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder optKafkaControllerPort(int port) {
            this.kafkaControllerPort = port;
            return this;
        }

        public Builder optS3Port(int port) {
            this.s3Port = port;
            return this;
        }

        public Builder optGatewayPort(int port) {
            this.gatewayPort = port;
            return this;
        }

        public Builder optWorkerPort(int port) {
            this.workerPort = port;
            return this;
        }

        public Builder optGpuWorkerPort(int port) {
            this.gpuWorkerPort = port;
            return this;
        }

        public Builder optFusionWorkerPort(int port) {
            this.fusionWorkerPort = port;
            return this;
        }

        /**
         * How many gpu-workers to run, 1 (the default) up to the plane-task topic's partitions (a
         * worker beyond them would get none): the first is {@code gpu-worker} on {@link #optGpuWorkerPort}, the
         * i-th {@code gpu-worker-i} on that port + (i − 1) × {@value StackConfig#GPU_WORKER_PORT_STEP}.
         */
        public Builder optGpuWorkers(int workers) {
            this.gpuWorkers = workers;
            return this;
        }

        /**
         * {@code true}: PostgreSQL, Kafka and the object store only, for tests that run the
         * service under test themselves; the services are left out of {@code up}, {@code down},
         * {@code status} and {@code stack.properties}, and their ports are neither checked nor
         * compared with the servers'. Default {@code false}.
         */
        public Builder optInfrastructureOnly(boolean only) {
            this.infrastructureOnly = only;
            return this;
        }

        /**
         * {@code true}: a service whose packaged jar is missing fails {@code up} before anything starts,
         * with a message naming it and the jar (the command line's {@code stack up} and demo, where a
         * stack without its services would pass for a working one); {@code false} (the default): it
         * is skipped and {@code status} shows it {@code not-built} (tests that package only the
         * services they are about).
         */
        public Builder optServicesRequired(boolean required) {
            this.servicesRequired = required;
            return this;
        }

        /**
         * The folder holding {@code api-gateway/}, {@code preprocess-worker/}, {@code gpu-worker/}
         * and {@code fusion-worker/} with their packaged
         * jars; {@code null} (the builder's default): no services, only the servers.
         */
        public Builder optServicesHome(Path home) {
            this.servicesHome = home;
            return this;
        }

        /** Use this PostgreSQL server instead of starting the embedded one; {@code null} or blank: embedded. */
        public Builder optExternalPostgresUrl(String jdbcUrl) {
            this.externalPostgresUrl = jdbcUrl == null || jdbcUrl.isBlank() ? null : jdbcUrl.trim();
            return this;
        }

        public Builder optPostgresUser(String user) {
            this.postgresUser = user;
            return this;
        }

        public Builder optPostgresPassword(String password) {
            this.postgresPassword = password;
            return this;
        }

        /** The shipped default model set's folder, passed to the gateway; {@code null}: the gateway's own setting. */
        public Builder optDefaultModelSet(Path folder) {
            this.defaultModelSet = folder;
            return this;
        }

        public Builder optStartTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Checks every field; the message names the one that is wrong. */
        public void validate() {
            if (dataDir == null) {
                throw new IllegalArgumentException("dataDir is required");
            }
            checkPort("postgresPort", postgresPort);
            checkPort("kafkaPort", kafkaPort);
            checkPort("kafkaControllerPort", kafkaControllerPort);
            checkPort("s3Port", s3Port);
            checkPort("gatewayPort", gatewayPort);
            checkPort("workerPort", workerPort);
            checkPort("gpuWorkerPort", gpuWorkerPort);
            checkPort("fusionWorkerPort", fusionWorkerPort);
            if (gpuWorkers < 1 || gpuWorkers > MAX_GPU_WORKERS) {
                throw new IllegalArgumentException("gpuWorkers must be 1.." + MAX_GPU_WORKERS
                        + " (the plane-task topic's partitions), got " + gpuWorkers);
            }
            checkPort("gpuWorkerPort of gpu-worker-" + gpuWorkers, gpuWorkerPort + (gpuWorkers - 1) * GPU_WORKER_PORT_STEP);
            Map<String, Integer> bound = new LinkedHashMap<>();
            if (externalPostgresUrl == null) {
                bound.put("postgresPort", postgresPort);
            }
            bound.put("kafkaPort", kafkaPort);
            bound.put("kafkaControllerPort", kafkaControllerPort);
            bound.put("s3Port", s3Port);
            // why: a stack without services never binds their ports, so a test's free port may equal a default
            if (!infrastructureOnly) {
                bound.put("gatewayPort", gatewayPort);
                bound.put("workerPort", workerPort);
                bound.put("gpuWorkerPort", gpuWorkerPort);
                for (int i = 2; i <= gpuWorkers; i++) {
                    bound.put("gpuWorkerPort of gpu-worker-" + i, gpuWorkerPort + (i - 1) * GPU_WORKER_PORT_STEP);
                }
                bound.put("fusionWorkerPort", fusionWorkerPort);
            }
            Map<Integer, String> seen = new LinkedHashMap<>();
            bound.forEach((name, port) -> {
                String other = seen.putIfAbsent(port, name);
                if (other != null) {
                    throw new IllegalArgumentException(name + " and " + other + " are both " + port);
                }
            });
            if (externalPostgresUrl != null && !externalPostgresUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("externalPostgresUrl must start with jdbc:postgresql:, got " + externalPostgresUrl);
            }
            if (postgresUser == null || postgresUser.isBlank()) {
                throw new IllegalArgumentException("postgresUser must not be blank");
            }
            if (postgresPassword == null) {
                throw new IllegalArgumentException("postgresPassword must not be null");
            }
            if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
            }
        }

        private static void checkPort(String field, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(field + " must be 1..65535, got " + port);
            }
        }

        public StackConfig build() {
            validate();
            return new StackConfig(this);
        }
    }

    /** System property {@code triplane.KEY}, else environment {@code TRIPLANE_KEY}. */
    private record Settings(Map<String, String> env, Properties props) {
        Optional<String> get(String key) {
            String v = props.getProperty("triplane." + key);
            if (v == null) {
                v = env.get(envName(key));
            }
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        Optional<Integer> port(String key) {
            return get(key).map(v -> {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(describe(key) + " must be a port number, got '" + v + "'");
                }
            });
        }

        long positive(String key, String v) {
            try {
                long n = Long.parseLong(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(describe(key) + " must be a positive whole number, got '" + v + "'");
        }

        private static String envName(String key) {
            return "TRIPLANE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
        }

        private static String describe(String key) {
            return "triplane." + key + " (" + envName(key) + ")";
        }
    }
}
