package org.triplane.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.imaging.plane.Plane;

class LeaseKeeperTest {

    @Test
    void aHeartbeatThatDiesOfAnErrorGivesTheTaskUpInsteadOfLettingItsLeaseLapseUnseen() throws Exception {
        CountDownLatch beaten = new CountDownLatch(1);
        try (LeaseKeeper keeper = new LeaseKeeper((t, seconds) -> {
            beaten.countDown();
            throw new OutOfMemoryError("Java heap space (test)");
        }, running(), 30, Duration.ofMillis(10))) {
            assertThat(beaten.await(5, TimeUnit.SECONDS)).isTrue();
            await("lease given up").atMost(Duration.ofSeconds(5)).until(keeper::lost);
        }
    }

    @Test
    void aHeartbeatThatFailsOnceKeepsTheTask() throws Exception {
        AtomicInteger beats = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        try (LeaseKeeper keeper = new LeaseKeeper((t, seconds) -> {
            three.countDown();
            if (beats.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
            return true;
        }, running(), 30, Duration.ofMillis(10))) {
            assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(keeper.lost()).isFalse();
        }
    }

    private static Task running() {
        return new Task(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), TaskKind.PLANE,
                Plane.AXIAL, TaskState.RUNNING, 1, 3, "w", null, null, Instant.now(), null, Instant.now(), null, null, null, 1);
    }
}
