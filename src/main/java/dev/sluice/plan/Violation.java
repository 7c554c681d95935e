package dev.sluice.plan;

/**
 * One reason a plan is not valid.
 *
 * @param pointer JSON pointer (RFC 6901) to the offending value, e.g. {@code /services/3/dependsOn/0}
 * @param rule a stable rule identifier, e.g. {@code unknown-service}
 * @param message what is wrong, for humans
 */
public record Violation(String pointer, String rule, String message) {

    @Override
    public String toString() {
        return pointer + ": " + message + " [" + rule + "]";
    }
}
