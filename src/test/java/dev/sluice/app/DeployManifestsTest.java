package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The kustomize base in deploy/k8s is well-formed and consistent (no cluster runs here to apply it). */
class DeployManifestsTest {
    private static final Path BASE = Path.of("deploy/k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyResourceTheKustomizationListsExistsAndIsAKubernetesObject() throws Exception {
        JsonNode kustomization =
                YAML.readTree(BASE.resolve("kustomization.yaml").toFile());
        List<String> resources = new ArrayList<>();
        kustomization.get("resources").forEach(r -> resources.add(r.asText()));
        assertThat(resources).isNotEmpty();
        for (String resource : resources) {
            Path file = BASE.resolve(resource);
            assertThat(file).exists();
            JsonNode object = YAML.readTree(file.toFile());
            assertThat(object.path("apiVersion").asText()).as(resource).isNotEmpty();
            assertThat(object.path("kind").asText()).as(resource).isNotEmpty();
            assertThat(object.path("metadata").path("name").asText())
                    .as(resource)
                    .isNotEmpty();
        }
    }

    @Test
    void readinessAsksWhetherAdmissionCanBeAnsweredNotWhetherTheDatabaseIsUp() throws Exception {
        JsonNode container =
                YAML.readTree(BASE.resolve("deployment.yaml").toFile()).at("/spec/template/spec/containers/0");
        // A database outage must not take every replica out of the Service (fail static): readiness is
        // the admission group, which leaves the database out; /q/health/ready still includes it.
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/group/admission");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
    }

    @Test
    void secretsComeFromSecretsAndOperatorModeIsOn() throws Exception {
        JsonNode deployment = YAML.readTree(BASE.resolve("deployment.yaml").toFile());
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText())
                .isEqualTo("sluice");
        List<String> names = new ArrayList<>();
        container.get("env").forEach(env -> {
            String name = env.get("name").asText();
            names.add(name);
            if (name.equals("SLUICE_DATA_DIR")) {
                assertThat(env.get("value").asText()).startsWith("/tmp"); // the writable emptyDir
                return;
            }
            if (name.startsWith("SLUICE_OPERATOR_")) {
                return; // settings, not secrets
            }
            if (name.equals("QUARKUS_HTTP_HOST")) {
                // Sluice listens on loopback by default; the Service and the probes reach the pod's IP.
                assertThat(env.get("value").asText()).isEqualTo("0.0.0.0");
                return;
            }
            assertThat(env.has("value")).as(name + " must not be inline").isFalse();
            assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).isIn("sluice-db", "sluice-bootstrap");
        });
        assertThat(names).contains("SLUICE_OPERATOR_ENABLED", "SLUICE_OPERATOR_LEASE_NAMESPACE", "QUARKUS_HTTP_HOST");
    }

    @Test
    void noRoleGrantsAWildcard() throws Exception {
        for (Path file : List.of(BASE.resolve("rbac.yaml"), BASE.resolve("examples/oncall-clusterrole.yaml"))) {
            for (JsonNode object : documents(file)) {
                object.path("rules").forEach(rule -> {
                    for (String field : List.of("verbs", "resources", "apiGroups")) {
                        rule.path(field)
                                .forEach(v -> assertThat(v.asText())
                                        .as(file + " " + field)
                                        .doesNotContain("*"));
                    }
                });
            }
        }
    }

    @Test
    void onCallEngineersMayCreateActionsAndReadTheRestOnly() throws Exception {
        JsonNode role =
                documents(BASE.resolve("examples/oncall-clusterrole.yaml")).get(0);
        List<String> grants = new ArrayList<>();
        role.get("rules")
                .forEach(rule -> rule.get("resources")
                        .forEach(r -> rule.get("verbs").forEach(v -> grants.add(v.asText() + " " + r.asText()))));
        assertThat(grants)
                .contains("create restoreactions", "get restoreruns", "list restoreplans", "watch restoreruns")
                .filteredOn(g -> g.startsWith("create")
                        || g.startsWith("update")
                        || g.startsWith("delete")
                        || g.startsWith("patch"))
                .containsExactly("create restoreactions");
    }

    @Test
    void theExampleRestorePlanIsTheReferencePlan() throws Exception {
        JsonNode example = documents(BASE.resolve("examples/restoreplan.yaml")).get(0);
        JsonNode reference =
                YAML.readTree(Path.of("examples/reference-plan.yaml").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) reference).remove("name");
        assertThat(example.get("spec")).isEqualTo(reference);
        assertThat(example.at("/metadata/name").asText()).isEqualTo("kv-store-recovery");
    }

    @Test
    void theBaseRendersWithKustomizeAndGrantsNoWildcard() throws Exception {
        String kubectl = Kubectl.find();
        Assumptions.assumeTrue(
                kubectl != null,
                "kubectl is not installed: the kustomize render of deploy/k8s is NOT checked here"
                        + " (apt-get install kubernetes-client; .ci/run installs it)");
        Process p = new ProcessBuilder(kubectl, "kustomize", BASE.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode o :
                YAML.readerFor(JsonNode.class).<JsonNode>readValues(out).readAll()) {
            objects.add(o);
        }
        assertThat(objects)
                .extracting(o ->
                        o.path("kind").asText() + "/" + o.at("/metadata/name").asText())
                .contains(
                        "CustomResourceDefinition/restoreplans.sluice.dev",
                        "CustomResourceDefinition/restoreruns.sluice.dev",
                        "CustomResourceDefinition/restoreactions.sluice.dev",
                        "ServiceAccount/sluice",
                        "ClusterRole/sluice-operator",
                        "Role/sluice-leader-election",
                        "Deployment/sluice");
        for (JsonNode o : objects) {
            o.path("rules")
                    .forEach(rule -> rule.path("verbs")
                            .forEach(v -> assertThat(v.asText())
                                    .as(o.at("/metadata/name").asText())
                                    .isNotEqualTo("*")));
        }
    }

    private static List<JsonNode> documents(Path file) throws java.io.IOException {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode o : YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(file.toFile())
                .readAll()) {
            if (o != null && !o.isNull() && !o.isMissingNode()) {
                all.add(o);
            }
        }
        return all;
    }

    /** Where kubectl is, if anywhere on the PATH. */
    static final class Kubectl {
        static String find() {
            String path = System.getenv("PATH");
            if (path == null) {
                return null;
            }
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, "kubectl");
                if (java.nio.file.Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
            return null;
        }
    }
}
