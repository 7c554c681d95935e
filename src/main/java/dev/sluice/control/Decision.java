package dev.sluice.control;

import java.util.List;

/** The outcome of one decision: the next state, and what changed and why (empty when nothing did). */
public record Decision(RunState next, List<Transition> transitions) {
    public Decision {
        transitions = List.copyOf(transitions);
    }

    public boolean changed() {
        return !transitions.isEmpty();
    }
}
