package dev.sluice.k8s;

import static dev.sluice.k8s.K8sObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.k8s.resource.RestoreActionResource;
import dev.sluice.k8s.resource.RestoreRunResource;
import dev.sluice.testing.HealthyTier;
import dev.sluice.testing.PostgresTestResource;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.SluiceProcess;
import dev.sluice.testing.TestAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator mode as it is deployed: the packaged application, started as real processes with
 * leader election on (JOSDK's, on a Kubernetes Lease, as in production), against fabric8's mock API
 * server in CRUD mode standing in for the cluster and one PostgreSQL the replicas share. The mock
 * server stores the CRDs (the committed ones), the objects and the Lease, and answers JOSDK's check
 * of its Lease permissions with the rules deploy/k8s/rbac.yaml grants. The processes find it through
 * a kubeconfig ({@code KUBECONFIG}), as Sluice run outside a cluster does; {@code HOSTNAME} is each
 * replica's Lease identity, as a pod's name is. Process logs are kept in
 * target/operator-replicas/&lt;test&gt;/.
 */
class OperatorReplicasIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SLUICE_NAMESPACE = "sluice";
    private static final String LEASE = "sluice-operator";
    /** Lease timings short enough for a test, in the order production's (15 s, 10 s, 2 s) keep. */
    private static final Map<String, String> LEASE_TIMINGS = Map.of(
            "SLUICE_OPERATOR_LEASE_DURATION", "6s",
            "SLUICE_OPERATOR_LEASE_RENEW_DEADLINE", "4s",
            "SLUICE_OPERATOR_LEASE_RETRY_PERIOD", "1s");

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SluiceProcess> processes = new CopyOnWriteArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();
    private List<ResourceRule> deployedLeaseRules;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private PostgresTestResource database;
    private Map<String, String> databaseEnvironment;
    private HealthyTier tier;
    private Path kubeconfig;
    private Path dataDirs;
    private Path logs;

    @BeforeEach
    void startClusterAndDatabase(@TempDir Path dir, TestInfo test) throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                responses,
                new KubernetesMixedDispatcher(responses),
                false,
                new VersionInfo.Builder()
                        .withMajor("1")
                        .withMinor("32")
                        .withGitVersion("v1.32.0")
                        .build());
        server.init(InetAddress.getLoopbackAddress(), 0);
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, leaseRulesOfDeployedRbac())
                .always();
        client = server.createClient();
        for (String crd : List.of("restoreplans", "restoreruns", "restoreactions")) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(Path.of("deploy/k8s/crds", crd + ".sluice.dev-v1.yml").toFile())
                    .create();
        }
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "http://127.0.0.1:%d"}
                users:
                - name: sluice
                  user: {token: "mock-service-account-token"}
                contexts:
                - name: mock
                  context: {cluster: mock, user: sluice, namespace: %s}
                current-context: mock
                """.formatted(server.getPort(), SLUICE_NAMESPACE));
        database = new PostgresTestResource("sluice_k8s_replicas");
        databaseEnvironment = new HashMap<>();
        database.start()
                .forEach((property, value) -> databaseEnvironment.put(
                        property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), value));
        tier = new HealthyTier();
        dataDirs = dir;
        logs = Path.of(
                "target/operator-replicas", test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(logs);
        // Logs are appended to: a previous build's lines must not be read as this run's.
        try (var old = Files.list(logs)) {
            for (Path f : old.toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @AfterEach
    void stopEverything() {
        processes.forEach(SluiceProcess::close);
        if (tier != null) {
            tier.close();
        }
        if (database != null) {
            database.stop();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void onlyTheLeaseHolderReconcilesAndTicksAndTheOtherReplicaTakesOverTheRunWhenItDies() throws Exception {
        // Started together, as a Deployment starts its replicas: they race for the Lease.
        CompletableFuture<SluiceProcess> startingA = CompletableFuture.supplyAsync(() -> start("replica-a"));
        CompletableFuture<SluiceProcess> startingB = CompletableFuture.supplyAsync(() -> start("replica-b"));
        Map<String, SluiceProcess> replicas = Map.of("replica-a", startingA.join(), "replica-b", startingB.join());
        AtomicReference<String> holder = new AtomicReference<>();
        await("a Lease holder", () -> {
            Lease lease = lease();
            holder.set(lease == null ? null : lease.getSpec().getHolderIdentity());
            return holder.get() != null;
        });
        String leaderName = holder.get();
        String followerName = leaderName.equals("replica-a") ? "replica-b" : "replica-a";
        SluiceProcess leader = replicas.get(leaderName);
        SluiceProcess follower = replicas.get(followerName);
        awaitLog(follower, "Lease " + LEASE + " is held by " + leaderName);

        createPlan("two-replicas", RunPlans.httpPlan("two-replicas", tier.url()));
        client.resource(K8sObjects.run("first", "two-replicas", "kv store is back"))
                .create();
        RestoreRunResource midRun = awaitRun(
                "first",
                r -> r.getStatus() != null && r.getStatus().stageIndex != null && r.getStatus().stageIndex >= 1);
        String runId = midRun.getStatus().runId;
        Walkthrough.save("lease-first-holder", lease());

        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leaderName);
        assertThat(leader.log())
                .contains("this replica holds Lease " + LEASE)
                .contains("RestoreRun restore/first started run " + runId)
                .contains("this replica now runs the control loop");
        assertThat(follower.log())
                .as("the replica without the Lease neither reconciles nor ticks (log in %s)", logs)
                .doesNotContain("this replica holds Lease")
                .doesNotContain("RestoreRun restore/")
                .doesNotContain("this replica now runs the control loop");
        assertThat(restRun(follower, runId).at("/stage/index").asInt())
                .as("it serves the same run over REST: one database, one core")
                .isGreaterThanOrEqualTo(1);

        assertThat(leader.kill()).as("SIGKILL").isEqualTo(137);
        awaitLeaseHolder(followerName);
        RestoreRunResource completed = awaitRun("first", r -> "Completed".equals(r.getStatus().phase));
        Walkthrough.save("lease-after-takeover", lease());
        assertThat(completed.getStatus().runId).as("the same run, continued").isEqualTo(runId);
        assertThat(completed.getStatus().runVersion).isGreaterThan(midRun.getStatus().runVersion);
        assertThat(completed.getStatus().stage).isEqualTo("full");
        assertThat(follower.log())
                .contains("this replica holds Lease " + LEASE)
                .contains("this replica now runs the control loop")
                .doesNotContain("RestoreRun restore/first started run");
        JsonNode runsOfPlan =
                JSON.readTree(get(follower, "/api/v1/runs?plan=two-replicas").body());
        assertThat(runsOfPlan).as("no second run was started").hasSize(1);

        assertThat(deployedLeaseRules.stream().flatMap(r -> r.getVerbs().stream()))
                .as("deploy/k8s/rbac.yaml grants every verb the replicas used on the Lease")
                .containsAll(leaseVerbsUsed());

        // Another holder takes the Lease from under the new leader (as after a partition): its process ends.
        Awaitility.await(followerName + " ends when it cannot renew the Lease")
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!"replica-c".equals(lease().getSpec().getHolderIdentity())) {
                        takeLease("replica-c");
                    }
                    return !follower.isAlive();
                });
        assertThat(follower.awaitExit(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(follower.log())
                .contains("this replica lost Lease " + LEASE + ": it stops reconciling and ends (exit code 1)");
    }

    @Test
    void aReplicaKilledMidRunResumesItsRunAtTheCommittedStageAndAppliesNoActionTwice() throws Exception {
        SluiceProcess first = start("replica-a");
        // Each later stage awaits an operator's approval: the stages move only when promoted, so
        // what the kill interrupts is known (a hold alone would have elapsed during the downtime).
        createPlan(
                "restart-plan",
                RunPlans.httpPlan("restart-plan", tier.url())
                        // Nobody reads health while Sluice is down; the test is not about that pause.
                        .replace("\"unknownHealthPauseSeconds\": 30", "\"unknownHealthPauseSeconds\": 600")
                        .replace(
                                "\"gates\": [",
                                "\"gates\": [{\"name\": \"approve-half\", \"kind\": \"manual-approval\","
                                        + " \"beforeStage\": \"half\"},"
                                        + " {\"name\": \"approve-full\", \"kind\": \"manual-approval\","
                                        + " \"beforeStage\": \"full\"}, "));
        client.resource(K8sObjects.run("restarted", "restart-plan", "kv store is back"))
                .create();
        String runId = awaitRun("restarted", r -> r.getStatus() != null && "quarter".equals(r.getStatus().stage))
                .getStatus()
                .runId;
        client.resource(K8sObjects.action("promote-1", "restarted", "promote", "dashboards are green"))
                .create();
        RestoreActionResource promoted = awaitAction("promote-1");
        assertThat(promoted.getStatus().phase).isEqualTo("Applied");
        RestoreRunResource atHalf = awaitRun("restarted", r -> "half".equals(r.getStatus().stage));
        JsonNode beforeKill = restRun(first, runId);
        assertThat(beforeKill.at("/stage/name").asText()).isEqualTo("half");

        assertThat(first.kill()).as("SIGKILL").isEqualTo(137);
        SluiceProcess second = start("replica-a");

        JsonNode afterRestart = restRun(second, runId);
        assertThat(afterRestart.at("/stage/name").asText())
                .as("resumed at its committed stage: promote-1 was not applied again")
                .isEqualTo("half");
        assertThat(afterRestart.get("allocatedPerSecond").asDouble())
                .isEqualTo(beforeKill.get("allocatedPerSecond").asDouble())
                .isPositive();
        awaitLog(second, "this replica holds Lease " + LEASE);
        // The restarted replica reconciles every object again; the action's record says it was applied.
        RestoreRunResource caughtUp = awaitRun(
                "restarted",
                r -> r.getStatus().runVersion != null
                        && r.getStatus().runVersion
                                >= afterRestart.get("version").asInt());
        assertThat(caughtUp.getStatus().stage).isEqualTo("half");
        assertThat(caughtUp.getStatus().runId).isEqualTo(runId);
        assertThat(awaitAction("promote-1").getStatus().appliedAt)
                .as("its status is the one written before the kill")
                .isEqualTo(promoted.getStatus().appliedAt);

        client.resource(K8sObjects.action("promote-2", "restarted", "promote", "half is holding well"))
                .create();
        RestoreActionResource promoted2 = awaitAction("promote-2");
        assertThat(promoted2.getStatus().phase)
                .as(promoted2.getStatus().message)
                .isEqualTo("Applied");
        RestoreRunResource completed = awaitRun("restarted", r -> "Completed".equals(r.getStatus().phase));
        assertThat(completed.getStatus().runVersion).isGreaterThan(atHalf.getStatus().runVersion);
        JsonNode done = restRun(second, runId);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(completed.getStatus().runVersion)
                .as("the status caught up with the run")
                .isEqualTo(done.get("version").asInt());

        List<JsonNode> timeline = timeline(second, runId);
        Files.writeString(logs.resolve("timeline.json"), timeline.toString());
        List<String> byActions = new ArrayList<>();
        for (JsonNode e : timeline) {
            String details = e.path("details").asText();
            if (details.contains("\"kind\":\"RestoreAction\"")) {
                byActions.add(e.get("action").asText() + " " + details.replaceAll(".*\"object\":\"([^\"]+)\".*", "$1"));
            }
        }
        assertThat(byActions)
                .as("each RestoreAction applied exactly once, across the kill")
                .hasSize(2)
                .anySatisfy(e -> assertThat(e).endsWith("restore/promote-1"))
                .anySatisfy(e -> assertThat(e).endsWith("restore/promote-2"));
        JsonNode runsOfPlan =
                JSON.readTree(get(second, "/api/v1/runs?plan=restart-plan").body());
        assertThat(runsOfPlan).as("the restart started no second run").hasSize(1);
    }

    /** Starts a replica in operator mode, with leader election, and waits until it is ready. */
    private SluiceProcess start(String identity) {
        Map<String, String> env = new HashMap<>(databaseEnvironment);
        env.putAll(LEASE_TIMINGS);
        env.put("SLUICE_DATA_DIR", dataDirs.resolve(identity).toString());
        env.put("SLUICE_BOOTSTRAP_TOKEN", TestAuthentication.ADMIN_TOKEN);
        env.put("SLUICE_OPERATOR_ENABLED", "true");
        env.put("SLUICE_OPERATOR_LEASE_NAMESPACE", SLUICE_NAMESPACE);
        env.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
        env.put("HOSTNAME", identity);
        SluiceProcess process =
                SluiceProcess.start(logs.resolve(identity + "-" + starts.incrementAndGet() + ".log"), env);
        processes.add(process);
        return process;
    }

    /**
     * The RBAC verbs of the requests on Leases so far (the test's own are reads): fabric8's LeaseLock
     * renews with PATCH, which JOSDK's start-up check of the Lease permissions does not ask about.
     */
    private Set<String> leaseVerbsUsed() throws InterruptedException {
        Set<String> verbs = new TreeSet<>();
        RecordedRequest request;
        while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if (request.getPath()
                    .startsWith("/apis/coordination.k8s.io/v1/namespaces/" + SLUICE_NAMESPACE + "/leases")) {
                verbs.add(
                        switch (request.getMethod()) {
                            case "GET" -> request.getPath().contains("watch=true") ? "watch" : "get";
                            case "POST" -> "create";
                            case "PUT" -> "update";
                            case "PATCH" -> "patch";
                            case "DELETE" -> "delete";
                            default -> request.getMethod();
                        });
            }
        }
        return verbs;
    }

    /** The answer to JOSDK's SelfSubjectRulesReview: the lease rules of deploy/k8s/rbac.yaml. */
    private SelfSubjectRulesReview leaseRulesOfDeployedRbac() throws IOException {
        List<ResourceRule> rules = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of("deploy/k8s/rbac.yaml"))) {
            List<HasMetadata> objects = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in);
            for (HasMetadata o : objects) {
                if (o instanceof Role role) {
                    role.getRules()
                            .forEach(r -> rules.add(new ResourceRule(
                                    r.getApiGroups(), r.getResourceNames(), r.getResources(), r.getVerbs())));
                }
            }
        }
        assertThat(rules).as("rbac.yaml has a Role for the Lease").isNotEmpty();
        deployedLeaseRules = rules;
        return new SelfSubjectRulesReviewBuilder()
                .withNewSpec()
                .withNamespace(SLUICE_NAMESPACE)
                .endSpec()
                .withNewStatus()
                .withIncomplete(false)
                .withResourceRules(rules)
                .endStatus()
                .build();
    }

    private void createPlan(String name, String json) throws IOException {
        client.resource(K8sObjects.plan(name, JSON.readTree(json))).create();
    }

    private Lease lease() {
        return client.leases().inNamespace(SLUICE_NAMESPACE).withName(LEASE).get();
    }

    private void takeLease(String holder) {
        client.leases()
                .inNamespace(SLUICE_NAMESPACE)
                .withName(LEASE)
                .edit(l -> new LeaseBuilder(l)
                        .editSpec()
                        .withHolderIdentity(holder)
                        .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
                        .withLeaseDurationSeconds(600)
                        .endSpec()
                        .build());
    }

    private void awaitLeaseHolder(String identity) {
        AtomicReference<Lease> last = new AtomicReference<>();
        await("Lease held by " + identity, () -> {
            last.set(lease());
            return last.get() != null && identity.equals(last.get().getSpec().getHolderIdentity());
        });
    }

    private void awaitLog(SluiceProcess process, String line) {
        await("log line \"" + line + "\"", () -> process.log().contains(line));
    }

    private RestoreRunResource awaitRun(String name, Predicate<RestoreRunResource> done) {
        AtomicReference<RestoreRunResource> last = new AtomicReference<>();
        await("RestoreRun " + name, () -> {
            last.set(client.resources(RestoreRunResource.class)
                    .inNamespace(NS)
                    .withName(name)
                    .get());
            return last.get() != null && last.get().getStatus() != null && done.test(last.get());
        });
        return last.get();
    }

    private RestoreActionResource awaitAction(String name) {
        AtomicReference<RestoreActionResource> last = new AtomicReference<>();
        await("RestoreAction " + name, () -> {
            last.set(client.resources(RestoreActionResource.class)
                    .inNamespace(NS)
                    .withName(name)
                    .get());
            return last.get() != null && last.get().getStatus() != null;
        });
        return last.get();
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            Awaitility.await(what)
                    .atMost(CONVERGE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " not reached within " + CONVERGE + "; replica logs in " + logs, e);
        }
    }

    private JsonNode restRun(SluiceProcess app, String runId) throws Exception {
        HttpResponse<String> response = get(app, "/api/v1/runs/" + runId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Every event of the run, oldest first, page by page. */
    private List<JsonNode> timeline(SluiceProcess app, String runId) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        long after = 0;
        while (true) {
            HttpResponse<String> page = get(app, "/api/v1/runs/" + runId + "/timeline?limit=100&after=" + after);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode items = JSON.readTree(page.body());
            if (items.isEmpty()) {
                return events;
            }
            items.forEach(events::add);
            after = items.get(items.size() - 1).get("id").asLong();
        }
    }

    private HttpResponse<String> get(SluiceProcess app, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(app.uri(path))
                        .header("Authorization", "Bearer " + TestAuthentication.ADMIN_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
