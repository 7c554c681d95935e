package dev.sluice.domain;

import java.util.Objects;

/**
 * A request the domain refuses, for a reason a caller can act on: something does not exist, a
 * version is stale, a field breaks a rule, an action does not fit the run's status. Cores throw
 * it; the HTTP layer turns each {@link Fault} into one problem type (see {@code api.ProblemTypes}),
 * so the same refusal reads the same through every door.
 */
public class DomainException extends RuntimeException {
    private final Fault fault;
    private final String pointer;
    private final String rule;

    /** What kind of refusal; each has exactly one problem type on the wire. */
    public enum Fault {
        /** The run, plan, service, token or event named does not exist. */
        NOT_FOUND,
        /** A request body field breaks a rule ({@link #pointer()} and {@link #rule()} say which). */
        INVALID_FIELD,
        /** An action or transition the run's status does not allow. */
        ILLEGAL_TRANSITION,
        /** The version the caller read is no longer the current one. */
        STALE_VERSION,
        /** A run of this plan is already active. */
        RUN_ACTIVE,
        /** The plan is used by an active run. */
        PLAN_IN_USE,
        /** The name is taken. */
        NAME_TAKEN,
        /** Leases are not offered for a plan that admits in exact mode. */
        LEASES_UNAVAILABLE
    }

    public DomainException(Fault fault, String message) {
        this(fault, message, null, null);
    }

    private DomainException(Fault fault, String message, String pointer, String rule) {
        super(message, null, false, false);
        this.fault = Objects.requireNonNull(fault);
        this.pointer = pointer;
        this.rule = rule;
    }

    public static DomainException notFound(String what) {
        return new DomainException(Fault.NOT_FOUND, what);
    }

    /** A field of a request body, named by JSON pointer, that breaks {@code rule}. */
    public static DomainException invalidField(String pointer, String rule, String message) {
        return new DomainException(Fault.INVALID_FIELD, message, pointer, rule);
    }

    public Fault fault() {
        return fault;
    }

    /** For {@link Fault#INVALID_FIELD}: the field's JSON pointer; otherwise null. */
    public String pointer() {
        return pointer;
    }

    /** For {@link Fault#INVALID_FIELD}: the rule the field breaks; otherwise null. */
    public String rule() {
        return rule;
    }
}
