package org.triplane.db.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.triplane.db.jobs.StateTransition;

/** Domain assertions on an entity's transition history: {@code assertThatHistory(h).hasStates(...)}. */
public final class HistoryAssert extends AbstractAssert<HistoryAssert, List<StateTransition>> {

    private HistoryAssert(List<StateTransition> actual) {
        super(actual, HistoryAssert.class);
    }

    /** @param history rows of one entity, oldest first @return the assertion */
    public static HistoryAssert assertThatHistory(List<StateTransition> history) {
        return new HistoryAssert(history);
    }

    /**
     * Checks the sequence of states entered, starting with the creation.
     *
     * @param states expected {@code to_state} values in order
     * @return this
     */
    public HistoryAssert hasStates(Enum<?>... states) {
        isNotNull();
        List<String> expected = new ArrayList<>();
        for (Enum<?> s : states) {
            expected.add(s.name());
        }
        List<String> entered = actual.stream().map(StateTransition::toState).toList();
        if (!entered.equals(expected)) {
            failWithMessage("expected states %s but the log has %s", expected, entered);
        }
        for (int i = 1; i < actual.size(); i++) {
            if (!Objects.equals(actual.get(i).fromState(), actual.get(i - 1).toState())) {
                failWithMessage("row %d starts from %s but the previous row ended in %s", i,
                        actual.get(i).fromState(), actual.get(i - 1).toState());
            }
        }
        return this;
    }

    /** @param expected the last row's actor @return this */
    public HistoryAssert lastActorIs(String expected) {
        isNotEmpty();
        String actor = actual.get(actual.size() - 1).actor();
        if (!expected.equals(actor)) {
            failWithMessage("expected last actor %s but was %s", expected, actor);
        }
        return this;
    }

    private void isNotEmpty() {
        isNotNull();
        if (actual.isEmpty()) {
            failWithMessage("expected a non-empty history");
        }
    }
}
