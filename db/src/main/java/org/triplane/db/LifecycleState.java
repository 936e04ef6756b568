package org.triplane.db;

import java.util.Set;

/**
 * A state of an explicit state machine: each state names the states it may move to, and the
 * stores refuse everything else before touching the database.
 *
 * @param <S> the enum implementing it
 */
public interface LifecycleState<S extends Enum<S> & LifecycleState<S>> {

    /** @return the states this one may move to; empty for a terminal state */
    Set<S> successors();

    /**
     * @param next a candidate next state
     * @return whether moving from this state to {@code next} is allowed
     */
    default boolean canMoveTo(S next) {
        return successors().contains(next);
    }

    /** @return whether no transition leaves this state */
    default boolean isTerminal() {
        return successors().isEmpty();
    }

    /**
     * @param next the requested next state
     * @throws IllegalStateException naming both states when the transition is not allowed
     */
    default void requireMoveTo(S next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("illegal " + getClass().getSimpleName() + " transition "
                    + this + " -> " + next + " (allowed: " + successors() + ")");
        }
    }
}
