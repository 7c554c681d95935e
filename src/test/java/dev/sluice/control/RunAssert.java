package dev.sluice.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions that read like the domain: {@code assertThatRun(driver).restoredInOrder("access", "gateway")}. */
final class RunAssert extends AbstractAssert<RunAssert, RunDriver> {
    private RunAssert(RunDriver actual) {
        super(actual, RunAssert.class);
    }

    static RunAssert assertThatRun(RunDriver driver) {
        return new RunAssert(driver);
    }

    /** Each service was restored, and in this relative order (others may come between). */
    RunAssert restoredInOrder(String... services) {
        List<String> order = actual.restoredOrder();
        assertThat(order).as("restored services").contains(services);
        for (int i = 1; i < services.length; i++) {
            assertThat(order.indexOf(services[i - 1]))
                    .as("%s restored before %s", services[i - 1], services[i])
                    .isLessThan(order.indexOf(services[i]));
        }
        return this;
    }

    RunAssert hasStatus(RunStatus status) {
        assertThat(actual.state.status()).as("run status").isEqualTo(status);
        return this;
    }

    RunAssert hasBudget(double budgetPerSecond) {
        isNotNull();
        org.assertj.core.api.Assertions.assertThat(actual.budget())
                .as("budget in force")
                .isCloseTo(budgetPerSecond, org.assertj.core.api.Assertions.within(1e-6));
        return this;
    }

    RunAssert isAtStage(String name) {
        assertThat(actual.plan.stages().get(actual.state.stage()).name())
                .as("stage")
                .isEqualTo(name);
        return this;
    }
}
