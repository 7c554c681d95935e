package dev.sluice.control;

import dev.sluice.domain.WireNames;
import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a run. The legal transitions are listed here and nowhere else; {@link #check} rejects
 * any other with a named error.
 */
public enum RunStatus {
    RUNNING,
    PAUSED,
    COMPLETED,
    ABORTED;

    private Set<RunStatus> next() {
        return switch (this) {
            case RUNNING -> EnumSet.of(PAUSED, COMPLETED, ABORTED);
            case PAUSED -> EnumSet.of(RUNNING, ABORTED);
            case COMPLETED, ABORTED -> EnumSet.noneOf(RunStatus.class);
        };
    }

    public boolean isActive() {
        return this == RUNNING || this == PAUSED;
    }

    /** @throws IllegalTransitionException unless a run may go from this status to {@code to} */
    public void check(RunStatus to) {
        if (!next().contains(to)) {
            throw new IllegalTransitionException("a " + wireName() + " run cannot become " + to.wireName());
        }
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
