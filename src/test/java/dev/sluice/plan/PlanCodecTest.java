package dev.sluice.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlanCodecTest {

    @Test
    void yamlAndJsonOfTheSamePlanReadAlike() {
        RestorePlan fromYaml = TestPlans.reference();
        String json = PlanCodec.toJson(fromYaml);
        RestorePlan fromJson = PlanDefaults.apply(PlanCodec.read(bytes(json), PlanFormat.JSON));
        assertThat(fromJson).isEqualTo(fromYaml);
    }

    @Test
    void defaultsAreFilledAndStored() {
        RestorePlan plan = PlanDefaults.apply(PlanCodec.read(bytes("""
                {"name":"p","tier":{"name":"t","capacityPerSecond":100},
                 "services":[{"name":"a","demandPerSecond":10}],
                 "stages":[{"share":1.0}]}"""), PlanFormat.JSON));
        assertThat(plan.services().get(0).priority()).isEqualTo(Priority.NORMAL);
        assertThat(plan.stages().get(0).name()).isEqualTo("stage-1");
        assertThat(plan.stages().get(0).holdSeconds()).isEqualTo(PlanDefaults.HOLD_SECONDS);
        assertThat(plan.policy().onGateFailure()).isEqualTo(GateFailureAction.STEP_BACK);
        assertThat(PlanCodec.toJson(plan)).contains("\"onGateFailure\":\"step-back\"");
    }

    @Test
    void brokenJsonSaysWhereItBroke() {
        assertThatThrownBy(() -> PlanCodec.read(bytes("{\"name\": \"p\",\n  \"tier\": {\"name\": }"), PlanFormat.JSON))
                .isInstanceOfSatisfying(PlanParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isGreaterThan(1);
                });
    }

    @Test
    void brokenYamlSaysWhereItBroke() {
        assertThatThrownBy(() -> PlanCodec.read(bytes("name: p\ntier:\n  name: [unclosed\n"), PlanFormat.YAML))
                .isInstanceOfSatisfying(
                        PlanParseException.class, e -> assertThat(e.line()).isGreaterThanOrEqualTo(3));
    }

    @Test
    void unknownFieldIsAnErrorNamingItAndItsPlace() {
        assertThatThrownBy(() -> PlanCodec.read(
                        bytes("{\"name\":\"p\",\"tier\":{\"name\":\"t\",\"capcity\":1}}"), PlanFormat.JSON))
                .isInstanceOfSatisfying(PlanParseException.class, e -> {
                    assertThat(e.pointer()).isEqualTo("/tier/capcity");
                    assertThat(e.getMessage())
                            .startsWith("unknown field \"capcity\"")
                            .contains("capacityPerSecond");
                });
    }

    @Test
    void stringWhereANumberBelongsIsNotCoerced() {
        assertThatThrownBy(() -> PlanCodec.read(
                        bytes("{\"services\":[{\"name\":\"a\",\"demandPerSecond\":\"lots\"}]}"), PlanFormat.JSON))
                .isInstanceOfSatisfying(PlanParseException.class, e -> {
                    assertThat(e.pointer()).isEqualTo("/services/0/demandPerSecond");
                    assertThat(e.getMessage()).isEqualTo("expected a number");
                });
    }

    @Test
    void unknownPriorityListsTheAllowedValues() {
        assertThatThrownBy(
                        () -> PlanCodec.read(bytes("services:\n  - name: a\n    priority: urgent\n"), PlanFormat.YAML))
                .isInstanceOfSatisfying(PlanParseException.class, e -> {
                    assertThat(e.pointer()).isEqualTo("/services/0/priority");
                    assertThat(e.getMessage()).isEqualTo("\"urgent\" is not one of: critical, high, normal, low");
                });
    }

    @Test
    void fractionWhereAWholeNumberBelongsIsRejected() {
        assertThatThrownBy(() -> PlanCodec.read(bytes("{\"stages\":[{\"holdSeconds\":1.5}]}"), PlanFormat.JSON))
                .isInstanceOfSatisfying(
                        PlanParseException.class, e -> assertThat(e.pointer()).isEqualTo("/stages/0/holdSeconds"));
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> PlanCodec.read(bytes("{\"name\":\"a\",\"name\":\"b\"}"), PlanFormat.JSON))
                .isInstanceOf(PlanParseException.class)
                .hasMessageContaining("name");
    }

    @Test
    void yamlNotANumberIsRejectedAtItsLine() {
        assertThatThrownBy(
                        () -> PlanCodec.read(bytes("tier:\n  name: t\n  capacityPerSecond: .nan\n"), PlanFormat.YAML))
                .isInstanceOfSatisfying(
                        PlanParseException.class, e -> assertThat(e.line()).isEqualTo(3));
    }

    @Test
    void emptyDocumentIsAParseError() {
        assertThatThrownBy(() -> PlanCodec.read(bytes("  \n"), PlanFormat.JSON))
                .isInstanceOf(PlanParseException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> PlanCodec.read(bytes("null"), PlanFormat.JSON)).isInstanceOf(PlanParseException.class);
    }

    @Test
    void documentsOverTheLimitAreRefusedWithoutReadingThemWhole() {
        byte[] big = new byte[PlanLimits.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> PlanCodec.readLimited(new ByteArrayInputStream(big)))
                .isInstanceOf(PlanTooLargeException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
