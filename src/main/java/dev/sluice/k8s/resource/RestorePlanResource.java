package dev.sluice.k8s.resource;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A restore plan as a Kubernetes object. Its {@code spec} is exactly the plan document of the REST
 * API ({@code dev.sluice.plan.RestorePlan}), read by the same strict reader and compiled by the same
 * compiler, so it has the same fields, validation and defaults. The schema keeps the spec as it was
 * written ({@code x-kubernetes-preserve-unknown-fields}) on purpose: the API server would otherwise
 * prune a misspelt field silently (a {@code dependOn} would vanish, and a service would be restored
 * before what it depends on); Sluice's reader names it as a violation instead.
 */
@Group(SluiceGroup.NAME)
@Version(SluiceGroup.VERSION)
@Kind("RestorePlan")
@Plural("restoreplans")
@Singular("restoreplan")
@ShortNames("rp")
@AdditionalPrinterColumn(
        name = "Valid",
        jsonPath = ".status.conditions[?(@.type==\"Valid\")].status",
        type = Type.STRING)
@AdditionalPrinterColumn(name = "Services", jsonPath = ".status.services", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Stages", jsonPath = ".status.stages", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class RestorePlanResource extends CustomResource<JsonNode, RestorePlanStatus> implements Namespaced {}
