package org.triplane.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTest {

    @Test
    void aRunThatThrowsDoesNotStopTheRunsAfterIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        Set<Thread> runners = ConcurrentHashMap.newKeySet();
        Periodic p = Periodic.start("test-periodic", "test step", Duration.ofMillis(10), () -> {
            runners.add(Thread.currentThread());
            runs.incrementAndGet();
            three.countDown();
            throw new IllegalStateException("database down");
        });
        try {
            assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.stop();
        }
        int afterStop = runs.get();
        // why the threads: a run is only ever made on one of them, so once they have ended none can start any
        // more, and a run counted between stop returning and their end is one that started after stop
        for (Thread t : runners) {
            t.join(TimeUnit.SECONDS.toMillis(5));
            assertThat(t.isAlive()).as("%s ended after stop", t.getName()).isFalse();
        }
        assertThat(runs.get()).isEqualTo(afterStop);
    }

    @Test
    void aRunThatDiesOfAnErrorDoesNotStopTheRunsAfterIt() throws Exception {
        CountDownLatch afterTheError = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        Periodic p = Periodic.start("test-periodic", "test step", Duration.ofMillis(10), () -> {
            if (runs.incrementAndGet() == 1) {
                throw new OutOfMemoryError("Java heap space (test)");
            }
            afterTheError.countDown();
        });
        try {
            assertThat(afterTheError.await(5, TimeUnit.SECONDS)).as("runs after the error").isTrue();
        } finally {
            p.stop();
        }
    }

    @Test
    void stopInterruptsTheRunInProgress() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Periodic p = Periodic.start("test-periodic", "test step", Duration.ofMillis(1), () -> {
            started.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        p.stop();

        assertThat(interrupted.await(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aZeroIntervalIsRefused() {
        assertThatThrownBy(() -> Periodic.start("t", "sweep", Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sweep");
    }
}
