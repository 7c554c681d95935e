package dev.sluice.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Reading Sluice's answers: the few fields the limiters need, and the retry hint of a refusal. */
final class Replies {
    private Replies() {}

    static Map<String, Object> body(Transport.Reply reply) {
        if (reply.body() == null || reply.body().isBlank()) {
            return Map.of();
        }
        try {
            return Json.readObject(reply.body());
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    static boolean unrestricted(Map<String, Object> body) {
        return Boolean.TRUE.equals(body.get("unrestricted"));
    }

    static double number(Map<String, Object> body, String field, double fallback) {
        return body.get(field) instanceof Double d ? d : fallback;
    }

    static String text(Map<String, Object> body, String field, String fallback) {
        return body.get(field) instanceof String s ? s : fallback;
    }

    static Instant instant(Map<String, Object> body, String field) {
        if (!(body.get(field) instanceof String s)) {
            throw new IllegalArgumentException("the answer has no " + field);
        }
        return Instant.parse(s);
    }

    /**
     * How long a refused client waits before it asks again: never less than Sluice said. The
     * millisecond hint ({@code retry-after-ms}, or {@code retryAfterMillis} in the body) is already
     * jittered by Sluice and is taken as it is; a whole-second {@code Retry-After} alone gets up to a
     * second of jitter on top, because clients reading whole seconds otherwise return together at the
     * start of the same second. Without any hint: one to two seconds.
     */
    static Duration retryAfter(Transport.Reply reply, Map<String, Object> body, RandomGenerator random) {
        Long millis = longOf(reply.header("retry-after-ms"));
        if (millis == null && body.get("retryAfterMillis") instanceof Double d) {
            millis = d.longValue();
        }
        if (millis != null && millis >= 0) {
            return Duration.ofMillis(millis);
        }
        Long seconds = longOf(reply.header("retry-after"));
        long base = seconds != null && seconds >= 0 ? seconds * 1000 : 1000;
        return Duration.ofMillis(base + random.nextLong(1000));
    }

    /** The unrestricted answer's length: {@code unrestrictedSeconds}, else the header, else 30 s. */
    static Duration unrestrictedFor(Transport.Reply reply, Map<String, Object> body) {
        double seconds = number(body, "unrestrictedSeconds", -1);
        if (seconds < 0) {
            Long header = longOf(reply.header("sluice-unrestricted"));
            seconds = header == null ? 30 : header;
        }
        return Duration.ofMillis((long) (seconds * 1000));
    }

    private static Long longOf(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
