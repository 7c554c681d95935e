package dev.sluice.drills;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RunPlans;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drill 6, the route table. Routes come from the framework — the OpenAPI document for the API's
 * operations (the JAX-RS ones, and the permit route served below JAX-RS, which {@code
 * META-INF/openapi.yaml} describes; a test below holds every such route to being in the document),
 * the Vert.x router for everything else ({@code /q/*}) — never from a list kept here;
 * what is kept here is the small allow-list of routes that are public on purpose, and the one
 * mutating route a viewer may call.
 */
@QuarkusTest
class RouteTableIT {
    /** Public on purpose, each for a reason. */
    private static final Map<String, String> PUBLIC = Map.of(
            "GET /api/v1/ping", "reachability check",
            "POST /k8s/admission", "the Kubernetes API server calls the webhook over TLS, without a Sluice token",
            "/q/health", "probes (liveness, readiness, the admission group)",
            "/q/openapi", "the API's description, no data",
            "/q/swagger-ui", "the API's description, no data");
    /** POSTs that change nothing: a viewer may call them. */
    private static final Set<String> READ_ONLY_POSTS = Set.of("POST /api/v1/plans/validate");
    /** Routes that answer client tokens for the plans and services in their scopes. */
    private static final Set<String> SCOPED = Set.of(
            "POST /api/v1/runs/{run}/services/{service}/permits",
            "POST /api/v1/runs/{run}/services/{service}/leases",
            "DELETE /api/v1/runs/{run}/services/{service}/leases/{client}",
            "POST /api/v1/plans/{plan}/health-reports");

    @Inject
    Router router;

    private static String run;

    @BeforeEach
    void aRunOfTheRoutesPlan() {
        if (run != null) {
            return;
        }
        given().contentType(ContentType.JSON)
                .body(RunPlans.pushPlan("routes"))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        run = given().contentType(ContentType.JSON)
                .body(Map.of("plan", "routes", "reason", "route table"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private record Operation(String method, String template) {
        String name() {
            return method + " " + template;
        }

        boolean mutating() {
            return !method.equals("GET") && !method.equals("HEAD") && !READ_ONLY_POSTS.contains(name());
        }

        /** The template with real names filled in, so a refusal is not a 404 in disguise. */
        String path() {
            String idValue = template.startsWith("/api/v1/tokens")
                    ? "testadmn"
                    : template.startsWith("/api/v1/audit") ? "1" : run;
            return template.replace("{run}", run)
                    .replace("{id}", idValue)
                    .replace("{name}", "routes")
                    .replace("{plan}", "routes")
                    .replace("{service}", "a")
                    .replace("{client}", "c1")
                    .replace("{version}", "1");
        }
    }

    /** Every JAX-RS operation, from the OpenAPI document the application serves. */
    private static List<Operation> operations() {
        Map<String, Map<String, Object>> paths = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .path("paths");
        List<Operation> operations = new ArrayList<>();
        paths.forEach((path, byMethod) -> byMethod.keySet().stream()
                .filter(m ->
                        Set.of("get", "put", "post", "delete", "patch", "head").contains(m))
                .forEach(method -> operations.add(new Operation(method.toUpperCase(), path))));
        assertThat(operations).hasSizeGreaterThan(25);
        return operations;
    }

    private static Response call(RequestSpecification as, Operation operation) {
        return as.contentType(ContentType.JSON).body("{}").request(operation.method(), operation.path());
    }

    private static boolean isPublic(String name) {
        return PUBLIC.keySet().stream().anyMatch(p -> name.equals(p) || name.startsWith(p.startsWith("/") ? p : "\0"));
    }

    @Test
    void everyRouteOutsideTheAllowListRefusesACallerWithoutAToken() {
        for (Operation operation : operations()) {
            if (isPublic(operation.name())) {
                continue;
            }
            Response response = call(given().header("Authorization", ""), operation);
            assertThat(response.statusCode()).as(operation.name()).isEqualTo(401);
            assertThat(response.contentType()).as(operation.name()).startsWith("application/problem+json");
            assertThat(response.header("WWW-Authenticate")).as(operation.name()).startsWith("Bearer");
        }
    }

    @Test
    void everyVertxRouteIsEitherPublicOnPurposeOrNeedsAToken() {
        Set<String> checked = new TreeSet<>();
        for (String path : vertxPaths(router, "")) {
            if (!path.startsWith("/q/")) {
                continue; // the JAX-RS application's routes, covered through the OpenAPI document
            }
            String concrete = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
            Response response = given().header("Authorization", "")
                    .redirects()
                    .follow(false)
                    .get(concrete);
            checked.add(concrete + " " + response.statusCode());
            if (isPublic(concrete)) {
                continue;
            }
            assertThat(response.statusCode()).as(concrete).isIn(401, 404);
            if (response.statusCode() == 401) {
                assertThat(response.contentType()).as(concrete).startsWith("application/problem+json");
            }
        }
        assertThat(checked).as("the framework's /q routes").anyMatch(r -> r.startsWith("/q/metrics 401"));
    }

    /**
     * The API's routes served below JAX-RS (Vert.x routes under {@code /api}) are in the OpenAPI
     * document, so that every test above, which enumerates the document, calls them too.
     */
    @Test
    void everyVertxRouteOfTheApiIsInTheOpenApiDocument() {
        Set<String> documented = new TreeSet<>();
        operations().forEach(o -> documented.add(o.name()));
        List<String> apiRoutes = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || !path.startsWith("/api/")) {
                continue;
            }
            String template = path.replaceAll(":([A-Za-z]+)", "{$1}");
            assertThat(route.methods()).as(path).isNotEmpty();
            route.methods().forEach(m -> apiRoutes.add(m.name() + " " + template));
        }
        assertThat(apiRoutes)
                .as("the permit route at both addresses")
                .contains(
                        "POST /api/v1/runs/{run}/services/{service}/permits",
                        "POST /api/v1/plans/{plan}/services/{service}/permits");
        assertThat(documented).containsAll(apiRoutes);
    }

    /** Every path of the router and its mounted sub-routers ({@code /q} is one). */
    private static List<String> vertxPaths(Router router, String prefix) {
        List<String> paths = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null) {
                continue;
            }
            String full = (prefix + path).replace("//", "/");
            if (route.getSubRouter() != null) {
                String mount = full.endsWith("*") ? full.substring(0, full.length() - 1) : full;
                paths.addAll(vertxPaths(
                        route.getSubRouter(), mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount));
            } else {
                paths.add(full);
            }
        }
        return paths;
    }

    @Test
    void everyMutatingRouteRefusesAViewer() {
        String viewer = TestTokens.token("routes-viewer", List.of("viewer"), List.of());
        for (Operation operation : operations()) {
            if (!operation.mutating() || isPublic(operation.name())) {
                continue;
            }
            Response response = call(TestTokens.as(viewer), operation);
            assertThat(response.statusCode()).as(operation.name()).isEqualTo(403);
            assertThat(response.contentType()).as(operation.name()).startsWith("application/problem+json");
        }
    }

    @Test
    void everyMutatingRouteRefusesAClientTokenOutsideItsScopeAndTheRefusalIsAudited() {
        String client = TestTokens.token("routes-elsewhere", List.of("client"), List.of("elsewhere/a"));
        List<String> scoped = new ArrayList<>();
        for (Operation operation : operations()) {
            if (!operation.mutating() || isPublic(operation.name())) {
                continue;
            }
            Response response = call(TestTokens.as(client), operation);
            assertThat(response.statusCode()).as(operation.name()).isEqualTo(403);
            assertThat(response.contentType()).as(operation.name()).startsWith("application/problem+json");
            if (SCOPED.contains(operation.name())) {
                assertThat(response.jsonPath().getString("detail"))
                        .as(operation.name())
                        .contains("no scope for routes");
                scoped.add(operation.name());
            }
        }
        assertThat(scoped)
                .as("scoped routes found in the OpenAPI document")
                .containsExactlyInAnyOrderElementsOf(SCOPED);
        Awaitility.await("scope refusals are audited")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(given().queryParam("action", "access-denied")
                                .queryParam("actor", "routes-elsewhere")
                                .queryParam("limit", 100)
                                .get("/api/v1/audit")
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<String>>path("items.subject"))
                        .contains(
                                "POST /api/v1/runs/" + run + "/services/a/permits",
                                "POST /api/v1/plans/routes/health-reports"));
    }

    @Test
    void clientRoutesRefuseAnOperator() {
        String operator = TestTokens.operator("routes-operator");
        for (Operation operation : operations()) {
            if (operation.name().contains("/services/{service}/") && operation.mutating()) {
                assertThat(call(TestTokens.as(operator), operation).statusCode())
                        .as(operation.name())
                        .isEqualTo(403);
            }
        }
    }

    @Test
    void metricsNeedAViewerToken() {
        given().header("Authorization", "")
                .get("/q/metrics")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"sluice\"");
        given().header("Authorization", "Bearer slc_nosuchid_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .get("/q/metrics")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        String client = TestTokens.token("routes-metrics-client", List.of("client"), List.of("routes/a"));
        TestTokens.as(client).get("/q/metrics").then().statusCode(403).contentType("application/problem+json");
        String viewer = TestTokens.token("routes-metrics-viewer", List.of("viewer"), List.of());
        TestTokens.as(viewer).get("/q/metrics").then().statusCode(200);
        Awaitility.await("the metrics refusal is audited")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(given().queryParam("action", "access-denied")
                                .queryParam("actor", "routes-metrics-client")
                                .get("/api/v1/audit")
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<String>>path("items.subject"))
                        .contains("GET /q/metrics"));
    }
}
