package dev.sluice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.k8s.resource.RestoreActionResource;
import dev.sluice.k8s.resource.RestoreActionSpec;
import dev.sluice.k8s.resource.RestorePlanResource;
import dev.sluice.k8s.resource.RestoreRunResource;
import dev.sluice.k8s.resource.RestoreRunSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Optional;

/** Custom resources for the operator tests, built as kubectl would send them. */
final class K8sObjects {
    static final String NS = "restore";

    private K8sObjects() {}

    static RestorePlanResource plan(String name, JsonNode document) {
        RestorePlanResource rp = new RestorePlanResource();
        rp.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        ObjectNode spec = ((ObjectNode) document).deepCopy();
        spec.remove("name"); // named by metadata.name, as a kubectl user would write it
        rp.setSpec(spec);
        return rp;
    }

    static RestoreRunResource run(String name, String plan, String reason) {
        RestoreRunResource rr = new RestoreRunResource();
        rr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        RestoreRunSpec spec = new RestoreRunSpec();
        spec.planRef = plan;
        spec.reason = reason;
        rr.setSpec(spec);
        return rr;
    }

    static RestoreActionResource action(String name, String run, String action, String reason) {
        RestoreActionResource ra = new RestoreActionResource();
        ra.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        RestoreActionSpec spec = new RestoreActionSpec();
        spec.runRef = run;
        spec.action = action;
        spec.reason = reason;
        ra.setSpec(spec);
        return ra;
    }

    static Optional<Condition> condition(List<Condition> conditions, String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
    }
}
