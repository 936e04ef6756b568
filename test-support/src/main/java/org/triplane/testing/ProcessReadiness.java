package org.triplane.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waiting for a server process a test started until it answers as ready: the wait fails at once
 * when the process exits, and on its deadline names the process's last answer and its log.
 */
public final class ProcessReadiness {
    private static final Duration POLL = Duration.ofMillis(250);

    private ProcessReadiness() {
    }

    /** One look at the process: its answer as text (a status and body, say). */
    @FunctionalInterface
    public interface Probe {
        String answer() throws Exception;
    }

    /**
     * Probes {@code process} every 250 ms until {@code ready} accepts its answer.
     *
     * @param name  the process as messages name it
     * @param log   where its output goes, named by every failure
     * @param probe one look; an exception it throws (a refused connection) stands as the answer
     */
    public static void awaitReady(Process process, String name, Path log, Duration timeout, Probe probe, Predicate<String> ready) {
        await(name + " answering as ready (log " + log + ")").atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL)
                .pollInSameThread().until(() -> answer(process, name, log, probe), ready);
    }

    private static String answer(Process process, String name, Path log, Probe probe) throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return probe.answer();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return e.toString();
        }
    }
}
