package org.triplane.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.tasks.TaskState;

class StateMachinesTest {

    @Test
    void jobsMoveForwardOnly() {
        assertThat(JobState.SUBMITTED.successors()).containsExactlyInAnyOrder(JobState.RUNNING, JobState.FAILED, JobState.CANCELLED);
        assertThat(JobState.RUNNING.successors()).containsExactlyInAnyOrder(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED);
        assertThat(EnumSet.allOf(JobState.class).stream().filter(JobState::isTerminal))
                .containsExactlyInAnyOrder(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED);
    }

    @Test
    void tasksMayBeRequeuedFromRunningOnly() {
        assertThat(TaskState.PENDING.successors()).containsExactlyInAnyOrder(TaskState.RUNNING, TaskState.CANCELLED);
        assertThat(TaskState.RUNNING.successors())
                .containsExactlyInAnyOrder(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.PENDING, TaskState.CANCELLED);
        assertThat(EnumSet.allOf(TaskState.class).stream().filter(TaskState::isTerminal))
                .containsExactlyInAnyOrder(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED);
    }

    @Test
    void aJobScanMayFailBeforeItRuns() {
        assertThat(JobScanState.PENDING.canMoveTo(JobScanState.FAILED)).isTrue();
        assertThat(JobScanState.PENDING.canMoveTo(JobScanState.SUCCEEDED)).isFalse();
        assertThat(JobScanState.RUNNING.canMoveTo(JobScanState.PENDING)).isFalse();
    }

    @Test
    void anIllegalTransitionNamesBothStates() {
        assertThatThrownBy(() -> JobState.SUBMITTED.requireMoveTo(JobState.SUCCEEDED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JobState")
                .hasMessageContaining("SUBMITTED -> SUCCEEDED");
        assertThatThrownBy(() -> TaskState.SUCCEEDED.requireMoveTo(TaskState.PENDING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SUCCEEDED -> PENDING");
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void noJobStateMovesToItself(JobState s) {
        assertThat(s.canMoveTo(s)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void noTaskStateMovesToItself(TaskState s) {
        assertThat(s.canMoveTo(s)).isFalse();
    }

    @Test
    void everyNonTerminalStateCanEndUpTerminal() {
        for (List<? extends LifecycleState<?>> states : List.of(List.of(JobState.values()), List.of(TaskState.values()),
                List.of(JobScanState.values()))) {
            for (LifecycleState<?> s : states) {
                assertThat(s.isTerminal() || reachesTerminal(s)).as(s.toString()).isTrue();
            }
        }
    }

    @Test
    void allowedTransitionsPass() {
        assertThatCode(() -> TaskState.RUNNING.requireMoveTo(TaskState.PENDING)).doesNotThrowAnyException();
        assertThatCode(() -> JobState.RUNNING.requireMoveTo(JobState.SUCCEEDED)).doesNotThrowAnyException();
    }

    private static boolean reachesTerminal(LifecycleState<?> s) {
        Set<? extends LifecycleState<?>> next = cast(s.successors());
        return next.stream().anyMatch(LifecycleState::isTerminal);
    }

    @SuppressWarnings("unchecked")
    private static Set<? extends LifecycleState<?>> cast(Set<?> s) {
        return (Set<? extends LifecycleState<?>>) s;
    }
}
