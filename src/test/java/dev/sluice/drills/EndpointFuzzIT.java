package dev.sluice.drills;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.TestAuthentication;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Drill 5 over HTTP: seeded requests for every operation of the OpenAPI document the application
 * serves — spoiled bodies (JSON and YAML), wrong content types, hostile path segments and query
 * parameters, missing and garbage {@code If-Match}, oversized bodies. No answer is a 5xx; every 4xx
 * is a problem, and a 400 names a field or parameter; afterwards the database holds exactly what
 * the accepted requests wrote (plans, runs, tokens, annotations: a model kept from the answers).
 * Request {@code i} comes from seed {@code SEED + i} alone (its description is in a failure).
 */
@QuarkusTest
class EndpointFuzzIT {
    static final long SEED = 5_000_000L;
    static final int REQUESTS = 10_500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String[] PLAN_NAMES = {"fz-a", "fz-b", "fz-c", "fz-d"};
    private static final String[] CONTENT_TYPES = {
        "application/json",
        "application/yaml",
        "text/yaml",
        "text/plain",
        "application/xml",
        "application/json; charset=ISO-8859-1",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "garbage",
        ""
    };

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Operation(String method, String template, List<String> query, JsonNode bodySchema) {}

    /** What the accepted requests wrote, from their answers. */
    private final Map<String, JsonNode> plans = new TreeMap<>();

    private final Set<String> runs = new HashSet<>();
    private final Set<String> tokens = new HashSet<>();
    private int annotations;

    private String run;
    private JsonNode components;

    @Test
    void noRequestAnswers5xxEvery4xxIsAProblemAndTheDatabaseHoldsWhatWasAccepted() throws Exception {
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("fuzz-base"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        run = given().contentType(ContentType.JSON)
                .body(Map.of("plan", "fuzz-base", "reason", "fuzzing"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Set<String> plansBefore = planNames();
        Set<String> runsBefore = runIds();
        Set<String> tokensBefore = tokenNames();
        int annotationsBefore = annotationCount();
        JsonNode reference = YAML.readTree(Files.readString(Path.of("examples/reference-plan.yaml")));
        List<Operation> operations = operations();

        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (long seed = SEED; seed < SEED + REQUESTS; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Operation operation = operations.get(random.nextInt(operations.size()));
            Request request = request(operation, reference, random);
            HttpResponse<String> response = send(request);
            statuses.merge(response.statusCode(), 1, Integer::sum);
            String problem = judge(response);
            if (problem != null && failures.size() < 30) {
                failures.add("seed " + seed + " " + request + " -> " + response.statusCode() + ": " + problem + " "
                        + abbreviate(response.body()));
            }
            remember(operation, request, response);
        }
        System.out.println("endpoint fuzzing: " + REQUESTS + " requests over " + operations.size()
                + " operations, statuses " + statuses);
        assertThat(failures).as("answers that break the rules").isEmpty();

        Set<String> plansNow = planNames();
        plansNow.removeAll(plansBefore);
        assertThat(plansNow).as("plans in the database").isEqualTo(plans.keySet());
        for (Map.Entry<String, JsonNode> plan : plans.entrySet()) {
            JsonNode stored = JSON.readTree(given().get("/api/v1/plans/" + plan.getKey())
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            assertThat(stored.get("spec"))
                    .as(plan.getKey())
                    .isEqualTo(plan.getValue().get("spec"));
            assertThat(stored.get("version"))
                    .as(plan.getKey())
                    .isEqualTo(plan.getValue().get("version"));
        }
        Set<String> runsNow = runIds();
        runsNow.removeAll(runsBefore);
        assertThat(runsNow).as("runs in the database").isEqualTo(runs);
        Set<String> tokensNow = tokenNames();
        tokensNow.removeAll(tokensBefore);
        assertThat(tokensNow).as("tokens in the database").isEqualTo(tokens);
        assertThat(annotationCount() - annotationsBefore).as("annotations").isEqualTo(annotations);
    }

    private record Request(String method, String path, String contentType, String ifMatch, byte[] body) {
        @Override
        public String toString() {
            return method + " " + abbreviate(path) + " [" + contentType + "] If-Match=" + ifMatch + " body="
                    + (body == null ? "none" : abbreviate(new String(body, StandardCharsets.UTF_8)));
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + ")" : text;
    }

    /** Every operation of the OpenAPI document, with its query parameters and body schema. */
    private List<Operation> operations() throws IOException {
        JsonNode document = JSON.readTree(given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        components = document.path("components").path("schemas");
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!Set.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
                    continue;
                }
                List<String> query = new ArrayList<>();
                op.getValue().path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("query")) {
                        query.add(p.path("name").asText());
                    }
                });
                JsonNode schema = null;
                for (JsonNode content : op.getValue().path("requestBody").path("content")) {
                    schema = content.path("schema");
                    break;
                }
                operations.add(new Operation(op.getKey().toUpperCase(), path.getKey(), query, schema));
            }
        }
        assertThat(operations).hasSizeGreaterThan(25);
        return operations;
    }

    private Request request(Operation operation, JsonNode reference, SplittableRandom random) {
        String path = operation.template();
        String planName = random.nextInt(10) < 8 ? PLAN_NAMES[random.nextInt(PLAN_NAMES.length)] : "fuzz-base";
        path = path.replace("{name}", segment(planName, random))
                .replace("{plan}", segment(planName, random))
                .replace("{run}", segment(run, random))
                .replace("{service}", segment(random.nextBoolean() ? "a" : "b", random))
                .replace("{client}", segment("c" + random.nextInt(3), random))
                .replace("{version}", segment(Integer.toString(random.nextInt(-1, 4)), random))
                .replace(
                        "{id}",
                        segment(
                                path.startsWith("/api/v1/tokens")
                                        ? "zzzzzzzz"
                                        : path.startsWith("/api/v1/audit")
                                                ? Integer.toString(random.nextInt(1, 50))
                                                : run,
                                random));
        StringBuilder query = new StringBuilder();
        for (String parameter : operation.query()) {
            if (random.nextInt(3) == 0) {
                query.append(query.isEmpty() ? "?" : "&")
                        .append(parameter)
                        .append('=')
                        .append(queryValue(random));
            }
        }
        if (random.nextInt(10) == 0) {
            query.append(query.isEmpty() ? "?" : "&").append("unknown=").append(queryValue(random));
        }
        String ifMatch = switch (random.nextInt(6)) {
            case 0 -> "\"1\"";
            case 1 -> "\"" + random.nextInt(1, 5) + "\"";
            case 2 -> "garbage";
            case 3 -> "W/\"1\"";
            case 4 -> "*";
            default -> null;
        };
        boolean planBody = operation.template().equals("/api/v1/plans")
                || operation.template().equals("/api/v1/plans/{name}")
                || operation.template().equals("/api/v1/plans/validate");
        boolean yaml = planBody && random.nextInt(3) == 0;
        String contentType = random.nextInt(6) == 0
                ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]
                : yaml ? "application/yaml" : "application/json";
        byte[] body = null;
        if (!operation.method().equals("GET")) {
            int shape = random.nextInt(20);
            if (shape == 0) {
                body = new byte[0];
            } else if (shape == 1) {
                body = ("{\"x\": \"" + "a".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            } else if (shape == 2) {
                body = "a".repeat(random.nextInt(1, 300_000)).getBytes(StandardCharsets.UTF_8);
            } else {
                JsonNode valid;
                if (planBody) {
                    ObjectNode plan = reference.deepCopy();
                    plan.put("name", planName);
                    valid = plan;
                } else {
                    valid = example(operation.bodySchema(), random, 0);
                }
                JsonNode sent = random.nextInt(4) == 0 ? valid : Mutations.mutate(valid, random);
                body = Mutations.text(sent, yaml, random);
            }
        }
        return new Request(operation.method(), path + query, contentType, ifMatch, body);
    }

    /** A path segment: the real one mostly, a hostile one sometimes (percent-encoded). */
    private static String segment(String real, SplittableRandom random) {
        if (random.nextInt(5) != 0) {
            return real;
        }
        String hostile = switch (random.nextInt(6)) {
            case 0 -> Mutations.hostileText(random);
            case 1 -> "a".repeat(random.nextInt(100, 3000));
            case 2 -> "-1";
            case 3 -> "99999999999999999999";
            case 4 -> real + "\u0000";
            default -> "..";
        };
        return URLEncoder.encode(hostile, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String queryValue(SplittableRandom random) {
        String value = switch (random.nextInt(9)) {
            case 0 -> "-1";
            case 1 -> "0";
            case 2 -> "99999999999999999999";
            case 3 -> "1.5";
            case 4 -> "";
            case 5 -> "2026-13-45T99:00:00Z";
            case 6 -> "newest";
            case 7 -> Integer.toString(random.nextInt(1, 200));
            default -> Mutations.hostileText(random);
        };
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A value that fits {@code schema}, as the OpenAPI document describes it. */
    private JsonNode example(JsonNode schema, SplittableRandom random, int depth) {
        if (schema == null || schema.isMissingNode() || depth > 6) {
            return JSON.createObjectNode();
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            return example(components.path(ref.substring(ref.lastIndexOf('/') + 1)), random, depth + 1);
        }
        if (schema.has("allOf")) {
            return example(schema.get("allOf").get(0), random, depth + 1);
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> {
                ObjectNode object = JSON.createObjectNode();
                schema.path("properties").fields().forEachRemaining(p -> {
                    JsonNode value = p.getKey().equals("reason") || p.getKey().equals("text")
                            ? JSON.getNodeFactory().textNode("fuzzing " + random.nextInt(1000))
                            : p.getKey().equals("name")
                                    ? JSON.getNodeFactory().textNode("fz-token-" + random.nextInt(1000))
                                    : p.getKey().equals("plan")
                                            ? JSON.getNodeFactory()
                                                    .textNode(PLAN_NAMES[random.nextInt(PLAN_NAMES.length)])
                                            : example(p.getValue(), random, depth + 1);
                    object.set(p.getKey(), value);
                });
                yield object;
            }
            case "array" -> JSON.createArrayNode().add(example(schema.path("items"), random, depth + 1));
            case "integer" -> JSON.getNodeFactory().numberNode(random.nextInt(1, 10));
            case "number" -> JSON.getNodeFactory().numberNode(random.nextInt(1, 100) / 4.0);
            case "boolean" -> JSON.getNodeFactory().booleanNode(random.nextBoolean());
            default ->
                JSON.getNodeFactory()
                        .textNode(schema.has("enum") ? schema.get("enum").get(0).asText() : "viewer");
        };
    }

    private HttpResponse<String> send(Request request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/$", "") + request.path()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestAuthentication.ADMIN_TOKEN)
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (!request.contentType().isEmpty() && request.body() != null) {
            builder.header("Content-Type", request.contentType());
        }
        if (request.ifMatch() != null) {
            builder.header("If-Match", request.ifMatch());
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Why an answer breaks the rules, or null. */
    private static String judge(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500) {
            return "a 5xx";
        }
        if (status < 400) {
            return null;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            return "a 4xx that is not a problem (" + type + ")";
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(response.body());
        } catch (IOException e) {
            return "an unreadable problem";
        }
        if (problem.path("status").asInt() != status
                || !problem.path("type").asText().startsWith("urn:sluice:problem:")) {
            return "a problem without its status and type";
        }
        if (status == 400 || status == 422) {
            boolean named = problem.path("violations").path(0).has("pointer") || problem.has("pointer");
            if (!named) {
                return "a 400 that names no field or parameter";
            }
        }
        return null;
    }

    private void remember(Operation operation, Request request, HttpResponse<String> response) throws IOException {
        int status = response.statusCode();
        String template = operation.method() + " " + operation.template();
        if (status >= 300) {
            return;
        }
        switch (template) {
            case "POST /api/v1/plans", "PUT /api/v1/plans/{name}" -> {
                JsonNode plan = JSON.readTree(response.body());
                plans.put(plan.get("name").asText(), plan);
            }
            case "DELETE /api/v1/plans/{name}" -> {
                String name = java.net.URLDecoder.decode(
                        request.path().substring("/api/v1/plans/".length()).replaceAll("\\?.*", ""),
                        StandardCharsets.UTF_8);
                plans.remove(name);
            }
            case "POST /api/v1/runs" -> {
                JsonNode started = JSON.readTree(response.body());
                if (status == 201) {
                    runs.add(started.get("plan").asText() + " "
                            + started.get("id").asText());
                }
            }
            case "POST /api/v1/tokens" ->
                tokens.add(JSON.readTree(response.body()).get("name").asText());
            case "POST /api/v1/audit/{id}/annotations" -> annotations++;
            default -> {}
        }
    }

    private static Set<String> planNames() {
        Set<String> names = new HashSet<>();
        String after = null;
        do {
            var page = (after == null ? given() : given().queryParam("after", after))
                    .queryParam("limit", 100)
                    .get("/api/v1/plans")
                    .then()
                    .statusCode(200)
                    .extract();
            names.addAll(page.<List<String>>path("items.name"));
            after = page.path("next");
        } while (after != null);
        return names;
    }

    /** Runs as {@code plan id}, plan by plan (a run list is one page; other tests' runs share it). */
    private static Set<String> runIds() {
        Set<String> ids = new HashSet<>();
        for (String plan : planNames()) {
            given().queryParam("plan", plan)
                    .queryParam("limit", 100)
                    .get("/api/v1/runs")
                    .then()
                    .statusCode(200)
                    .extract()
                    .<List<String>>path("id")
                    .forEach(id -> ids.add(plan + " " + id));
        }
        return ids;
    }

    private static Set<String> tokenNames() {
        return new HashSet<>(
                given().get("/api/v1/tokens").then().statusCode(200).extract().<List<String>>path("name"));
    }

    private static int annotationCount() {
        int count = 0;
        Object after = null;
        do {
            var page = (after == null ? given() : given().queryParam("after", after))
                    .queryParam("action", "annotation")
                    .queryParam("limit", 100)
                    .get("/api/v1/audit")
                    .then()
                    .statusCode(200)
                    .extract();
            count += page.<List<Object>>path("items").size();
            after = page.path("next");
        } while (after != null);
        return count;
    }
}
