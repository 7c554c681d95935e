package dev.sluice.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.testing.PlanDocuments;
import org.junit.jupiter.api.Test;

class PlanSpecsTest {
    @Test
    void aSpecWithoutANameIsThePlanNamedAfterItsObject() {
        ObjectNode spec = PlanDocuments.reference("x");
        spec.remove("name");
        PlanCompiler.Result r = PlanSpecs.compile("kv-store-recovery", spec);
        assertThat(r).isInstanceOf(PlanCompiler.Compiled.class);
        assertThat(((PlanCompiler.Compiled) r).plan().name()).isEqualTo("kv-store-recovery");
    }

    @Test
    void aSpecNamingAnotherPlanIsAViolation() {
        PlanCompiler.Result r = PlanSpecs.compile("kv-store-recovery", PlanDocuments.reference("other"));
        assertThat(((PlanCompiler.Invalid) r).violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/name");
            assertThat(v.rule()).isEqualTo("matches-metadata-name");
        });
    }

    @Test
    void anUnknownFieldTheApiServerWouldHavePrunedIsNamed() {
        ObjectNode spec = PlanDocuments.reference("x");
        spec.remove("name");
        PlanDocuments.at(spec, "/services/1")
                .set("dependOn", PlanDocuments.at(spec, "/services/1").remove("dependsOn"));
        PlanCompiler.Invalid r = (PlanCompiler.Invalid) PlanSpecs.compile("p", spec);
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("malformed");
            assertThat(v.pointer()).isEqualTo("/services/1/dependOn");
        });
    }

    @Test
    void noSpecIsOneViolationNotACrash() {
        assertThat(((PlanCompiler.Invalid) PlanSpecs.compile("p", null)).violations())
                .singleElement()
                .satisfies(v -> assertThat(v.rule()).isEqualTo("required"));
    }

    @Test
    void theMessageNamesEveryViolationWithPointerAndRule() {
        ObjectNode spec = PlanDocuments.reference("x");
        spec.remove("name");
        PlanDocuments.at(spec, "/tier").put("capacityPerSecond", -1);
        PlanCompiler.Invalid r = (PlanCompiler.Invalid) PlanSpecs.compile("p", spec);
        assertThat(PlanSpecs.message(r.violations()))
                .contains("/tier/capacityPerSecond")
                .contains("[");
    }
}
