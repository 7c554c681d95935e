package dev.sluice.client;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sluice's replies as a test scripts them, in order, and the requests the limiter sent. A request
 * with nothing scripted is a test error, so a limiter that asks when it should not fails loudly.
 */
final class ScriptedTransport implements Transport {
    record Sent(String method, String path, String json) {}

    private final Deque<Object> script = new ArrayDeque<>();
    final List<Sent> sent = new ArrayList<>();

    synchronized ScriptedTransport reply(int status, String body, String... headerPairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        script.add(new Reply(status, headers, body));
        return this;
    }

    synchronized ScriptedTransport unreachable() {
        script.add(new IOException("connection refused"));
        return this;
    }

    synchronized int remaining() {
        return script.size();
    }

    @Override
    public synchronized Reply send(String method, String path, String json) throws IOException {
        sent.add(new Sent(method, path, json));
        Object next = script.poll();
        if (next == null) {
            throw new AssertionError("unexpected request " + method + " " + path + " " + json);
        }
        if (next instanceof IOException e) {
            throw e;
        }
        return (Reply) next;
    }

    synchronized Sent last() {
        return sent.get(sent.size() - 1);
    }

    /** A lease answer as Sluice gives it, with its times {@code leaseSeconds} from {@code serverNow}. */
    static String lease(double rate, long burst, java.time.Instant serverNow, long leaseSeconds, double safeRate) {
        return "{\"clientId\":\"c\",\"rate\":" + rate + ",\"burst\":" + burst + ",\"expiresAt\":\""
                + serverNow.plusSeconds(leaseSeconds) + "\",\"refreshAfter\":\""
                + serverNow.plusMillis(leaseSeconds * 500) + "\",\"safeRatePerSecond\":" + safeRate + "}";
    }
}
