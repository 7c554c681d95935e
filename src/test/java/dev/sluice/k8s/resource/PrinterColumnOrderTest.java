package dev.sluice.k8s.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get} prints the columns in the CRD's order: the committed CRDs (which CrdManifestsIT
 * holds equal to the generated ones) list them as the resource classes declare them, Age last.
 */
class PrinterColumnOrderTest {
    @Test
    void theCommittedCrdsPrintTheDeclaredColumnsWithAgeLast() throws IOException {
        assertThat(columns("restoreruns")).containsExactly("Plan", "Phase", "Stage", "Budget", "Age");
        assertThat(columns("restoreplans")).containsExactly("Valid", "Services", "Stages", "Age");
        assertThat(columns("restoreactions")).containsExactly("Run", "Action", "Phase", "Message", "Age");
        assertThat(columns("restoreruns")).isEqualTo(PrinterColumnOrder.declared(RestoreRunResource.class));
        assertThat(columns("restoreplans")).isEqualTo(PrinterColumnOrder.declared(RestorePlanResource.class));
        assertThat(columns("restoreactions")).isEqualTo(PrinterColumnOrder.declared(RestoreActionResource.class));
    }

    @Test
    void putsTheGeneratorsJsonPathOrderBackIntoTheDeclaredOrder() {
        CustomResourceDefinition generated = new CustomResourceDefinitionBuilder()
                .withNewSpec()
                .withNewNames()
                .withKind("RestoreRun")
                .endNames()
                .addNewVersion()
                .withName("v1alpha1")
                .addNewAdditionalPrinterColumn()
                .withName("Age")
                .withJsonPath(".metadata.creationTimestamp")
                .endAdditionalPrinterColumn()
                .addNewAdditionalPrinterColumn()
                .withName("Plan")
                .withJsonPath(".spec.planRef")
                .endAdditionalPrinterColumn()
                .addNewAdditionalPrinterColumn()
                .withName("Budget")
                .withJsonPath(".status.budgetPerSecond")
                .endAdditionalPrinterColumn()
                .addNewAdditionalPrinterColumn()
                .withName("Phase")
                .withJsonPath(".status.phase")
                .endAdditionalPrinterColumn()
                .addNewAdditionalPrinterColumn()
                .withName("Stage")
                .withJsonPath(".status.stage")
                .endAdditionalPrinterColumn()
                .endVersion()
                .endSpec()
                .build();
        CustomResourceDefinition processed =
                (CustomResourceDefinition) new PrinterColumnOrder().process(generated, "v1");
        assertThat(names(processed)).containsExactly("Plan", "Phase", "Stage", "Budget", "Age");
    }

    private static List<String> columns(String plural) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("deploy/k8s/crds", plural + ".sluice.dev-v1.yml"))) {
            return names(Serialization.unmarshal(in, CustomResourceDefinition.class));
        }
    }

    private static List<String> names(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                .map(CustomResourceColumnDefinition::getName)
                .toList();
    }
}
