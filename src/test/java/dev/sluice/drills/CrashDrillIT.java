package dev.sluice.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.client.Admission;
import dev.sluice.client.LeaseLimiter;
import dev.sluice.client.SluiceClient;
import dev.sluice.client.SluiceListener;
import dev.sluice.testing.PostgresTestResource;
import dev.sluice.testing.SluiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 1 of issue 14, crash mid-restoration: the packaged jar, a real client asking permits with
 * a client token, and health pushed green, is killed with SIGKILL at seeded random moments — during
 * ticks, right after a stage change, right after an operator action — and restarted on the same data
 * directory each time. After each restart the run is at its last committed stage and allocations,
 * the stage transitions form one chain (none lost, none twice), the audit chain verifies, the plan
 * and the client token are still there, and no one-second window of grants exceeded what the
 * committed allocation allows.
 *
 * <p>Beside the permit client, a lease client of the same service (the client library's {@link
 * LeaseLimiter}, as a dependent would run it) holds a lease across the kills: permits get what the
 * service's lease leaves, so a restart that forgot the lease would admit both. Its grants never
 * exceed the service's committed allocation, what the lease and the permits admit together stays
 * within the bound, and the restarted process's lease book holds the client's lease once or not at
 * all.
 *
 * <p>The suite runs 5 kills; the long form is the same code: {@code ./mvnw -B verify
 * -DskipUnitTests=true -Dit.test=CrashDrillIT -Dsluice.drill.kills=20 -Dsluice.drill.seed=14}.
 */
class CrashDrillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double BURST_SECONDS = 0.5;
    /**
     * Longer than a restart (14–23 s), so a lease granted before a kill is still in force, and the
     * client still enforcing it, when the restarted process starts admitting.
     */
    private static final int LEASE_SECONDS = 60;
    /** What the lease client wants of service a: half its demand, so permits and the lease share it. */
    private static final double LEASE_WANT = 25;

    // Service a's demand is above the budget of every stage the drill reaches (s4 holds for an
    // hour), so its allocation is the stage budget exactly and only a stage change moves it; b waits
    // on a.
    private static final String PLAN = """
            {"name": "crash-drill",
             "tier": {"name": "kv", "capacityPerSecond": 100,
                      "health": [{"name": "reports", "kind": "push", "staleAfterSeconds": 2}]},
             "services": [{"name": "a", "demandPerSecond": 50, "priority": "critical"},
                          {"name": "b", "demandPerSecond": 50, "dependsOn": ["a"]}],
             "stages": [{"name": "s1", "share": 0.1, "holdSeconds": 2, "burstSeconds": %1$s},
                        {"name": "s2", "share": 0.2, "holdSeconds": 2, "burstSeconds": %1$s},
                        {"name": "s3", "share": 0.3, "holdSeconds": 2, "burstSeconds": %1$s},
                        {"name": "s4", "share": 0.45, "holdSeconds": 3600, "burstSeconds": %1$s},
                        {"name": "full", "share": 1.0, "holdSeconds": 2, "burstSeconds": %1$s}],
             "gates": [{"name": "tier-errors", "kind": "tier-error-rate", "maxErrorRatio": 0.05,
                        "windowSeconds": 2, "greenSamples": 2, "redSamples": 2}],
             "policy": {"unknownHealthPauseSeconds": 600, "tickIntervalMillis": 200},
             "admission": {"leaseSeconds": %2$s}}
            """.formatted(BURST_SECONDS, LEASE_SECONDS);

    enum Moment {
        DURING_TICKS,
        AFTER_STAGE_CHANGE,
        AFTER_PAUSE,
        AFTER_RESUME,
        AFTER_PROMOTE,
        AFTER_STEP_BACK,
        /** A new version of the plan is being stored as the process dies. */
        DURING_PLAN_UPDATE
    }

    /** The plan version read before an update the kill interrupted, or -1 when none was sent. */
    private int versionBeforeUpdate = -1;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void killedMidRestorationResumesAtItsCommittedStateAndNeverAdmitsAboveIt(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(
                PostgresTestResource.externalUrl() == null,
                "runs on the embedded database in the data directory the restarts share");
        int kills = Integer.getInteger("sluice.drill.kills", 5);
        long seed = Long.getLong("sluice.drill.seed", 14L);
        Random random = new Random(seed);
        // One port for every restart: the lease client outlives the processes, as a dependent would.
        int port = SluiceProcess.freePort();
        Map<String, String> env =
                Map.of("SLUICE_DATA_DIR", dir.resolve("data").toString(), "QUARKUS_HTTP_PORT", Integer.toString(port));
        Path log = dir.resolve("sluice.log");
        List<String> findings = new ArrayList<>();

        SluiceProcess app = SluiceProcess.start(log, env);
        LeaseHolder lease = null;
        try {
            HttpResponse<String> stored = send(app, "POST", "/api/v1/plans", PLAN, null);
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
            HttpResponse<String> token = send(
                    app,
                    "POST",
                    "/api/v1/tokens",
                    "{\"name\":\"drill-client\",\"roles\":[\"client\"],\"scopes\":[\"crash-drill/a\"]}",
                    null);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
            String clientToken = JSON.readTree(token.body()).get("token").asText();
            HttpResponse<String> started =
                    send(app, "POST", "/api/v1/runs", "{\"plan\":\"crash-drill\",\"reason\":\"crash drill\"}", null);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            String runId = JSON.readTree(started.body()).get("id").asText();
            lease = new LeaseHolder(URI.create("http://localhost:" + port), clientToken, runId, seed);
            long startedAt = System.nanoTime();
            int leaseGrantsChecked = 0;

            for (int k = 0; k < kills; k++) {
                // Every kind of moment in turn (ticks, a stage change, an action, a plan update),
                // the action and the delays drawn from the seed.
                Moment moment = switch (k % 4) {
                    case 0 -> Moment.DURING_TICKS;
                    case 1 -> Moment.AFTER_STAGE_CHANGE;
                    case 2 -> Moment.values()[2 + random.nextInt(Moment.values().length - 3)];
                    default -> Moment.DURING_PLAN_UPDATE;
                };
                String at = "kill " + (k + 1) + "/" + kills + " (" + moment + ", seed " + seed + ")";
                Client client = new Client(app, runId, clientToken);
                long trafficFrom = System.nanoTime();
                Thread traffic = new Thread(client, "drill-client");
                traffic.start();
                waitMillis(2000 + random.nextInt(2000)); // traffic and ticks before the moment
                assertLeaseBookHoldsTheClientOnce(at + ", before the kill", app, runId, lease, startedAt);
                JsonNode before = recorded(bringAbout(app, runId, moment, random));
                int exit = app.kill();
                long killedAt = System.nanoTime();
                client.stop(traffic);
                assertThat(exit).as("SIGKILL").isEqualTo(137);
                String busiest = client.assertNoWindowAboveTheAllocation(
                        at, lease.admittedBetween(trafficFrom, killedAt), lease.grants());

                startedAt = System.nanoTime();
                app = SluiceProcess.start(log, env);
                JsonNode after = recorded(runOf(app, runId));
                String leaseAcross = assertTheClientKeptItsLease(at, lease, killedAt);
                assertLeaseBookHoldsTheClientOnce(at + ", after the restart", app, runId, lease, startedAt);
                leaseGrantsChecked = assertLeaseGrantsWithinTheServiceAllocation(at, lease, leaseGrantsChecked);
                assertResumedAtCommittedState(at, before, after, timeline(app, runId));
                assertStageTransitionsFormOneChain(at, timeline(app, runId));
                JsonNode verify = JSON.readTree(
                        send(app, "GET", "/api/v1/audit/verify", null, null).body());
                assertThat(verify.get("intact").asBoolean())
                        .as(at + ": audit chain " + verify)
                        .isTrue();
                assertThat(send(app, "GET", "/api/v1/plans/crash-drill", null, null)
                                .statusCode())
                        .as(at + ": plan kept")
                        .isEqualTo(200);
                if (moment == Moment.DURING_PLAN_UPDATE) {
                    assertPlanUpdateWholeOrNotAtAll(at, app);
                }
                Admission leaseInForce = lease.inForce();
                HttpResponse<String> permit = permit(app, runId, clientToken);
                assertThat(permit.statusCode()).as(at + ": client token kept").isIn(200, 429);
                assertPermitsLeaveWhatTheLeaseHolds(at, permit, leaseInForce, after, recorded(runOf(app, runId)));
                if (after.get("status").asText().equals("paused")) {
                    action(app, runId, "resume");
                }
                findings.add(at + ": stage " + after.at("/stage/name").asText() + ", "
                        + client.granted + " permits granted, "
                        + lease.admittedBetween(trafficFrom, killedAt).size()
                        + " admitted by the lease, busiest " + busiest + ", "
                        + Duration.ofNanos(System.nanoTime() - killedAt).toSeconds() + " s to restart; lease "
                        + leaseAcross);
            }
            assertLeaseGrantsWithinTheServiceAllocation("the end", lease, leaseGrantsChecked);
            findings.add(lease.grants().size() + " lease grants, rates " + lease.rates());
            System.out.println("crash drill, seed " + seed + ":\n  " + String.join("\n  ", findings));
            lease.close();
            app.stop();
        } finally {
            if (lease != null) {
                lease.close();
            }
            app.close();
        }
    }

    /** Drives the run to the moment chosen, and answers the run as it was committed just then. */
    private JsonNode bringAbout(SluiceProcess app, String runId, Moment moment, Random random) throws Exception {
        switch (moment) {
            case DURING_TICKS -> waitMillis(300 + random.nextInt(2500));
            case AFTER_STAGE_CHANGE -> {
                int stage = runOf(app, runId).at("/stage/index").asInt();
                try {
                    Awaitility.await("a stage change")
                            .atMost(Duration.ofSeconds(8))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> {
                                JsonNode r = runOf(app, runId);
                                return r.at("/stage/index").asInt() != stage
                                        || r.get("status").asText().equals("completed");
                            });
                } catch (org.awaitility.core.ConditionTimeoutException atTheLastStage) {
                    // the run sits at its last stage: the kill lands during its ticks instead
                }
                waitMillis(random.nextInt(150));
            }
            case AFTER_PAUSE -> action(app, runId, "pause");
            case AFTER_RESUME -> {
                if (runOf(app, runId).get("status").asText().equals("paused")) {
                    action(app, runId, "resume");
                } else {
                    action(app, runId, "pause");
                    action(app, runId, "resume");
                }
            }
            case AFTER_STEP_BACK -> {
                // keeps the ramp moving once it has reached its last stage
                HttpResponse<String> back = action(app, runId, "step-back");
                assertThat(back.statusCode()).as(back.body()).isLessThan(500);
            }
            case DURING_PLAN_UPDATE -> {
                JsonNode run = runOf(app, runId);
                versionBeforeUpdate = JSON.readTree(send(app, "GET", "/api/v1/plans/crash-drill", null, null)
                                .body())
                        .get("version")
                        .asInt();
                String next = PLAN.replaceFirst(
                        "\"name\": \"crash-drill\",",
                        "\"name\": \"crash-drill\", \"description\": \"version " + (versionBeforeUpdate + 1) + "\",");
                http.sendAsync(
                        app.request("/api/v1/plans/crash-drill")
                                .header("Content-Type", "application/json")
                                .header("If-Match", "\"" + versionBeforeUpdate + "\"")
                                .timeout(Duration.ofSeconds(10))
                                .PUT(HttpRequest.BodyPublishers.ofString(next))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                waitMillis(random.nextInt(60));
                return run;
            }
            case AFTER_PROMOTE -> {
                // s4 holds for an hour so the run stays short of its full stage (and completion)
                boolean atS4 = runOf(app, runId).at("/stage/name").asText().equals("s4");
                HttpResponse<String> promoted = action(app, runId, atS4 ? "step-back" : "promote");
                assertThat(promoted.statusCode()).as(promoted.body()).isLessThan(500);
            }
        }
        return runOf(app, runId);
    }

    /**
     * The update the kill interrupted was stored whole or not at all: the versions run 1..n without
     * a gap, n is the version before or the one after, and a new latest version is the document sent.
     */
    private void assertPlanUpdateWholeOrNotAtAll(String at, SluiceProcess app) throws Exception {
        JsonNode versions = JSON.readTree(send(app, "GET", "/api/v1/plans/crash-drill/versions", null, null)
                .body());
        List<Integer> numbers = new ArrayList<>();
        versions.forEach(v -> numbers.add(v.get("version").asInt()));
        numbers.sort(null);
        int latest = numbers.get(numbers.size() - 1);
        assertThat(numbers).as(at + ": plan versions").hasSize(latest).startsWith(1);
        assertThat(latest).as(at + ": latest plan version").isIn(versionBeforeUpdate, versionBeforeUpdate + 1);
        if (latest == versionBeforeUpdate + 1) {
            JsonNode stored = JSON.readTree(
                    send(app, "GET", "/api/v1/plans/crash-drill", null, null).body());
            assertThat(stored.at("/spec/description").asText())
                    .as(at + ": the new version's document")
                    .isEqualTo("version " + latest);
            assertThat(stored.at("/spec/services").size()).isEqualTo(2);
        }
        versionBeforeUpdate = -1;
    }

    /**
     * The run as read just before the kill, against the run after the restart: the same stage and
     * allocations, unless the old process committed a stage change in the moments between that read
     * and the kill — then the timeline shows it, and the run is at that next stage.
     */
    private static void assertResumedAtCommittedState(String at, JsonNode before, JsonNode after, JsonNode timeline) {
        long lastSeen = before.get("timeline").size() == 0
                ? 0
                : before.get("timeline").get(0).get("id").asLong();
        for (JsonNode e : before.get("timeline")) {
            lastSeen = Math.max(lastSeen, e.get("id").asLong());
        }
        boolean movedInTheGap = false;
        for (JsonNode e : timeline) {
            String action = e.get("action").asText();
            if (e.get("id").asLong() > lastSeen && isStageChange(action)) {
                movedInTheGap = true;
            }
        }
        assertThat(after.get("status").asText())
                .as(at + ": status")
                .isEqualTo(before.get("status").asText());
        if (movedInTheGap) {
            assertThat(after.at("/stage/index").asInt())
                    .as(at + ": one committed stage change between the last read and the kill")
                    .isEqualTo(before.at("/stage/index").asInt() + 1);
            return;
        }
        assertThat(after.at("/stage/name").asText())
                .as(at + ": stage")
                .isEqualTo(before.at("/stage/name").asText());
        // Below the last stage service a's demand is above the budget, so only a stage change moves
        // its allocation. At the last stage the budget is above a's demand and the allocation follows
        // what a's client asks for, tick by tick: a tick committed between the read and the kill may
        // have moved it, so there only the stage and the statuses must be as read.
        boolean wantDriven = after.at("/stage/name").asText().equals("full");
        assertThat(after.get("allocatedPerSecond").asDouble())
                .as(at + ": allocated")
                .isPositive();
        if (!wantDriven) {
            assertThat(after.get("allocatedPerSecond").asDouble())
                    .as(at + ": allocated")
                    .isEqualTo(before.get("allocatedPerSecond").asDouble());
        }
        for (int i = 0; i < before.get("services").size(); i++) {
            JsonNode b = before.get("services").get(i);
            JsonNode a = after.get("services").get(i);
            assertThat(a.get("name").asText()).isEqualTo(b.get("name").asText());
            assertThat(a.get("status").asText())
                    .as(at + ": status of " + b.get("name"))
                    .isEqualTo(b.get("status").asText());
            if (!wantDriven) {
                assertThat(a.get("allocationPerSecond").asDouble())
                        .as(at + ": allocation of " + b.get("name"))
                        .isEqualTo(b.get("allocationPerSecond").asDouble());
            }
        }
    }

    /**
     * Ids strictly increase, and each stage change starts where the previous one ended: a lost
     * transition leaves a gap, one recorded twice repeats its {@code from}; pauses and resumes
     * alternate.
     */
    private static void assertStageTransitionsFormOneChain(String at, JsonNode timeline) {
        long previousId = Long.MIN_VALUE;
        String stage = null;
        String lastPauseOrResume = "run-resumed";
        for (JsonNode e : timeline) {
            long id = e.get("id").asLong();
            assertThat(id).as(at + ": timeline ids increase").isGreaterThan(previousId);
            previousId = id;
            if (isStageChange(e.get("action").asText())) {
                if (stage != null) {
                    assertThat(e.get("from").asText())
                            .as(at + ": stage change " + e + " follows the previous one")
                            .isEqualTo(stage);
                }
                stage = e.get("to").asText();
            }
            String action = e.get("action").asText();
            if (action.equals("run-paused") || action.equals("run-resumed")) {
                assertThat(action)
                        .as(at + ": pause and resume alternate, at " + e)
                        .isNotEqualTo(lastPauseOrResume);
                lastPauseOrResume = action;
            }
        }
    }

    private static boolean isStageChange(String action) {
        return action.equals("stage-advanced") || action.equals("stage-stepped-back");
    }

    /** Asks permits for service a as fast as one client can, recording each grant and the allocation. */
    private final class Client implements Runnable {
        private final SluiceProcess app;
        private final String runId;
        private final String token;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<long[]> grants = new ArrayList<>(); // {sent, answered} in nanos
        private int granted;

        Client(SluiceProcess app, String runId, String token) {
            this.app = app;
            this.runId = runId;
            this.token = token;
        }

        @Override
        public void run() {
            long nextPoll = 0;
            while (running.get()) {
                try {
                    long now = System.nanoTime();
                    if (now >= nextPoll) {
                        send(
                                app,
                                "POST",
                                "/api/v1/plans/crash-drill/health-reports",
                                "{\"source\":\"reports\",\"errorRatio\":0}",
                                null);
                        recorded(runOf(app, runId));
                        nextPoll = System.nanoTime() + 200_000_000L;
                    }
                    long sent = System.nanoTime();
                    int status = permit(app, runId, token).statusCode();
                    long answered = System.nanoTime();
                    if (status == 200) {
                        synchronized (this) {
                            grants.add(new long[] {sent, answered});
                            granted++;
                        }
                    }
                } catch (Exception killed) {
                    if (!running.get() || !app.isAlive()) {
                        return;
                    }
                }
            }
        }

        void stop(Thread thread) throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofSeconds(30).toMillis());
        }

        /**
         * A grant happened between its request's sending and its answer. Grants answered within one
         * second happened within that second plus the longest of their latencies, so the bucket could
         * give at most rate × (1 s + latency) + what the buckets may hold (the service's burst and
         * the run's spare, twice the buckets' bursts); the rate is the run's highest total
         * allocation read near the window (a stage change raises it), since a service may borrow
         * what the others leave unused.
         *
         * <p>The lease client's admissions count with the permits (service a's permits get what its
         * lease leaves): together they stay within the run's allocation — or the lease's rate, when
         * an allocation cut has not reached the client yet (it learns it at its next refresh, as the
         * contract says) — plus the lease's burst. Windows of five seconds as well as one: a restart
         * that forgot the lease would admit both for seconds, an excess one second's bursts could hide.
         */
        synchronized String assertNoWindowAboveTheAllocation(
                String at, List<long[]> leaseAdmitted, List<LeaseGrant> leaseGrants) {
            List<long[]> all = new ArrayList<>(grants);
            all.addAll(leaseAdmitted);
            all.sort(java.util.Comparator.comparingLong(g -> g[1]));
            List<double[]> reads = allocationReads();
            StringBuilder busiest = new StringBuilder();
            for (long windowNanos : new long[] {1_000_000_000L, 5_000_000_000L}) {
                String worst = "none";
                double worstShare = -1;
                for (int i = 0; i < all.size(); i++) {
                    long from = all.get(i)[1];
                    long to = from + windowNanos;
                    long longestLatency = 0;
                    int count = 0;
                    for (int j = i; j < all.size() && all.get(j)[1] < to; j++) {
                        count++;
                        longestLatency = Math.max(longestLatency, all.get(j)[1] - all.get(j)[0]);
                    }
                    double rate = 0;
                    for (double[] a : reads) {
                        if (a[0] >= from - 3e9 && a[0] <= to + 3e9) {
                            rate = Math.max(rate, a[1]);
                        }
                    }
                    double leaseRate = 0;
                    long leaseBurst = 0;
                    for (LeaseGrant g : leaseGrants) {
                        if (g.at() <= to && g.until() > from) {
                            leaseRate = Math.max(leaseRate, g.ratePerSecond());
                            leaseBurst = Math.max(leaseBurst, g.burst());
                        }
                    }
                    double seconds = windowNanos / 1e9 + longestLatency / 1e9;
                    double allowed = Math.max(rate, leaseRate) * seconds
                            + Math.max(1, Math.floor(rate * BURST_SECONDS * 2))
                            + leaseBurst;
                    assertThat((double) count)
                            .as(
                                    "%s: grants (permits and the lease's) answered in the %d s from grant %d, at %.1f/s"
                                            + " (the lease at %.1f/s)",
                                    at, windowNanos / 1_000_000_000L, i, rate, leaseRate)
                            .isLessThanOrEqualTo(Math.floor(allowed));
                    if (count / Math.floor(allowed) > worstShare) {
                        worstShare = count / Math.floor(allowed);
                        worst = String.format(
                                java.util.Locale.ROOT,
                                "%d of %.0f allowed at %.0f/s",
                                count,
                                Math.floor(allowed),
                                Math.max(rate, leaseRate));
                    }
                }
                busiest.append(busiest.length() == 0 ? "second " : ", 5 s ").append(worst);
            }
            return busiest.toString();
        }
    }

    /** One lease the client was granted: when, its rate and burst, and until when it holds (nanos). */
    record LeaseGrant(long at, double ratePerSecond, long burst, long until) {}

    /**
     * The lease client: the client library's limiter for service a, kept across every kill and
     * restart (the port stays the same), and a dependent taking its admissions as they come.
     */
    private static final class LeaseHolder implements SluiceListener, AutoCloseable {
        private final List<LeaseGrant> grants = new ArrayList<>();
        private final List<long[]> admitted = new ArrayList<>(); // {nanos, nanos}: no latency, decided locally
        private final List<Long> unanswered = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final LeaseLimiter limiter;
        private final Thread user;
        private boolean closed;

        LeaseHolder(URI sluice, String token, String runId, long seed) {
            limiter = SluiceClient.forRun(sluice, token, runId, "a")
                    .clientId("drill-lease")
                    .wantPerSecond(LEASE_WANT)
                    .random(new Random(seed))
                    .listener(this)
                    .leases();
            user = new Thread(this::use, "drill-lease-user");
            user.start();
        }

        @Override
        public void onAdmission(Admission admission) {
            if (admission.kind() == Admission.Kind.LEASED) {
                long now = System.nanoTime();
                long until = now
                        + Duration.between(java.time.Instant.now(), admission.until())
                                .toNanos();
                synchronized (this) {
                    grants.add(new LeaseGrant(now, admission.ratePerSecond(), admission.burst(), until));
                }
            }
        }

        private void use() {
            while (running.get()) {
                try {
                    if (limiter.acquire(Duration.ofMillis(200))) {
                        long now = System.nanoTime();
                        synchronized (this) {
                            admitted.add(new long[] {now, now});
                        }
                    }
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        }

        @Override
        public void onUnreachable(Exception cause, Admission inForce) {
            synchronized (this) {
                unanswered.add(System.nanoTime());
            }
        }

        /** Requests to Sluice that failed (unreachable, timed out, 5xx) since then. */
        synchronized long unansweredSince(long nanos) {
            return unanswered.stream().filter(t -> t >= nanos).count();
        }

        Admission inForce() {
            return limiter.admission();
        }

        synchronized List<LeaseGrant> grants() {
            return new ArrayList<>(grants);
        }

        synchronized List<LeaseGrant> grantsSince(long nanos) {
            return grants.stream().filter(g -> g.at() >= nanos).toList();
        }

        synchronized List<long[]> admittedBetween(long from, long to) {
            return admitted.stream().filter(a -> a[1] >= from && a[1] < to).toList();
        }

        synchronized String rates() {
            return grants.stream()
                    .map(g -> String.format(java.util.Locale.ROOT, "%.0f", g.ratePerSecond()))
                    .collect(java.util.stream.Collectors.joining(" "));
        }

        @Override
        public void close() throws InterruptedException {
            if (closed) {
                return;
            }
            closed = true;
            running.set(false);
            user.interrupt();
            user.join(Duration.ofSeconds(10).toMillis());
            limiter.close(); // gives the lease back
        }
    }

    /** {run nanos, the run's total allocation, service a's allocation} for every read of the run. */
    private final List<double[]> allocationReads = new ArrayList<>();

    /** Notes the allocations of a run just read, and answers it. */
    private JsonNode recorded(JsonNode run) {
        double total = 0;
        double a = 0;
        for (JsonNode service : run.get("services")) {
            total += service.get("allocationPerSecond").asDouble();
            if (service.get("name").asText().equals("a")) {
                a = service.get("allocationPerSecond").asDouble();
            }
        }
        synchronized (allocationReads) {
            allocationReads.add(new double[] {System.nanoTime(), total, a});
        }
        return run;
    }

    private List<double[]> allocationReads() {
        synchronized (allocationReads) {
            return new ArrayList<>(allocationReads);
        }
    }

    /**
     * Every lease granted since the last check gives at most service a's committed allocation: the
     * highest read within 3 s of the grant, or the reads just before and after it (leases are not
     * lent, so a's own allocation is the bound, not the run's). The first grant after each restart
     * is among them: the rate does not jump across a kill.
     *
     * @return how many grants are checked now
     */
    private int assertLeaseGrantsWithinTheServiceAllocation(String at, LeaseHolder lease, int checked) {
        List<LeaseGrant> grants = lease.grants();
        List<double[]> reads = allocationReads();
        for (int i = checked; i < grants.size(); i++) {
            LeaseGrant g = grants.get(i);
            double committed = 0;
            double[] lastBefore = null;
            double[] firstAfter = null;
            for (double[] r : reads) {
                if (r[0] >= g.at() - 3e9 && r[0] <= g.at() + 3e9) {
                    committed = Math.max(committed, r[2]);
                }
                if (r[0] <= g.at()) {
                    lastBefore = r;
                } else if (firstAfter == null) {
                    firstAfter = r;
                }
            }
            committed = Math.max(committed, lastBefore == null ? 0 : lastBefore[2]);
            committed = Math.max(committed, firstAfter == null ? 0 : firstAfter[2]);
            assertThat(g.ratePerSecond())
                    .as("%s: lease grant %d (of %s) within service a's committed allocation", at, i + 1, lease.rates())
                    .isLessThanOrEqualTo(committed + 1e-9);
        }
        return grants.size();
    }

    /**
     * Leases live in the process's memory only (the {@code LeaseBook} of each service): a restart
     * forgets them, and the client's next refresh puts its lease back. So the process holds the
     * client's lease exactly once, at the rate it was told, once it has granted it one, and none
     * before: never two for one client, never a lease the client was not told of.
     */
    private void assertLeaseBookHoldsTheClientOnce(
            String at, SluiceProcess app, String runId, LeaseHolder lease, long processStartedAt) {
        String[] seen = {""};
        try {
            Awaitility.await(at + ": the lease book holds the client's lease once, or before any grant none")
                    .atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        JsonNode stats = JSON.readTree(
                                send(app, "GET", "/api/v1/runs/" + runId + "/services/a/admission", null, null)
                                        .body());
                        List<LeaseGrant> fromThisProcess = lease.grantsSince(processStartedAt);
                        int live = stats.get("liveLeases").asInt();
                        seen[0] = stats + " after " + fromThisProcess.size() + " grants by this process";
                        assertThat(live).as(at + ": leases of one client").isLessThanOrEqualTo(1);
                        if (fromThisProcess.isEmpty()) {
                            // A refresh this process answered after the client had given up on it
                            // (its request timed out: a process just started on a loaded machine is
                            // slow) leaves a lease the client was not told of: at most one.
                            return live == 0 || lease.unansweredSince(processStartedAt) > 0;
                        }
                        LeaseGrant told = fromThisProcess.get(fromThisProcess.size() - 1);
                        return live == 1
                                && (Math.abs(stats.get("leasedPerSecond").asDouble() - told.ratePerSecond()) < 1e-6
                                        || lease.unansweredSince(told.at()) > 0);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(at + ": the lease book does not hold the client's lease once: " + seen[0], e);
        }
    }

    /**
     * What the restarted process gives service a's permits, with what the client's lease still lets
     * it admit, is within a's committed allocation: the permits get what the lease leaves, whether
     * the process has heard of the lease again or not (the client keeps one the old process granted
     * until it ends).
     */
    private static void assertPermitsLeaveWhatTheLeaseHolds(
            String at, HttpResponse<String> permit, Admission leaseInForce, JsonNode... runs) throws Exception {
        double permitRate = JSON.readTree(permit.body()).get("ratePerSecond").asDouble();
        double leaseRate = leaseInForce.kind() == Admission.Kind.LEASED ? leaseInForce.ratePerSecond() : 0;
        double committed = 0;
        for (JsonNode run : runs) {
            for (JsonNode service : run.get("services")) {
                if (service.get("name").asText().equals("a")) {
                    committed = Math.max(
                            committed, service.get("allocationPerSecond").asDouble());
                }
            }
        }
        assertThat(permitRate + leaseRate)
                .as(
                        "%s: a's permit rate %.1f/s and the lease the client enforces (%s) within a's allocation %.1f/s",
                        at, permitRate, leaseInForce, committed)
                .isLessThanOrEqualTo(committed + 1e-6);
    }

    /**
     * While Sluice was down the client kept its last lease until its end, as the contract says; answers
     * what became of the lease across the kill.
     */
    private static String assertTheClientKeptItsLease(String at, LeaseHolder lease, long killedAt) {
        List<LeaseGrant> before =
                lease.grants().stream().filter(g -> g.at() < killedAt).toList();
        if (before.isEmpty()) {
            return "none before the kill";
        }
        LeaseGrant last = before.get(before.size() - 1);
        if (!lease.grantsSince(killedAt).isEmpty()) {
            return "refreshed as the process came back";
        }
        Admission inForce = lease.inForce();
        long now = System.nanoTime();
        if (now < last.until() - 200_000_000L) {
            assertThat(inForce.kind())
                    .as(at + ": the client keeps its lease until it ends")
                    .isEqualTo(Admission.Kind.LEASED);
            assertThat(inForce.ratePerSecond()).as(at + ": the lease kept").isEqualTo(last.ratePerSecond());
            return String.format(
                    java.util.Locale.ROOT,
                    "kept (%.0f/s, %d s left)",
                    last.ratePerSecond(),
                    (last.until() - now) / 1_000_000_000L);
        }
        if (now > last.until() + 200_000_000L) {
            assertThat(inForce.kind())
                    .as(at + ": an expired lease falls back to the safe rate")
                    .isEqualTo(Admission.Kind.FALLBACK);
            return "expired during the restart (safe rate)";
        }
        return "ending as the process came back";
    }

    private HttpResponse<String> permit(SluiceProcess app, String runId, String token) throws Exception {
        return send(
                app,
                "POST",
                "/api/v1/runs/" + runId + "/services/a/permits",
                "{\"count\":1,\"clientId\":\"drill\"}",
                token);
    }

    private HttpResponse<String> action(SluiceProcess app, String runId, String action) throws Exception {
        return send(app, "POST", "/api/v1/runs/" + runId + "/" + action, "{\"reason\":\"crash drill\"}", null);
    }

    private JsonNode runOf(SluiceProcess app, String runId) throws Exception {
        return JSON.readTree(
                send(app, "GET", "/api/v1/runs/" + runId, null, null).body());
    }

    /** The whole timeline, oldest first, read a page at a time. */
    private JsonNode timeline(SluiceProcess app, String runId) throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode all = JSON.createArrayNode();
        long after = 0;
        while (true) {
            JsonNode page = JSON.readTree(
                    send(app, "GET", "/api/v1/runs/" + runId + "/timeline?limit=100&after=" + after, null, null)
                            .body());
            if (page.size() == 0) {
                return all;
            }
            page.forEach(all::add);
            after = page.get(page.size() - 1).get("id").asLong();
        }
    }

    private HttpResponse<String> send(SluiceProcess app, String method, String path, String json, String token)
            throws Exception {
        HttpRequest.Builder request = token == null
                ? app.request(path)
                : HttpRequest.newBuilder(app.uri(path)).header("Authorization", "Bearer " + token);
        request.timeout(Duration.ofSeconds(10));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A pause of the test's own driver (the application runs on its real clock, in another process). */
    private static void waitMillis(long millis) {
        try {
            Awaitility.await()
                    .pollDelay(Duration.ofMillis(millis))
                    .atMost(Duration.ofMillis(millis + 1000))
                    .until(() -> true);
        } catch (org.awaitility.core.ConditionTimeoutException ignored) {
            // the delay has passed
        }
    }
}
