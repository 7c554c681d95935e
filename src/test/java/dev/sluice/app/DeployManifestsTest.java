package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    void deploymentProbesUseTheHealthEndpointsAndSecretsComeFromASecret() throws Exception {
        JsonNode container =
                YAML.readTree(BASE.resolve("deployment.yaml").toFile()).at("/spec/template/spec/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        container.get("env").forEach(env -> {
            if (env.get("name").asText().equals("SLUICE_DATA_DIR")) {
                assertThat(env.get("value").asText()).startsWith("/tmp"); // the writable emptyDir
                return;
            }
            assertThat(env.has("value"))
                    .as(env.get("name").asText() + " must not be inline")
                    .isFalse();
            assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).isIn("sluice-db", "sluice-bootstrap");
        });
    }
}
