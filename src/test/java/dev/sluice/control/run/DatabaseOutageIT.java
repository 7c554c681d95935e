package dev.sluice.control.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.admission.replica.AdmissionRegistry;
import dev.sluice.control.RunState;
import dev.sluice.control.store.RunStore;
import dev.sluice.runtime.DatabaseUnavailable;
import dev.sluice.testing.BlackHoleProxy;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.PrivatePostgres;
import dev.sluice.testing.PrivatePostgresResource;
import dev.sluice.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Drill 2, the database goes away: the application runs against a PostgreSQL this test owns
 * ({@link PrivatePostgres}), which is stopped in the middle of a run and started again. The issue's
 * 30 s outage is 30 s of the application's clock here (moved by hand) and about 8 s of real time:
 * long enough for the 5 s token cache to expire, which is what the real time is needed for.
 */
@QuarkusTest
@TestProfile(DatabaseOutageIT.OwnDatabase.class)
class DatabaseOutageIT {
    /** Every answer that needs the database comes within this, whether it can be reached or not. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);
    /** The drill's {@code sluice.database-socket-timeout}: a statement sent gets no answer for this long. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /** Admission never waits on the database: a permit or a lease answers within this, hung or not. */
    private static final Duration ADMISSION_BOUND = Duration.ofMillis(1000);
    /** Past the token cache (5 s): admission must go on beyond it on the outage grace. */
    private static final Duration BEYOND_TOKEN_CACHE = Duration.ofSeconds(7);

    private static final String PLAN = """
            {"name": "%s",
             "tier": {"name": "kv", "capacityPerSecond": 400,
                      "health": [{"name": "reports", "kind": "push", "staleAfterSeconds": 60}]},
             "services": [{"name": "a", "demandPerSecond": 100, "priority": "critical"},
                          {"name": "b", "demandPerSecond": 100, "priority": "critical"}],
             "stages": [{"name": "quarter", "share": 0.25, "holdSeconds": 5},
                        {"name": "half", "share": 0.5, "holdSeconds": 20},
                        {"name": "full", "share": 1.0, "holdSeconds": 5}],
             "gates": [{"name": "tier-errors", "kind": "tier-error-rate", "maxErrorRatio": 0.05,
                        "windowSeconds": 30, "greenSamples": 3, "redSamples": 2}],
             "policy": {"unknownHealthPauseSeconds": 600, "tickIntervalMillis": 1000}}
            """;

    /** The shared test database is off; this class's own server is the application's database. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrivatePostgresResource.class));
        }

        /** Shorter than the default 60 s, so that the hung statement's wait fits the suite. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.database-socket-timeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        }
    }

    @Inject
    RunTicker ticker;

    @Inject
    LeaderLock leader;

    @Inject
    RunStore runs;

    @Inject
    AdmissionRegistry admission;

    @Inject
    MutableClock clock;

    private String planName;
    private String runId;

    @Test
    void aRunKeepsItsCommittedRatesThroughADatabaseOutageAndResumesOnFreshHealthOnly() throws Exception {
        PrivatePostgres db = PrivatePostgresResource.server();
        Ramped ramped = rampedRun("outage");
        String id = ramped.id();
        String client = ramped.client();
        String neverSeen = ramped.neverSeen();
        RunState before = ramped.before();
        double rateA = before.services().get("a").allocationPerSecond();

        db.stop();

        // Admission goes on at the committed rates, past the token cache, on the outage grace.
        assertAdmissionGoesOnAtTheCommittedRates(ramped);

        // A token never seen cannot be checked: a clear 503, not a 401 or a 500.
        assertUnavailable(permitRequest(neverSeen));
        // Calls that need the database: 503 with Retry-After, within the bound.
        assertUnavailable(given().get("/api/v1/runs/" + id));
        assertUnavailable(given().contentType(ContentType.JSON)
                .body(Map.of("source", "reports", "errorRatio", 0.0))
                .post("/api/v1/plans/" + planName + "/health-reports"));
        // The control loop cannot tick: the tick fails as unavailable, the lock is gone.
        clock.advanceSeconds(30);
        assertThatThrownBy(() -> ticker.tick(id)).matches(DatabaseUnavailable::isCause, "a database outage");
        assertThat(leader.holdOrAcquire()).isFalse();
        admission.refresh(); // keeps the last allocations
        assertThat(permit(client).jsonPath().getDouble("ratePerSecond")).isEqualTo(rateA);

        db.start();

        Awaitility.await("the database answers again")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/api/v1/runs/" + id).statusCode() == 200);
        assertThat(leader.holdOrAcquire()).isTrue();
        assertThat(leader.holdOrAcquire()).isTrue();
        assertThat(advisoryLocksHeld(db)).isEqualTo(1);
        assertThat(permitRequest(neverSeen).statusCode()).isIn(200, 429);

        // Nothing was written during the outage, and nothing half: the state is the one before it.
        RunState after = runs.get(id).state();
        assertThat(after.stage()).isEqualTo(before.stage());
        assertThat(after.services()).isEqualTo(before.services());
        assertThat(timeline(id)).hasSize(ramped.transitionsBefore());
        assertThat(given().get("/api/v1/audit/verify")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<Boolean>path("intact"))
                .isTrue();

        // The first fresh reading after the outage starts a new streak; the 30 s are not held.
        greenTick(id);
        RunState resumed = runs.get(id).state();
        assertThat(resumed.gates().get("tier-errors").greenStreak()).isEqualTo(1);
        assertThat(resumed.stage()).isEqualTo(before.stage());
        while (runs.get(id).state().stage() == before.stage()) {
            greenTick(id);
        }
        List<Map<String, Object>> advanced = timeline(id).stream()
                .filter(e -> "stage-advanced".equals(e.get("action")))
                .toList();
        assertThat(advanced.get(advanced.size() - 1).get("reason").toString()).contains("held 200.0/s 20 s");
    }

    @Test
    void aRunKeepsItsCommittedRatesWhileTheDatabaseHangsAndEveryWaitOnItIsBounded() throws Exception {
        PrivatePostgres db = PrivatePostgresResource.server();
        BlackHoleProxy network = PrivatePostgresResource.proxy();
        Ramped ramped = rampedRun("hang");
        String id = ramped.id();
        String client = ramped.client();
        String neverSeen = ramped.neverSeen();
        RunState before = ramped.before();
        double rateA = before.services().get("a").allocationPerSecond();

        // A tick in flight when the network goes: it waits on the run's row lock, which the test holds
        // on its own connection, so its statement has been sent and its answer is still to come.
        clock.advanceSeconds(1);
        CompletableFuture<Boolean> inFlight;
        AtomicLong inFlightEnded = new AtomicLong();
        long hungAt;
        try (Connection holder = DriverManager.getConnection(db.jdbcUrl(), "postgres", null)) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT 1 FROM run WHERE id = '" + id + "' FOR UPDATE");
            }
            inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return ticker.tick(id);
                } finally {
                    inFlightEnded.set(System.nanoTime());
                }
            });
            Awaitility.await("the tick waits on the run's row lock")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> sessionsWaitingOnALock(db) == 1);
            network.blackHole();
            hungAt = System.nanoTime();
            holder.rollback(); // the answer is sent now, and vanishes
        }

        // Admission goes on at the committed rates, quickly, past the token cache.
        long slowest = assertAdmissionGoesOnAtTheCommittedRates(ramped);
        System.out.printf("hang drill: slowest permit or lease during the hang %d ms%n", slowest);
        assertThat(slowest).isLessThan(ADMISSION_BOUND.toMillis());

        // The tick in flight gave up after the socket timeout, as unavailable.
        assertThatThrownBy(() -> inFlight.get(SOCKET_TIMEOUT.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .matches(DatabaseUnavailable::isCause, "a database outage");
        long inFlightMillis = TimeUnit.NANOSECONDS.toMillis(inFlightEnded.get() - hungAt);
        System.out.printf("hang drill: the tick in flight failed %d ms after the network went%n", inFlightMillis);
        assertThat(inFlightMillis).isLessThan(SOCKET_TIMEOUT.plusSeconds(2).toMillis());

        // Calls that need the database: 503 with Retry-After, within the bound.
        List<Response> refused = List.of(
                permitRequest(neverSeen),
                given().get("/api/v1/runs/" + id),
                given().contentType(ContentType.JSON)
                        .body(Map.of("source", "reports", "errorRatio", 0.0))
                        .post("/api/v1/plans/" + planName + "/health-reports"));
        System.out.printf(
                "hang drill: unseen token, run status, health push answered %s in %s ms%n",
                refused.stream().map(Response::statusCode).toList(),
                refused.stream().map(Response::time).toList());
        refused.forEach(DatabaseOutageIT::assertUnavailable);
        // A tick that starts now fails as unavailable within the bound; the lock's session is noticed.
        clock.advanceSeconds(30);
        long tickStarted = System.nanoTime();
        assertThatThrownBy(() -> ticker.tick(id)).matches(DatabaseUnavailable::isCause, "a database outage");
        long tickMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - tickStarted);
        long lockStarted = System.nanoTime();
        assertThat(leader.holdOrAcquire()).isFalse();
        long lockMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockStarted);
        System.out.printf(
                "hang drill: a new tick failed in %d ms, the lock was given up in %d ms%n", tickMillis, lockMillis);
        assertThat(tickMillis).isLessThan(ANSWER_BOUND.toMillis());
        assertThat(lockMillis).isLessThan(ANSWER_BOUND.toMillis());
        admission.refresh(); // keeps the last allocations
        assertThat(permit(client).jsonPath().getDouble("ratePerSecond")).isEqualTo(rateA);

        network.forward();

        Awaitility.await("the database answers again")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/api/v1/runs/" + id).statusCode() == 200);
        // The lock's old session ends once its close gets through; then this replica leads again,
        // on one session, and another replica cannot lead beside it.
        Awaitility.await("the lock is taken again")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(leader::holdOrAcquire);
        assertThat(leader.holdOrAcquire()).isTrue();
        assertThat(advisoryLocksHeld(db)).isEqualTo(1);
        LeaderLock otherReplica = new LeaderLock();
        otherReplica.jdbcUrl = db.jdbcUrl();
        otherReplica.username = Optional.of("postgres");
        otherReplica.password = Optional.empty();
        try {
            assertThat(otherReplica.holdOrAcquire()).isFalse();
        } finally {
            otherReplica.release();
        }
        assertThat(permitRequest(neverSeen).statusCode()).isIn(200, 429);

        // Nothing was written while the database hung, not even by the tick in flight.
        RunState after = runs.get(id).state();
        assertThat(after.stage()).isEqualTo(before.stage());
        assertThat(after.services()).isEqualTo(before.services());
        assertThat(after.gates()).isEqualTo(before.gates());
        assertThat(timeline(id)).hasSize(ramped.transitionsBefore());
        assertThat(given().get("/api/v1/audit/verify")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<Boolean>path("intact"))
                .isTrue();
        greenTick(id);
        assertThat(runs.get(id).state().gates().get("tier-errors").greenStreak())
                .isEqualTo(1);
    }

    /**
     * What each drill starts from: a run of the plan {@code <name>-plan} ramped to its second stage,
     * a client token already verified (cached), one never seen, and this replica leading.
     */
    private record Ramped(String id, String client, String neverSeen, RunState before, int transitionsBefore) {}

    private Ramped rampedRun(String name) {
        String plan = name + "-plan";
        String id = startRun(plan);
        String client = TestTokens.token(name + "-client", List.of("client"), List.of(plan + "/a", plan + "/b"));
        String neverSeen = TestTokens.token(name + "-unseen", List.of("client"), List.of(plan + "/a"));
        RunState before = rampToTheSecondStage(id);
        assertThat(permit(client).statusCode()).isEqualTo(200); // the client's token is verified now
        assertThat(leader.holdOrAcquire()).isTrue();
        return new Ramped(id, client, neverSeen, before, timeline(id).size());
    }

    /**
     * Permits and leases are answered from memory at the rates committed before the database went,
     * for longer than the token cache holds; answers the slowest of those answers, in ms.
     */
    private long assertAdmissionGoesOnAtTheCommittedRates(Ramped ramped) {
        double rateA = ramped.before().services().get("a").allocationPerSecond();
        double rateB = ramped.before().services().get("b").allocationPerSecond();
        long[] slowest = {0};
        Awaitility.await("permits and leases answered from memory")
                .during(BEYOND_TOKEN_CACHE)
                .atMost(BEYOND_TOKEN_CACHE.plusSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Response p = permit(ramped.client());
                    Response l = lease(ramped.client());
                    slowest[0] = Math.max(slowest[0], Math.max(p.time(), l.time()));
                    return (p.statusCode() == 200 || p.statusCode() == 429)
                            && p.jsonPath().getDouble("ratePerSecond") == rateA
                            && l.statusCode() == 200
                            && l.jsonPath().getDouble("rate") == rateB;
                });
        return slowest[0];
    }

    /** Stores the drill's plan under {@code name} and starts a run of it. */
    private String startRun(String name) {
        planName = name;
        given().contentType(ContentType.JSON)
                .body(PLAN.formatted(name))
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        return runId = given().contentType(ContentType.JSON)
                .body(Map.of("plan", name, "reason", "database outage drill"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Up to the second stage, and two green readings into it: the state the outage must keep. */
    private RunState rampToTheSecondStage(String id) {
        while (runs.get(id).state().stage() < 1) {
            greenTick(id);
        }
        greenTick(id);
        greenTick(id);
        RunState before = runs.get(id).state();
        assertThat(before.gates().get("tier-errors").greenStreak()).isEqualTo(2);
        assertThat(before.services().get("a").allocationPerSecond()).isPositive();
        return before;
    }

    private void greenTick(String id) {
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "reports", "errorRatio", 0.0))
                .post("/api/v1/plans/" + planName + "/health-reports")
                .then()
                .statusCode(202);
        clock.advanceSeconds(1);
        assertThat(ticker.tick(id)).isTrue();
    }

    private Response permit(String token) {
        return permitRequest(token);
    }

    private Response permitRequest(String token) {
        return TestTokens.as(token)
                .contentType(ContentType.JSON)
                .body(Map.of("count", 1))
                .post("/api/v1/runs/" + runId + "/services/a/permits");
    }

    private Response lease(String token) {
        return TestTokens.as(token)
                .contentType(ContentType.JSON)
                .body(Map.of("clientId", "b-1", "wantPerSecond", 1000))
                .post("/api/v1/runs/" + runId + "/services/b/leases");
    }

    private static void assertUnavailable(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("type")).isEqualTo("urn:sluice:problem:database-unavailable");
        assertThat(r.header("Retry-After")).isNotBlank();
        assertThat(r.time()).isLessThan(ANSWER_BOUND.toMillis());
    }

    private static List<Map<String, Object>> timeline(String id) {
        return given().get("/api/v1/runs/" + id + "/timeline?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("$");
    }

    private static long sessionsWaitingOnALock(PrivatePostgres db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", null);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long advisoryLocksHeld(PrivatePostgres db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", null);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        + " AND ((classid::bigint << 32) | objid::bigint) = " + LeaderLock.LOCK_KEY)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
