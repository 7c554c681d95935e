package dev.sluice.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One strategy against one case, end to end: a fresh tier (and, for Sluice, a fresh Sluice from
 * the packaged jar with its plan and a run), the clients ticking every 50 ms, health pushed every
 * second, one {@link Second} recorded every second, everything stopped after the case's horizon.
 */
final class StrategyRun {
    enum Strategy {
        REOPEN,
        STATIC,
        SLUICE,
        /** Sluice's permits, each ask stating the rate the service wants (as the client library does). */
        SLUICE_WANTS,
        SLUICE_LEASES;

        String label() {
            return name().toLowerCase().replace('_', '-');
        }

        boolean usesSluice() {
            return this != REOPEN && this != STATIC;
        }
    }

    /**
     * What Sluice did during the run, from its own timeline; {@code permitAsks} counts permit asks or,
     * with leases, lease refreshes.
     */
    record SluiceStory(String runId, List<Map<String, Object>> timeline, long permitAsks, long permitRefusals,
            long permitErrors, long healthReports, long healthReportFailures) {}

    record Result(Strategy strategy, List<Second> seconds, Map<String, ServiceClient.Counters> totals, SluiceStory sluice) {}

    static final long TICK_MILLIS = 50;

    private StrategyRun() {}

    /** @param permitClients client instances per service in the permit strategies */
    static Result run(BenchCase c, Strategy strategy, Path sluiceJar, Path workDir, int permitClients)
            throws IOException, InterruptedException {
        ExecutorService httpThreads = Executors.newFixedThreadPool(3, daemon("http"));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(httpThreads)
                .build();
        SluiceProcess sluice = null;
        ScheduledExecutorService loops = Executors.newScheduledThreadPool(3, daemon("loop"));
        try {
            SluiceApi api = null;
            if (strategy.usesSluice()) {
                sluice = SluiceProcess.start(sluiceJar, workDir, Duration.ofSeconds(120));
                api = new SluiceApi(http, sluice.base(), sluice.adminToken());
                api.createPlan(Cases.planJson(c, strategy == Strategy.SLUICE_LEASES));
            }
            try (TierEmulator tier = new TierEmulator(c.capacity(), c.thrashing(), c.staleRequests())) {
                URI tierBase = URI.create("http://127.0.0.1:" + tier.port());
                String runId = null;
                Admission admission;
                HealthReporter reporter = null;
                switch (strategy) {
                    case REOPEN -> admission = Admission.reopen();
                    case STATIC -> admission = new StaticBucketAdmission(c.planCapacityPerSecond(), 1000, c.seed());
                    default -> {
                        runId = api.startRun(Cases.PLAN, "e2e benchmark case " + c.id());
                        admission = strategy != Strategy.SLUICE_LEASES
                                ? new SluicePermitAdmission(api, runId, strategy == Strategy.SLUICE_WANTS, permitClients)
                                : new SluiceLeaseAdmission(api, runId, Cases.LEASE_SECONDS, Cases.SAFE_RATE_PER_SECOND);
                        reporter = new HealthReporter(http, tierBase.resolve("/metrics"), api, Cases.PLAN, Cases.TIER_SOURCE);
                    }
                }
                Map<String, ServiceClient> clients = new LinkedHashMap<>();
                long seed = c.seed();
                for (ServiceSpec s : c.services()) {
                    clients.put(s.name(), new ServiceClient(s, c.backlogOf(s), c.clients(), http,
                            tierBase.resolve("/work"), seed++));
                }
                for (ServiceClient sc : clients.values()) {
                    sc.wire(admission, sc.spec.dependsOn().stream().map(clients::get).toList());
                }
                List<Second> seconds = new ArrayList<>();
                Recorder recorder = new Recorder(tier, clients, api, runId);
                long start = System.nanoTime();
                loops.scheduleAtFixedRate(() -> {
                    long now = System.nanoTime();
                    for (ServiceClient sc : clients.values()) {
                        try {
                            sc.tick(now);
                        } catch (RuntimeException e) {
                            System.err.println("client tick failed: " + e);
                        }
                    }
                }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
                if (reporter != null) {
                    HealthReporter r = reporter;
                    loops.scheduleAtFixedRate(r::reportOnce, 0, 1000, TimeUnit.MILLISECONDS);
                }
                // The recorder runs on this thread, once a second, until the horizon: bounded by time.
                int horizon = (int) Math.ceil(c.horizonSeconds());
                for (int t = 1; t <= horizon; t++) {
                    long wakeAt = start + t * 1_000_000_000L;
                    long sleepNanos = wakeAt - System.nanoTime();
                    if (sleepNanos > 0) {
                        Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
                    }
                    seconds.add(recorder.record(t));
                    if (t % 10 == 0) {
                        Second s = seconds.get(seconds.size() - 1);
                        System.out.printf("  [%s/%s] t=%3ds C=%.0f Ceff=%.0f queue=%d arrivals=%d useful=%d backlog=%d %s%n",
                                c.id(), strategy.label(), t, s.capacityPerSecond(), s.effectiveCapacityPerSecond(),
                                s.queueDepth(), s.arrivals(), s.useful(), s.totalBacklogPending(),
                                s.sluiceStage() == null ? "" : "stage=" + s.sluiceStage() + " " + s.sluiceStatus());
                    }
                }
                loops.shutdownNow();
                loops.awaitTermination(5, TimeUnit.SECONDS);
                Map<String, ServiceClient.Counters> totals = new LinkedHashMap<>();
                clients.forEach((n, sc) -> totals.put(n, sc.totals()));
                SluiceStory story = null;
                if (api != null) {
                    long asks;
                    long refusals;
                    long errors;
                    if (admission instanceof SluicePermitAdmission p) {
                        asks = p.asks.get();
                        refusals = p.refusals.get();
                        errors = p.errors.get();
                    } else {
                        SluiceLeaseAdmission l = (SluiceLeaseAdmission) admission;
                        asks = l.refreshes.get();
                        refusals = 0;
                        errors = l.errors.get();
                    }
                    story = new SluiceStory(runId, api.timeline(runId), asks, refusals, errors, reporter.pushed.get(),
                            reporter.failures.get());
                }
                return new Result(strategy, seconds, totals, story);
            }
        } finally {
            loops.shutdownNow();
            if (sluice != null) {
                sluice.close();
            }
            httpThreads.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix);
            t.setDaemon(true);
            return t;
        };
    }

    /** Reads the tier's counters and the clients' once a second and turns their deltas into a {@link Second}. */
    private static final class Recorder {
        private final TierEmulator tier;
        private final Map<String, ServiceClient> clients;
        private final SluiceApi api;
        private final String runId;
        private long requests;
        private long ok;
        private long deadlineExceeded;
        private long served;
        private long wasted;

        Recorder(TierEmulator tier, Map<String, ServiceClient> clients, SluiceApi api, String runId) {
            this.tier = tier;
            this.clients = clients;
            this.api = api;
            this.runId = runId;
        }

        Second record(int t) {
            long rq = tier.requests.get();
            long o = tier.ok.get();
            long de = tier.deadlineExceeded.get();
            long sv = tier.served.get();
            long ws = tier.wasted.get();
            Map<String, ServiceClient.Counters> perService = new LinkedHashMap<>();
            Map<String, Integer> backlog = new LinkedHashMap<>();
            for (ServiceClient sc : clients.values()) {
                perService.put(sc.name(), sc.takeCounters());
                backlog.put(sc.name(), sc.backlogPending());
            }
            String stage = null;
            String status = null;
            Double allocated = null;
            Map<String, Second.SluiceService> sluiceServices = new LinkedHashMap<>();
            if (api != null) {
                try {
                    Map<String, Object> run = api.run(runId);
                    status = Json.string(run, "status");
                    allocated = Json.number(run, "allocatedPerSecond", Double.NaN);
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> services = (List<Map<String, Object>>) run.get("services");
                    for (Map<String, Object> svc : services == null ? List.<Map<String, Object>>of() : services) {
                        sluiceServices.put(
                                Json.string(svc, "name"),
                                new Second.SluiceService(
                                        Json.number(svc, "allocationPerSecond", Double.NaN),
                                        Json.number(svc, "wantedPerSecond", Double.NaN)));
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> st = (Map<String, Object>) run.get("stage");
                    stage = st == null ? null : Json.string(st, "name");
                } catch (IOException | RuntimeException e) {
                    status = "unreadable";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Second s = new Second(t, tier.capacityPerSecond(), tier.effectiveCapacityPerSecond(), tier.queueDepth(),
                    tier.takePeakQueueDepth(), rq - requests, o - ok, de - deadlineExceeded, sv - served, ws - wasted,
                    perService, backlog, stage, status, allocated, sluiceServices);
            requests = rq;
            ok = o;
            deadlineExceeded = de;
            served = sv;
            wasted = ws;
            return s;
        }
    }
}
