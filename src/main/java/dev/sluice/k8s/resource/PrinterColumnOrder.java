package dev.sluice.k8s.resource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Puts the printer columns of the generated CRDs in the order the resource classes declare their
 * {@link AdditionalPrinterColumn}s, so that {@code kubectl get rr} prints Plan, Phase, Stage, Budget,
 * Age. fabric8's CRD generator sorts them by JSON path instead (Age, {@code
 * .metadata.creationTimestamp}, first) and has no option to keep the declared order
 * (fabric8io/kubernetes-client#3974, #7454). Runs at build time only, as the Operator SDK's CRD
 * post-processor ({@code quarkus.operator-sdk.crd.post-processor}); the generator's API is a build
 * dependency ({@code provided}), absent at run time, when nothing loads this class.
 */
public class PrinterColumnOrder implements CRDPostProcessor {
    static final Map<String, Class<?>> RESOURCES = Map.of(
            "RestorePlan", RestorePlanResource.class,
            "RestoreRun", RestoreRunResource.class,
            "RestoreAction", RestoreActionResource.class);

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            Class<?> resource = RESOURCES.get(definition.getSpec().getNames().getKind());
            if (resource != null) {
                for (CustomResourceDefinitionVersion version :
                        definition.getSpec().getVersions()) {
                    List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
                    if (columns != null) {
                        columns.sort(
                                Comparator.comparingInt(c -> declared(resource).indexOf(c.getName())));
                    }
                }
            }
        }
        return crd;
    }

    /** The column names as the class declares them, in order. */
    static List<String> declared(Class<?> resource) {
        return Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name)
                .toList();
    }
}
