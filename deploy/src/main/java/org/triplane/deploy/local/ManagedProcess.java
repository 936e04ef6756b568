package org.triplane.deploy.local;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One server process of the stack: started detached with its output appended to
 * {@code <data>/logs/<name>.log}, remembered in {@code <data>/run/<name>.pid}, and stopped by that
 * pid from any JVM.
 *
 * <p>A pid file alone could name an unrelated process once the pid is reused, so a process only
 * counts as this server when its command line contains {@code marker} (a path inside the
 * component's own directory).
 */
final class ManagedProcess {
    /** How a server is asked to stop. */
    enum Signal {
        /** SIGTERM: the JVM servers run their shutdown hooks. */
        TERM,
        /** SIGINT: PostgreSQL's "fast" shutdown (SIGTERM would wait for every client to leave). */
        INT
    }

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Path pidFile;
    private final Path logFile;
    private final String marker;
    private volatile Process launched;

    ManagedProcess(String name, Path pidFile, Path logFile, String marker) {
        this.name = name;
        this.pidFile = pidFile;
        this.logFile = logFile;
        this.marker = marker;
    }

    Path logFile() {
        return logFile;
    }

    /** The server's process if it runs (pid file present, process alive and recognisably this server). */
    Optional<ProcessHandle> running() {
        return readPid().flatMap(ProcessHandle::of).filter(ManagedProcess::alive).filter(this::isThisServer);
    }

    private boolean isThisServer(ProcessHandle h) {
        Optional<String> cmd = h.info().commandLine();
        // why: when the command line cannot be read (another user's process) the pid file is all there is
        return cmd.isEmpty() || cmd.get().contains(marker);
    }

    private static boolean alive(ProcessHandle h) {
        return h.isAlive() && !Os.isZombie(h.pid());
    }

    /**
     * Starts the server detached (its own session, standard input from /dev/null, output appended
     * to the log) and writes the pid file.
     */
    Process launch(List<String> command, Path workDir, Map<String, String> extraEnv) throws IOException {
        Files.createDirectories(pidFile.getParent());
        appendToLog("starting " + name + ": " + String.join(" ", command));
        List<String> full = new ArrayList<>(Os.detachPrefix());
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        launched = p;
        writePid(p.pid());
        return p;
    }

    /**
     * Runs a setup command (initdb, storage format) to completion, output appended to the log.
     *
     * @return its exit code
     */
    int runToCompletion(String what, List<String> command, Path workDir, Map<String, String> extraEnv, Duration timeout)
            throws IOException {
        appendToLog(what + ": " + String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new StackException(name, what + " did not finish within " + timeout.toSeconds() + " s", logFile, null);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StackException(name, what + " interrupted", logFile, e);
        }
    }

    /** The exit code of a server launched by this object that has ended; empty while it runs or if launched elsewhere. */
    OptionalInt exitCode() {
        Process p = launched;
        return p != null && !p.isAlive() ? OptionalInt.of(p.exitValue()) : OptionalInt.empty();
    }

    /** Whether the server launched by this object (or found by pid) still runs. */
    boolean isAlive() {
        Process p = launched;
        return p != null ? p.isAlive() : running().isPresent();
    }

    /**
     * Stops the server: the polite signal, up to {@code grace} to exit, then SIGKILL. Removes the
     * pid file. Does nothing when it does not run.
     */
    DownResult.Outcome stop(Signal signal, Duration grace) {
        Optional<ProcessHandle> handle = running();
        if (handle.isEmpty()) {
            deletePidFile();
            return DownResult.Outcome.NOT_RUNNING;
        }
        ProcessHandle h = handle.get();
        try {
            if (signal == Signal.TERM) {
                h.destroy();
            } else {
                Os.signal(h.pid(), signal.name());
            }
        } catch (IOException e) {
            h.destroy();
        }
        DownResult.Outcome outcome = DownResult.Outcome.STOPPED;
        if (!awaitExit(h, grace)) {
            note("did not stop within " + grace.toSeconds() + " s of SIG" + signal + "; killing it");
            h.destroyForcibly();
            outcome = DownResult.Outcome.KILLED;
            if (!awaitExit(h, KILL_WAIT)) {
                throw new StackException(name, "process " + h.pid() + " survived SIGKILL", logFile, null);
            }
        }
        deletePidFile();
        return outcome;
    }

    private static boolean awaitExit(ProcessHandle h, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(h)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive(h);
            }
        }
        return true;
    }

    /** The pid in the pid file, if there is a readable one. */
    Optional<Long> readPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void writePid(long pid) throws IOException {
        Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n");
        Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // a stale pid file is harmless: running() checks the process behind it
        }
    }

    /** Appends one line, marked as the stack's, to the log (the server's own lines follow). */
    void appendToLog(String line) throws IOException {
        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, "---- triplane stack " + Instant.now() + " " + line + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void note(String line) {
        try {
            appendToLog(line);
        } catch (IOException e) {
            // the log is for people; stopping goes on without it
        }
    }

    /** The last non-blank line of the log, shortened, for error messages; empty if none. */
    String lastLogLine() {
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long from = Math.max(0, f.length() - 16_384);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\\R");
            for (int i = lines.length - 1; i >= 0; i--) {
                String l = lines[i].strip();
                if (!l.isEmpty()) {
                    return l.length() > 300 ? l.substring(0, 300) + "..." : l;
                }
            }
        } catch (IOException e) {
            // no log yet
        }
        return "";
    }
}
