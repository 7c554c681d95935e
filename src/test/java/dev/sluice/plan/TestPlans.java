package dev.sluice.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Plans for tests: the shipped reference plan, and a small builder for graph shapes. */
public final class TestPlans {
    public static final Path REFERENCE_PLAN = Path.of("examples/reference-plan.yaml");

    private TestPlans() {}

    public static byte[] referenceYaml() {
        try {
            return Files.readAllBytes(REFERENCE_PLAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RestorePlan reference() {
        return PlanDefaults.apply(PlanCodec.read(referenceYaml(), PlanFormat.YAML));
    }

    public static Builder plan(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private double capacity = 1000;
        private final List<Service> services = new ArrayList<>();
        private final List<Stage> stages = new ArrayList<>(
                List.of(new Stage("half", 0.5, null, null, 10L, null), new Stage("full", 1.0, null, null, 10L, null)));

        private Builder(String name) {
            this.name = name;
        }

        public Builder capacity(double capacityPerSecond) {
            this.capacity = capacityPerSecond;
            return this;
        }

        public Builder service(String name, String... dependsOn) {
            return service(name, 10, Priority.NORMAL, dependsOn);
        }

        public Builder service(String name, double demand, Priority priority, String... dependsOn) {
            services.add(new Service(name, demand, priority, Arrays.asList(dependsOn), List.of()));
            return this;
        }

        public Builder stages(Stage... stages) {
            this.stages.clear();
            this.stages.addAll(Arrays.asList(stages));
            return this;
        }

        public RestorePlan build() {
            return PlanDefaults.apply(new RestorePlan(
                    name,
                    null,
                    new Tier("tier", capacity, List.of()),
                    List.copyOf(services),
                    List.copyOf(stages),
                    List.of(),
                    null));
        }
    }
}
