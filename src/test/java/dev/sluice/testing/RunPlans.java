package dev.sluice.testing;

/** Small plans for run tests, as JSON. */
public final class RunPlans {
    private RunPlans() {}

    /**
     * Tier {@code kv} (capacity 400/s) with one push source {@code reports} and an error-rate gate
     * (green after 2, red after 2, 10 s window); services {@code a} (critical, 100/s) and {@code b}
     * (normal, 100/s, depends on a); stages 25%, 50%, 100% with a 5 s hold; tick every second.
     */
    public static String pushPlan(String name) {
        return """
                {"name": "%s",
                 "tier": {"name": "kv", "capacityPerSecond": 400,
                          "health": [{"name": "reports", "kind": "push", "staleAfterSeconds": 5}]},
                 "services": [
                   {"name": "a", "demandPerSecond": 100, "priority": "critical"},
                   {"name": "b", "demandPerSecond": 100, "dependsOn": ["a"]}],
                 "stages": [
                   {"name": "quarter", "share": 0.25, "holdSeconds": 5},
                   {"name": "half", "share": 0.5, "holdSeconds": 5},
                   {"name": "full", "share": 1.0, "holdSeconds": 5}],
                 "gates": [{"name": "tier-errors", "kind": "tier-error-rate", "maxErrorRatio": 0.05,
                            "windowSeconds": 10, "greenSamples": 2, "redSamples": 2}],
                 "policy": {"stepBacksBeforePause": 3, "unknownHealthPauseSeconds": 30,
                            "safeRatePerSecond": 5, "tickIntervalMillis": 1000}}
                """.formatted(name);
    }

    /** Like {@link #pushPlan} but the tier is probed over HTTP at {@code url} (timeout 300 ms). */
    public static String httpPlan(String name, String url) {
        return pushPlan(name)
                .replace(
                        "{\"name\": \"reports\", \"kind\": \"push\", \"staleAfterSeconds\": 5}",
                        "{\"name\": \"probe\", \"kind\": \"http\", \"url\": \"" + url + "\", \"timeoutMillis\": 300}");
    }
}
