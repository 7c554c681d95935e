package dev.sluice.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.control.run.RunTicker;
import dev.sluice.control.store.RunStore;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.testing.HealthyTier;
import dev.sluice.testing.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dependents driven through a whole restoration of the reference plan: every service but one asks
 * for permits for its full demand each second; {@code warp} holds a rate lease instead. What they
 * are admitted follows the allocations: never more than allocation × time plus one burst, and all
 * of their demand once they are allocated it.
 */
@QuarkusTest
class AdmissionRestorationIT {
    private static final String LEASED = "warp";

    @Inject
    RunStore runs;

    @Inject
    RunTicker ticker;

    @Inject
    AdmissionRegistry admission;

    @Inject
    MutableClock clock;

    @Test
    void admittedRatesFollowAllocationsThroughAWholeRestoration() throws Exception {
        try (HealthyTier kv = new HealthyTier()) {
            String id = kv.startReferenceRun("reference-run-adm", "admission restoration");
            List<CompiledPlan.Service> services = runs.get(id).plan().services();
            Map<String, Double> allocatedTotal = new HashMap<>();
            Map<String, Long> admittedTotal = new HashMap<>();
            double leasedTotal = 0;
            double warpAllocatedTotal = 0;
            for (int second = 0; second < 3000; second++) {
                RunState before = runs.get(id).state();
                if (before.status() == RunStatus.COMPLETED) {
                    break;
                }
                if (second % 5 == 0) {
                    given().contentType(ContentType.JSON)
                            .body(Map.of("source", "access-reports", "service", "access", "errorRatio", 0.0))
                            .post("/api/v1/plans/reference-run-adm/health-reports")
                            .then()
                            .statusCode(202);
                }
                if (before.stage() == 4 && !before.approvedStages().contains("full")) {
                    given().contentType(ContentType.JSON)
                            .body(Map.of("reason", "approve full"))
                            .post("/api/v1/runs/" + id + "/promote")
                            .then()
                            .statusCode(200);
                }
                // The lease client refreshes every second (well before refreshAfter) and admits its rate.
                double warpAllocation = before.services().get(LEASED).allocationPerSecond();
                LeaseBook.Grant lease = admission.lease(id, LEASED, "warp-1", 600);
                assertThat(lease.ratePerSecond())
                        .as("second %d: lease rate is warp's allocation", second)
                        .isCloseTo(warpAllocation, org.assertj.core.api.Assertions.within(1e-6));
                leasedTotal += lease.ratePerSecond();
                warpAllocatedTotal += warpAllocation;
                // Permit clients with a 100 ms loop: each tenth of a second, a tenth of their demand
                // (buckets hold at most the headroom's share of a second, 0.1 s at a full stage, so a
                // client asking for a whole second at once would be held to that).
                Map<String, Long> admittedThisSecond = new HashMap<>();
                for (int step = 0; step < 10; step++) {
                    for (CompiledPlan.Service s : services) {
                        if (!s.name().equals(LEASED)) {
                            admittedThisSecond.merge(
                                    s.name(), askForDemand(id, s, (long) s.demandPerSecond() / 10), Long::sum);
                        }
                    }
                    clock.advance(java.time.Duration.ofMillis(100));
                }
                for (CompiledPlan.Service s : services) {
                    if (s.name().equals(LEASED)) {
                        continue;
                    }
                    double allocation = before.services().get(s.name()).allocationPerSecond();
                    long admitted = admittedThisSecond.get(s.name());
                    long burst = RateLimit.of(allocation, 1.0).burstTokens();
                    assertThat(admitted)
                            .as("second %d: %s admitted within allocation %.1f + burst", second, s.name(), allocation)
                            .isLessThanOrEqualTo((long) Math.ceil(allocation) + burst);
                    allocatedTotal.merge(s.name(), Math.min(allocation, s.demandPerSecond()), Double::sum);
                    admittedTotal.merge(s.name(), admitted, Long::sum);
                }
                ticker.tick(id);
            }
            assertThat(runs.get(id).state().status()).isEqualTo(RunStatus.COMPLETED);
            for (CompiledPlan.Service s : services) {
                if (s.name().equals(LEASED)) {
                    continue;
                }
                double expected = allocatedTotal.get(s.name());
                // Over the whole run, what was admitted is what was allocated (measured: within 0.2%),
                // give or take the bursts around each change of allocation.
                assertThat((double) admittedTotal.get(s.name()))
                        .as(s.name())
                        .isCloseTo(
                                expected,
                                org.assertj.core.api.Assertions.within(expected * 0.005 + s.demandPerSecond()));
            }
            assertThat(leasedTotal).isCloseTo(warpAllocatedTotal, org.assertj.core.api.Assertions.within(1e-3));
        }
    }

    /**
     * A client that wants {@code want} permits now: it asks in chunks, halving the chunk when
     * refused (or when the chunk is larger than the burst), until a single permit is refused.
     */
    private long askForDemand(String runId, CompiledPlan.Service s, long want) {
        long admitted = 0;
        long chunk = 128;
        while (admitted < want && chunk >= 1) {
            long ask = Math.min(chunk, want - admitted);
            try {
                if (admission.acquire(runId, s.name(), ask).granted()) {
                    admitted += ask;
                } else {
                    chunk = ask / 2;
                }
            } catch (dev.sluice.domain.DomainException moreThanTheBurst) {
                chunk = ask / 2;
            }
        }
        return admitted;
    }
}
