package org.triplane.deploy.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An S3-API object store on the filesystem: s3proxy ({@code org.gaul.s3proxy.Main}) over
 * jclouds' {@code filesystem-nio2} provider, with AWS v2/v4 signatures checked against the
 * stack's local credentials; then the bucket {@value StackConfig#BUCKET} created.
 *
 * <p>Files: {@code <data>/objectstore/blobs/<bucket>/<key>} (the objects),
 * {@code s3proxy.properties} and {@code logback.xml} (rewritten on each start),
 * {@code java.args} (the class path).
 */
final class ObjectStoreComponent extends ServerComponent {
    static final String NAME = "objectstore";
    private static final String LOGBACK = """
            <configuration>
              <!-- why: s3proxy's own default logs every request at DEBUG -->
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private final Path home;
    private final Path properties;
    private final JavaServer java = new JavaServer(NAME, "s3proxy");

    ObjectStoreComponent(StackConfig config) {
        super(config, NAME, config.componentDir(NAME).resolve("s3proxy.properties"));
        this.home = config.componentDir(NAME);
        this.properties = home.resolve("s3proxy.properties");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Ports.Use> ports() {
        return List.of(new Ports.Use(NAME, "S3 API", config.s3Port(), "-Dtriplane.s3.port=N or TRIPLANE_S3_PORT=N"));
    }

    /** s3proxy's jars are all in the local Maven repository. */
    @Override
    public void preflight() {
        java.classPath();
    }

    @Override
    public long start(StartContext ctx) throws IOException {
        Path blobs = home.resolve("blobs");
        Files.createDirectories(blobs);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("s3proxy.endpoint", config.s3Endpoint());
        p.put("s3proxy.authorization", "aws-v2-or-v4");
        p.put("s3proxy.identity", config.s3AccessKey());
        p.put("s3proxy.credential", config.s3SecretKey());
        p.put("jclouds.provider", "filesystem-nio2");
        p.put("jclouds.filesystem.basedir", blobs.toString());
        // why: filesystem-nio2 insists on credentials of its own, whatever they are
        p.put("jclouds.identity", "local");
        p.put("jclouds.credential", "local");
        PropertiesFile.write(properties, "s3proxy of the triplane local stack; rewritten on each start.", p);
        Path logback = home.resolve("logback.xml");
        Files.writeString(logback, LOGBACK);
        List<String> cmd = java.command(home.resolve("java.args"),
                List.of("-Xms32m", "-Xmx256m", JavaServer.QUICK_START, "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + logback),
                "org.gaul.s3proxy.Main", "--properties", properties.toString());
        long pid = process.launch(cmd, home, Map.of()).pid();
        ctx.progress(NAME, "started (pid " + pid + ")");
        return pid;
    }

    @Override
    public void awaitReady(StartContext ctx) {
        Readiness r = ctx.readiness(NAME, process);
        boolean created = new BucketProvisioner(config).awaitAndProvision(r);
        if (created) {
            ctx.progress(NAME, "created bucket " + StackConfig.BUCKET);
        }
        ctx.progress(NAME, "ready at " + config.s3Endpoint() + ", bucket " + StackConfig.BUCKET);
    }

    @Override
    protected int primaryPort() {
        return config.s3Port();
    }

    @Override
    protected Map<String, Object> endpoints() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", config.s3Endpoint());
        m.put("bucket", StackConfig.BUCKET);
        return m;
    }

    @Override
    protected ManagedProcess.Signal stopSignal() {
        return ManagedProcess.Signal.TERM;
    }

    @Override
    protected Duration stopGrace() {
        return Duration.ofSeconds(20);
    }
}
