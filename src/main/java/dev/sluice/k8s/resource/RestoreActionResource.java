package dev.sluice.k8s.resource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An operator action on a RestoreRun, as an object: RBAC can grant {@code create restoreactions}
 * and nothing else, and every action stays in the cluster's history. Applied exactly once; its
 * status says {@code Applied} or {@code Rejected} with the message the REST API gives.
 */
@Group(SluiceGroup.NAME)
@Version(SluiceGroup.VERSION)
@Kind("RestoreAction")
@Plural("restoreactions")
@Singular("restoreaction")
@ShortNames("ra")
@AdditionalPrinterColumn(name = "Run", jsonPath = ".spec.runRef", type = Type.STRING)
@AdditionalPrinterColumn(name = "Action", jsonPath = ".spec.action", type = Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class RestoreActionResource extends CustomResource<RestoreActionSpec, RestoreActionStatus>
        implements Namespaced {}
