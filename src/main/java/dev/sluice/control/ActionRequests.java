package dev.sluice.control;

import dev.sluice.domain.DomainException;

/**
 * The rules every door checks an operator's request by, with the same words: the REST API and the
 * Kubernetes resources refuse a missing reason, or an override out of range, alike. Pure.
 */
public final class ActionRequests {
    public static final int MAX_REASON_CHARS = 2000;
    /** Every override expires, at the latest after a day. */
    public static final long MAX_OVERRIDE_SECONDS = 86_400;

    private ActionRequests() {}

    /** @throws DomainException {@code INVALID_FIELD} at {@code /reason} when missing or too long */
    public static void checkReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw DomainException.invalidField(
                    "/reason", "required", "every action needs a reason: reviewers read it after the incident");
        }
        if (reason.length() > MAX_REASON_CHARS) {
            throw DomainException.invalidField("/reason", "max-length", "at most " + MAX_REASON_CHARS + " characters");
        }
    }

    /** @throws DomainException {@code INVALID_FIELD} naming the field out of range */
    public static void checkOverride(Double ratePerSecond, Long durationSeconds) {
        if (ratePerSecond == null || !Double.isFinite(ratePerSecond) || ratePerSecond < 0) {
            throw DomainException.invalidField("/ratePerSecond", "range", "must be a finite number, 0 or more");
        }
        if (durationSeconds == null || durationSeconds < 1 || durationSeconds > MAX_OVERRIDE_SECONDS) {
            throw DomainException.invalidField(
                    "/durationSeconds",
                    "range",
                    "must be between 1 and " + MAX_OVERRIDE_SECONDS + ": every override expires");
        }
    }
}
