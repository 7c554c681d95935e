package dev.sluice.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.admission.replica.WantReports;
import dev.sluice.control.RunState;
import dev.sluice.control.RunStatus;
import dev.sluice.control.run.RunTicker;
import dev.sluice.control.store.RunStore;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service whose clients have a backlog asks for more than its demand; the asks (granted or
 * refused) reach the controller through the replicas' want reports, and the stage budget the
 * demands leave over goes to it until the backlog is gone — then the run completes.
 */
@QuarkusTest
class BacklogDrainIT {
    private static final String PLAN = "backlog-drain";

    @Inject
    RunStore runs;

    @Inject
    RunTicker ticker;

    @Inject
    AdmissionRegistry admission;

    @Inject
    WantReports wantReports;

    @Inject
    MutableClock clock;

    @Inject
    io.agroal.api.AgroalDataSource database;

    @Test
    void leftoverBudgetDrainsABacklogAndTheRunCompletesOnlyOnceItIsGone() {
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan(PLAN), PLAN, "backlog test");

        // a's clients want 300/s (demand 100 + a backlog); b's want their demand, 100/s. Budget at full: 400/s.
        long grantedToA = 0;
        for (int second = 0; second < 60; second++) {
            grantedToA = oneSecond(id, 300, 100);
        }
        RunState draining = runs.get(id).state();
        assertThat(draining.stage()).isEqualTo(2);
        assertThat(draining.status()).as("a backlog is left: not complete").isEqualTo(RunStatus.RUNNING);
        assertThat(draining.services().get("a").allocationPerSecond()).isEqualTo(300.0);
        assertThat(draining.services().get("b").allocationPerSecond()).isEqualTo(100.0);
        assertThat(grantedToA).as("a admitted its demand plus the leftover").isBetween(295L, 300L);
        // The run's status shows why it is not complete: a's clients want more than its demand.
        given().get("/api/v1/runs/" + id)
                .then()
                .statusCode(200)
                .body("services.find { it.name == 'a' }.wantedPerSecond", org.hamcrest.Matchers.equalTo(300.0f))
                .body("services.find { it.name == 'a' }.demandPerSecond", org.hamcrest.Matchers.equalTo(100.0f));

        // The backlog is gone: a's clients ask for their demand only. The run completes once a's
        // want, smoothed over the gate window, is back at its demand: not at the first second.
        oneSecond(id, 100, 100);
        assertThat(runs.get(id).state().status()).isEqualTo(RunStatus.RUNNING);
        for (int second = 1; second < 120 && runs.get(id).state().status() == RunStatus.RUNNING; second++) {
            oneSecond(id, 100, 100);
        }
        assertThat(runs.get(id).state().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(runs.get(id).state().services().get("a").allocationPerSecond())
                .isEqualTo(100.0);
    }

    @Test
    void theLeaderSumsTheWantsEveryLiveReplicaReportedAndIgnoresStaleOnes() throws Exception {
        String plan = PLAN + "-replicas";
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan(plan), plan, "replicas test");
        // This replica's clients of a ask for 150/s; another replica's for 120/s; a third replica
        // reported 1,000/s long ago and has gone quiet since.
        try (var c = database.getConnection();
                var insert = c.prepareStatement("INSERT INTO service_want "
                        + "(run_id, replica_id, service, wanted_per_second, reported_at) VALUES (?, ?, 'a', ?, ?)")) {
            for (Object[] row : new Object[][] {
                {"other-replica", 120.0, clock.instant()},
                {"gone-replica", 1000.0, clock.instant().minusSeconds(60)}
            }) {
                insert.setString(1, id);
                insert.setString(2, (String) row[0]);
                insert.setDouble(3, (Double) row[1]);
                insert.setTimestamp(4, java.sql.Timestamp.from((java.time.Instant) row[2]));
                insert.executeUpdate();
            }
        }
        for (int i = 0; i < 150; i++) {
            admission.acquire(id, "a", 1);
        }
        clock.advanceSeconds(1);
        wantReports.report();
        assertThat(wantReports.wantedPerSecond(id)).containsEntry("a", 270.0);
    }

    @Test
    void aRunFirstAdmittedAfterAReplicaStoppedLeavesRoomForTheLeasesItMayHaveGranted() throws Exception {
        String plan = PLAN + "-predecessor";
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan(plan), plan, "predecessor test");
        double share = runs.get(id).state().services().get("a").allocationPerSecond();
        // A replica that stopped 3 s ago (this process's predecessor, killed) last reported its
        // clients of a wanting the whole share, half of it held by leases: those leases may still
        // be enforced; the rest were permit asks, which leave nothing to make room for.
        try (var c = database.getConnection();
                var insert = c.prepareStatement("INSERT INTO service_want (run_id, replica_id, service, "
                        + "wanted_per_second, leased_per_second, reported_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Object[] row : new Object[][] {{"a", share, share / 2}}) {
                insert.setString(1, id);
                insert.setString(2, "stopped-replica");
                insert.setString(3, (String) row[0]);
                insert.setDouble(4, (Double) row[1]);
                insert.setDouble(5, (Double) row[2]);
                insert.setTimestamp(6, java.sql.Timestamp.from(clock.instant().minusSeconds(3)));
                insert.executeUpdate();
            }
        }
        assertThat(admission.acquire(id, "a", 1).ratePerSecond())
                .as("permits get what the predecessor's leases may leave, not what its permit asks were")
                .isEqualTo(share - share / 2);

        // A lease granted at that report has ended (default lease 10 s): the permits get the share again.
        clock.advanceSeconds(10);
        admission.refresh();
        assertThat(admission.acquire(id, "a", 1).ratePerSecond()).isEqualTo(share);
    }

    @Test
    void aLeaseThatRaisesTheLeasedRateIsInTheDatabaseBeforeItIsAnswered() throws Exception {
        String plan = PLAN + "-lease-record";
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan(plan), plan, "lease record test");
        // No report runs in between: what a successor would read is there once the answer is.
        float first = lease(id, "c1", 40);
        assertThat(leasedInTheDatabase(id)).as("one lease").isEqualTo(first);
        float second = lease(id, "c2", 40);
        assertThat(leasedInTheDatabase(id)).as("both leases").isEqualTo(first + second);
    }

    @Test
    void aReportMeasuredBeforeALeaseWasRecordedDoesNotLowerTheRecord() throws Exception {
        String plan = PLAN + "-lease-order";
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan(plan), plan, "lease order test");
        float granted = lease(id, "c1", 40);
        given().delete("/api/v1/runs/" + id + "/services/a/leases/c1").then().statusCode(204);
        // A report that read the lease books before the grant (its instant is earlier) and wrote
        // after the record: the record stands.
        clock.advanceSeconds(-1);
        try {
            wantReports.report();
        } finally {
            clock.advanceSeconds(1);
        }
        assertThat(leasedInTheDatabase(id)).isEqualTo(granted);
        // The next report, measured after the lease was given back, lowers it.
        clock.advanceSeconds(1);
        wantReports.report();
        assertThat(leasedInTheDatabase(id)).isEqualTo(0f);
    }

    private static float lease(String run, String client, int wantPerSecond) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("clientId", client, "wantPerSecond", wantPerSecond))
                .post("/api/v1/runs/" + run + "/services/a/leases")
                .then()
                .statusCode(200)
                .extract()
                .path("rate");
    }

    /** What this replica's row says a's leases hold (the run is new: no other replica wrote of it). */
    private float leasedInTheDatabase(String run) throws Exception {
        try (var c = database.getConnection();
                var select = c.prepareStatement(
                        "SELECT leased_per_second FROM service_want WHERE run_id = ? AND service = 'a'")) {
            select.setString(1, run);
            try (var rows = select.executeQuery()) {
                assertThat(rows.next()).as("a row for a").isTrue();
                return rows.getFloat(1);
            }
        }
    }

    @Test
    void aBacklogAClientStatesReachesTheControllerAtTheNextReport() {
        String plan = PLAN + "-stated";
        String id = RunsOverHttp.storeAndStart(RunPlans.pushPlan(plan), plan, "stated want test");
        // This replica loads the run's admission on first use; new buckets hold one permit, so a
        // second later they hold a second of their rate.
        given().get("/api/v1/runs/" + id + "/services/a/admission").then().statusCode(200);
        clock.advanceSeconds(1);
        wantReports.report();
        // One client honours Retry-After and asks once, but says 300/s wait behind its request and
        // another has 2,000 queued: 300 + 2,000 / 10 s, at the first report, not over many.
        given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "c1", "wantPerSecond", 300))
                .post("/api/v1/runs/" + id + "/services/a/permits")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "c2", "backlog", 2000))
                .post("/api/v1/runs/" + id + "/services/a/permits")
                .then()
                .statusCode(200);
        clock.advance(java.time.Duration.ofMillis(500));
        wantReports.report();
        // c2's one ask over the 0.5 s since the last report counts too: 2/s.
        assertThat(wantReports.wantedPerSecond(id)).containsEntry("a", 300.0 + 200.0 + 2.0);
    }

    /** One second: green health, each client asks one permit at a time, wants reported, one tick. */
    private long oneSecond(String id, int askA, int askB) {
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "reports", "errorRatio", 0.0))
                .post("/api/v1/plans/" + PLAN + "/health-reports")
                .then()
                .statusCode(202);
        // Clients with a 100 ms loop: a tenth of a second's asks each time, as buckets hold at
        // most the headroom's share of a second (0.1 s at a full stage).
        long granted = 0;
        for (int step = 0; step < 10; step++) {
            for (int i = 0; i < Math.max(askA, askB) / 10; i++) {
                if (i < askA / 10 && admission.acquire(id, "a", 1).granted()) {
                    granted++;
                }
                if (i < askB / 10) {
                    admission.acquire(id, "b", 1);
                }
            }
            clock.advance(java.time.Duration.ofMillis(100));
        }
        wantReports.report();
        ticker.tick(id);
        return granted;
    }
}
