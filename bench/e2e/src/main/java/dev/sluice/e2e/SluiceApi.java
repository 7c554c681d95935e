package dev.sluice.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The few Sluice REST calls the benchmark makes, with a bearer token. */
final class SluiceApi {
    private final HttpClient http;
    private final URI base;
    private final String token;

    SluiceApi(HttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    /** Stores a plan (JSON); fails unless Sluice answers 201. */
    void createPlan(String planJson) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/api/v1/plans", planJson);
        if (r.statusCode() != 201) {
            throw new IOException("creating the plan: " + r.statusCode() + " " + Json.abbreviate(r.body()));
        }
    }

    /** Starts a run of the plan; answers its id. */
    String startRun(String plan, String reason) throws IOException, InterruptedException {
        HttpResponse<String> r = post(
                "/api/v1/runs", "{\"plan\":" + Json.quote(plan) + ",\"reason\":" + Json.quote(reason) + "}");
        if (r.statusCode() != 201) {
            throw new IOException("starting the run: " + r.statusCode() + " " + Json.abbreviate(r.body()));
        }
        return Json.string(Json.object(r.body()), "id");
    }

    Map<String, Object> run(String runId) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/runs/" + runId);
        if (r.statusCode() != 200) {
            throw new IOException("reading the run: " + r.statusCode());
        }
        return Json.object(r.body());
    }

    /** Every transition of the run, oldest first: the endpoint answers an array, paged by the last id. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> timeline(String runId) throws IOException, InterruptedException {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        long after = 0;
        for (int page = 0; page < 200; page++) {
            HttpResponse<String> r = get("/api/v1/runs/" + runId + "/timeline?limit=100&after=" + after);
            if (r.statusCode() != 200) {
                throw new IOException("reading the timeline: " + r.statusCode() + " " + Json.abbreviate(r.body()));
            }
            List<Object> items = (List<Object>) Json.parse(r.body());
            if (items.isEmpty()) {
                return all;
            }
            for (Object o : items) {
                all.add((Map<String, Object>) o);
            }
            after = ((Double) all.get(all.size() - 1).get("id")).longValue();
        }
        return all;
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
        return http.sendAsync(request(path).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
    }
}
