package dev.sluice.k8s;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Operator mode on, against fabric8's mock API server in CRUD mode (the test class declares it
 * with {@code @WithKubernetesTestServer(crud = true)}): the CRDs are installed into it at start,
 * status is patched without server-side apply (the mock answers 415 to SSA status patches), and
 * one replica reconciles without a Lease unless a test competes for one itself.
 */
public class OperatorProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "sluice.operator.enabled", "true",
                "sluice.operator.leader-election", "false",
                "sluice.operator.webhook-enabled", "true",
                "sluice.operator.status-poll-period", "50ms",
                "sluice.operator.status-min-interval", "100ms",
                "quarkus.operator-sdk.crd.apply", "true",
                "quarkus.operator-sdk.enable-ssa", "false",
                "quarkus.kubernetes-client.devservices.enabled", "false");
    }
}
