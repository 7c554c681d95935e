package dev.sluice.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.domain.DomainException;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanFormat;
import dev.sluice.plan.PlanParseException;
import dev.sluice.plan.PlanTooLargeException;
import dev.sluice.plan.RestorePlan;
import dev.sluice.sim.Scenario;
import dev.sluice.sim.ScenarioSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Drill 5 without HTTP: the plan reader ({@link PlanCodec} then {@link PlanCompiler}) and the
 * simulator's scenario reader ({@link Scenario#build}) given many spoiled documents. Whatever they
 * are given, they answer with a domain refusal (a parse error, a size limit, violations), never
 * another exception. Case {@code i} is generated from seed {@code BASE_SEED + i}; a failure names
 * its seed, and failing seeds found so far are replayed first in {@link #REGRESSION_SEEDS}.
 */
class DocumentReaderFuzzTest {
    static final long BASE_SEED = 14_000_000L;
    /**
     * In the suite; the drill proper is {@code -Dsluice.drill.plan-cases=100000
     * -Dsluice.drill.scenario-cases=50000} (see docs/reliability.md).
     */
    static final int PLAN_CASES = Integer.getInteger("sluice.drill.plan-cases", 20_000);

    static final int SCENARIO_CASES = Integer.getInteger("sluice.drill.scenario-cases", 10_000);
    /** Seeds that once failed, kept as regressions. */
    static final long[] REGRESSION_SEEDS = {
        14_002_360L, // a gate naming a service in a plan without services: NullPointerException in validation
        14_000_181L, // a scenario's per-service clients entry given as null: NullPointerException
        14_000_503L, // a null in a scenario's list of numbers: NullPointerException on unboxing
    };

    private static final YAMLMapper YAML = new YAMLMapper();

    private static JsonNode yaml(String file) {
        try {
            return YAML.readTree(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void thePlanReaderAnswersEverySpoiledDocumentWithADomainRefusal() {
        JsonNode reference = yaml("examples/reference-plan.yaml");
        List<String> failures = new ArrayList<>();
        LongStream.concat(LongStream.of(REGRESSION_SEEDS), LongStream.range(BASE_SEED, BASE_SEED + PLAN_CASES))
                .forEach(seed -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    boolean yaml = random.nextBoolean();
                    byte[] document = Mutations.text(Mutations.mutate(reference, random), yaml, random);
                    try {
                        PlanCompiler.compile(PlanCodec.read(document, yaml ? PlanFormat.YAML : PlanFormat.JSON));
                    } catch (PlanParseException | PlanTooLargeException | DomainException refused) {
                        // the reader's answer to a broken document
                    } catch (RuntimeException | StackOverflowError e) {
                        if (failures.size() < 20) {
                            failures.add("seed " + seed + ": " + e);
                        }
                    }
                });
        assertThat(failures).as("plan documents that were not refused cleanly").isEmpty();
    }

    @Test
    void theScenarioReaderAnswersEverySpoiledScenarioWithADomainRefusal() {
        JsonNode reference = yaml("examples/scenarios/reference.yaml");
        // as the simulator gets it: compiled, with defaults applied
        RestorePlan plan = ((PlanCompiler.Compiled)
                        PlanCompiler.compile(PlanCodec.read(bytesOf("examples/reference-plan.yaml"), PlanFormat.YAML)))
                .plan()
                .document();
        List<String> failures = new ArrayList<>();
        LongStream.concat(LongStream.of(REGRESSION_SEEDS), LongStream.range(BASE_SEED, BASE_SEED + SCENARIO_CASES))
                .forEach(seed -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    boolean yaml = random.nextBoolean();
                    byte[] document = Mutations.text(Mutations.mutate(reference, random), yaml, random);
                    try {
                        ScenarioSpec spec = PlanCodec.readDocument(
                                document, yaml ? PlanFormat.YAML : PlanFormat.JSON, ScenarioSpec.class, "a scenario");
                        Scenario.build(spec, plan);
                    } catch (PlanParseException
                            | PlanTooLargeException
                            | DomainException
                            | Scenario.InvalidScenarioException refused) {
                        // the reader's answer to a broken scenario
                    } catch (RuntimeException | StackOverflowError e) {
                        if (failures.size() < 20) {
                            failures.add("seed " + seed + ": " + e);
                        }
                    }
                });
        assertThat(failures).as("scenarios that were not refused cleanly").isEmpty();
    }

    private static byte[] bytesOf(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
