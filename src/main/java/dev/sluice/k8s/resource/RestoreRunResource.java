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
 * One run of a RestorePlan, as a Kubernetes object: creating it starts the run (the same run the
 * REST API shows, {@code status.runId}); its status follows the run; deleting it aborts the run.
 * The spec is immutable once created.
 */
@Group(SluiceGroup.NAME)
@Version(SluiceGroup.VERSION)
@Kind("RestoreRun")
@Plural("restoreruns")
@Singular("restorerun")
@ShortNames("rr")
@AdditionalPrinterColumn(name = "Plan", jsonPath = ".spec.planRef", type = Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Stage", jsonPath = ".status.stage", type = Type.STRING)
@AdditionalPrinterColumn(name = "Budget", jsonPath = ".status.budgetPerSecond", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class RestoreRunResource extends CustomResource<RestoreRunSpec, RestoreRunStatus> implements Namespaced {}
