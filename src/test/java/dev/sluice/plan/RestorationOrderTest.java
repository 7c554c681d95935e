package dev.sluice.plan;

import static dev.sluice.plan.TestPlans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RestorationOrderTest {

    @Test
    void referenceScenarioRestoresAccessThenGatewayThenWarp() {
        RestorationOrder order = RestorationOrder.of(TestPlans.reference());
        List<String> sequence = order.sequence();
        assertThat(sequence).hasSize(18);
        assertThat(sequence.indexOf("access")).isLessThan(sequence.indexOf("gateway"));
        assertThat(sequence.indexOf("gateway")).isLessThan(sequence.indexOf("warp"));
        assertThat(sequence.indexOf("workers-assets")).isLessThan(sequence.indexOf("pages"));
        assertThat(sequence.indexOf("pages")).isLessThan(sequence.indexOf("workers-builds"));
        assertThat(names(order.waves().get(0)))
                .containsExactly(
                        "access",
                        "turnstile",
                        "ai-gateway",
                        "d1",
                        "images",
                        "queues",
                        "realtime",
                        "stream",
                        "workers-ai",
                        "workers-assets",
                        "zaraz");
        assertThat(names(order.waves().get(1))).containsExactly("gateway", "dashboard", "pages", "autorag");
        assertThat(names(order.waves().get(2))).containsExactly("warp", "browser-isolation", "workers-builds");
    }

    @Test
    void insideAWaveHigherPriorityComesFirstThenName() {
        RestorationOrder order = RestorationOrder.of(plan("p")
                .service("zeta", 1, Priority.CRITICAL)
                .service("alpha", 1, Priority.LOW)
                .service("beta", 1, Priority.LOW)
                .service("mid", 1, Priority.HIGH)
                .build());
        assertThat(names(order.waves().get(0))).containsExactly("zeta", "mid", "alpha", "beta");
    }

    @Test
    void eachEntrySaysWhatItWaitsOnAndWhatWaitsOnIt() {
        RestorationOrder order = RestorationOrder.of(TestPlans.reference());
        RestorationOrder.Entry gateway = order.waves().get(1).services().get(0);
        assertThat(gateway.name()).isEqualTo("gateway");
        assertThat(gateway.dependsOn()).containsExactly("access");
        assertThat(gateway.dependents()).containsExactly("warp", "browser-isolation");
    }

    private static List<String> names(RestorationOrder.Wave wave) {
        return wave.services().stream().map(RestorationOrder.Entry::name).toList();
    }
}
