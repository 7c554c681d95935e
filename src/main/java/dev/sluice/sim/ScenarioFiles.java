package dev.sluice.sim;

import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.PlanFormat;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a scenario file and the plan it names (a path relative to the scenario file). */
public final class ScenarioFiles {
    private ScenarioFiles() {}

    /** A scenario file as read: its spec, and its plan with defaults applied. */
    public record Loaded(ScenarioSpec spec, RestorePlan plan) {}

    public static Loaded read(Path scenarioFile) {
        ScenarioSpec spec = PlanCodec.readDocument(
                bytes(scenarioFile), format(scenarioFile), ScenarioSpec.class, "a simulation scenario");
        if (spec.plan() == null) {
            throw new Scenario.InvalidScenarioException(List.of(new Violation(
                    "/plan", "required", "a scenario file names its plan document, relative to the scenario file")));
        }
        Path planFile =
                scenarioFile.toAbsolutePath().getParent().resolve(spec.plan()).normalize();
        if (!Files.isRegularFile(planFile)) {
            throw new Scenario.InvalidScenarioException(
                    List.of(new Violation("/plan", "file-exists", "no plan document at " + planFile)));
        }
        PlanCompiler.Result compiled = PlanCompiler.compile(PlanCodec.read(bytes(planFile), format(planFile)));
        if (compiled instanceof PlanCompiler.Invalid invalid) {
            throw new Scenario.InvalidScenarioException(invalid.violations().stream()
                    .map(v ->
                            new Violation("/plan" + v.pointer(), v.rule(), planFile.getFileName() + ": " + v.message()))
                    .toList());
        }
        return new Loaded(spec, ((PlanCompiler.Compiled) compiled).plan().document());
    }

    private static PlanFormat format(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? PlanFormat.JSON : PlanFormat.YAML;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
