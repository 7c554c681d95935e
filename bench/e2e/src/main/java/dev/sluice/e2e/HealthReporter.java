package dev.sluice.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes the tier's health to Sluice once a second, from the tier's own Prometheus metrics:
 * {@code errorRatio} = (503 + 504 answers) ÷ all answers over the last second (0 when the tier
 * answered nothing: nothing failed), and {@code latencyMillis} = the 99th percentile of the answers
 * of that second, read as the upper bound of the histogram bucket that holds it.
 */
final class HealthReporter {
    private final HttpClient http;
    private final URI metrics;
    private final SluiceApi sluice;
    private final String plan;
    private final String source;
    private Map<String, Double> last;
    final AtomicLong pushed = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    HealthReporter(HttpClient http, URI metrics, SluiceApi sluice, String plan, String source) {
        this.http = http;
        this.metrics = metrics;
        this.sluice = sluice;
        this.plan = plan;
        this.source = source;
    }

    /** One report: read the counters, diff them with the last reading, push. */
    void reportOnce() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, Double> now = parse(r.body());
            if (last != null) {
                push(now, last);
            }
            last = now;
        } catch (IOException e) {
            failures.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void push(Map<String, Double> now, Map<String, Double> before) throws IOException, InterruptedException {
        double ok = delta(now, before, "tier_responses_total{code=\"200\"}");
        double errors = delta(now, before, "tier_responses_total{code=\"503\"}")
                + delta(now, before, "tier_responses_total{code=\"504\"}");
        double answers = ok + errors;
        double errorRatio = answers > 0 ? errors / answers : 0;
        StringBuilder body = new StringBuilder("{\"source\":").append(Json.quote(source));
        body.append(",\"errorRatio\":").append(errorRatio);
        double p99 = p99Millis(now, before);
        if (answers > 0 && p99 >= 0) {
            body.append(",\"latencyMillis\":").append(p99);
        }
        body.append('}');
        HttpResponse<String> r = sluice.post("/api/v1/plans/" + plan + "/health-reports", body.toString());
        if (r.statusCode() == 202) {
            pushed.incrementAndGet();
        } else {
            failures.incrementAndGet();
        }
    }

    private static double p99Millis(Map<String, Double> now, Map<String, Double> before) {
        double total = delta(now, before, "tier_response_latency_seconds_bucket{le=\"+Inf\"}");
        if (total <= 0) {
            return -1;
        }
        for (double boundMillis : LatencyHistogram.BOUNDS_MILLIS) {
            String key = "tier_response_latency_seconds_bucket{le=\"" + (boundMillis / 1000.0) + "\"}";
            if (delta(now, before, key) >= 0.99 * total) {
                return boundMillis;
            }
        }
        return 2 * LatencyHistogram.BOUNDS_MILLIS[LatencyHistogram.BOUNDS_MILLIS.length - 1];
    }

    private static double delta(Map<String, Double> now, Map<String, Double> before, String key) {
        return now.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

    /** Prometheus text: every sample line as "name{labels}" → value. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> m = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (RuntimeException ignored) {
                // not a sample line
            }
        }
        return m;
    }
}
