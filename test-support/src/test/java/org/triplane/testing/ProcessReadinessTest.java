package org.triplane.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The readiness wait on real OS processes: a running {@code sleep} and one that has exited. */
class ProcessReadinessTest {
    private static final Path LOG = Path.of("/tmp/server.log");
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process running() throws IOException {
        process = new ProcessBuilder("sleep", "60").start();
        return process;
    }

    @Test
    void returnsOnceTheAnswerIsReady() throws Exception {
        AtomicInteger looks = new AtomicInteger();

        ProcessReadiness.awaitReady(running(), "server", LOG, Duration.ofSeconds(10),
                () -> looks.incrementAndGet() < 3 ? "503 starting" : "200 up", answer -> answer.startsWith("200 "));

        assertThat(looks.get()).isEqualTo(3);
    }

    @Test
    void aProcessThatExitedFailsAtOnceNamingItsCodeAndLog() throws Exception {
        process = new ProcessBuilder("sh", "-c", "exit 3").start();
        process.waitFor(10, TimeUnit.SECONDS);
        long start = System.nanoTime();

        assertThatThrownBy(() -> ProcessReadiness.awaitReady(process, "server", LOG, Duration.ofSeconds(30),
                () -> "503 starting", answer -> answer.startsWith("200 ")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("server exited with 3").hasMessageContaining(LOG.toString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("failed without waiting out the timeout")
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aServerNeverReadyFailsAtTheDeadlineWithItsLastAnswerAndLog() throws Exception {
        Process p = running();

        assertThatThrownBy(() -> ProcessReadiness.awaitReady(p, "server", LOG, Duration.ofSeconds(1),
                () -> {
                    throw new IOException("connection refused");
                }, answer -> answer.startsWith("200 ")))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageContaining("server answering as ready").hasMessageContaining(LOG.toString())
                .hasMessageContaining("java.io.IOException: connection refused");
    }
}
