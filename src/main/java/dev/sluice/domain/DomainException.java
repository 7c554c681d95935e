package dev.sluice.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request the domain refuses, for a reason a caller can act on: something does not exist, a
 * version is stale, a field breaks a rule, an action does not fit the run's status. Cores and stores
 * throw it; the HTTP layer turns each {@link Fault} into one problem type (see {@code
 * api.ProblemTypes}), so the same refusal reads the same through every door. {@link #members()}
 * carry what a caller needs to act on it (the current version, the active run, the run's status),
 * and become members of the problem body. Immutable.
 */
public class DomainException extends RuntimeException {
    private final Fault fault;
    private final String pointer;
    private final String rule;
    private final Map<String, Object> members;

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
        /** A plan of this name exists already. */
        PLAN_EXISTS,
        /** A token of this name exists already. */
        TOKEN_EXISTS,
        /** An idempotency key already started something else. */
        IDEMPOTENCY_KEY_REUSED,
        /** Leases are not offered for a plan that admits in exact mode. */
        LEASES_UNAVAILABLE,
        /** The caller did not say who it is, or its credentials are not valid. */
        UNAUTHENTICATED,
        /** The caller is known, but its roles or scopes do not allow the request. */
        FORBIDDEN
    }

    public DomainException(Fault fault, String message) {
        this(fault, message, null, null, Map.of());
    }

    private DomainException(Fault fault, String message, String pointer, String rule, Map<String, Object> members) {
        super(message, null, false, false);
        this.fault = Objects.requireNonNull(fault);
        this.pointer = pointer;
        this.rule = rule;
        this.members = members;
    }

    public static DomainException notFound(String what) {
        return new DomainException(Fault.NOT_FOUND, what);
    }

    /** A field of a request body, named by JSON pointer, that breaks {@code rule}. */
    public static DomainException invalidField(String pointer, String rule, String message) {
        return new DomainException(Fault.INVALID_FIELD, message, pointer, rule, Map.of());
    }

    /** The caller read {@code currentVersion}'s predecessor: carries {@code currentVersion}. */
    public static DomainException staleVersion(String message, int currentVersion) {
        return new DomainException(Fault.STALE_VERSION, message).with("currentVersion", currentVersion);
    }

    /**
     * The same refusal with one more member for the caller (e.g. {@code currentVersion}). A
     * subclass's type is not kept: the fault says what the refusal is.
     */
    public DomainException with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(members);
        more.put(Objects.requireNonNull(member), value);
        return new DomainException(fault, getMessage(), pointer, rule, Collections.unmodifiableMap(more));
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

    /** What the caller needs to act on the refusal, by member name, in the order added. */
    public Map<String, Object> members() {
        return members;
    }
}
