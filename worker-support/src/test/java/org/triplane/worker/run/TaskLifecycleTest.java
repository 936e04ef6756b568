package org.triplane.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.triplane.db.OptimisticLockException;

/** The retry of a step whose row another worker moved first (the rest of the lifecycle: TaskGuardIT). */
class TaskLifecycleTest {

    @Test
    void aStepThatLosesTheRaceIsRunAgainUntilItWins() {
        AtomicInteger tries = new AtomicInteger();

        String result = TaskLifecycle.retryOnConflict(() -> {
            if (tries.incrementAndGet() < 4) {
                throw new OptimisticLockException("job j: version 3 expected, 4 found (test)");
            }
            return "moved";
        });

        assertThat(result).isEqualTo("moved");
        assertThat(tries).hasValue(4);
    }

    @Test
    void afterSixLostRacesTheConflictIsThrown() {
        AtomicInteger tries = new AtomicInteger();

        assertThatThrownBy(() -> TaskLifecycle.retryOnConflict(() -> {
            tries.incrementAndGet();
            throw new OptimisticLockException("job j: version 3 expected, 4 found (test)");
        })).isInstanceOf(OptimisticLockException.class);
        assertThat(tries).hasValue(6);
    }

    @Test
    void anyOtherFailureIsNotRetried() {
        AtomicInteger tries = new AtomicInteger();

        assertThatThrownBy(() -> TaskLifecycle.retryOnConflict(() -> {
            tries.incrementAndGet();
            throw new IllegalStateException("not a conflict (test)");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(tries).hasValue(1);
    }
}
