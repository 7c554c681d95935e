package dev.sluice.audit.store;

import dev.sluice.audit.AuditFilter;
import dev.sluice.audit.AuditHash;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;

/**
 * The audit log at scale: loads N events (default 1,000,000) with a valid hash chain into
 * PostgreSQL, then times a filtered page query, a full-chain verify and a streamed NDJSON export
 * (with the heap's peak during it), through the application's own query, verify and export code.
 * Run with {@code bench/audit [events]}; {@code -Dsluice.bench.jdbc-url} for an external server.
 */
public final class AuditLogBenchmark {
    private static final String[] PLANS = {"kv-store-recovery", "edge-cache", "object-store", "queue-tier"};
    private static final String[] ACTIONS = {
        "gate-changed",
        "stage-advanced",
        "service-admitting",
        "service-restored",
        "run-paused",
        "run-resumed",
        "override-set",
        "stage-stepped-back"
    };

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String url = System.getProperty("sluice.bench.jdbc-url");
        EmbeddedPostgres embedded = null;
        if (url == null) {
            embedded = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start();
            url = embedded.getJdbcUrl("postgres", "postgres");
        }
        String jdbcUrl = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        try (AgroalDataSource pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(cp -> cp.maxSize(4)
                        .connectionFactoryConfiguration(cf -> cf.jdbcUrl(jdbcUrl)
                                .principal(new NamePrincipal(
                                        System.getProperty("sluice.bench.jdbc-user", "postgres"))))))) {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .cleanDisabled(false)
                    .load()
                    .migrate();
            long loadStart = System.nanoTime();
            load(pool, events);
            System.out.printf("loaded %,d events in %.1f s%n", events, seconds(loadStart));

            AuditReview review = new AuditReview();
            review.dataSource = pool;
            AuditFilter byPlanAndAction =
                    new AuditFilter("edge-cache", null, null, "stage-stepped-back", null, null, null, null, true);
            for (int i = 0; i < 20; i++) {
                review.page(byPlanAndAction, 50); // warm-up
            }
            long[] times = new long[50];
            for (int i = 0; i < times.length; i++) {
                long t = System.nanoTime();
                review.page(byPlanAndAction, 50);
                times[i] = System.nanoTime() - t;
            }
            java.util.Arrays.sort(times);
            System.out.printf(
                    "filtered page (plan + action, newest first, 50 rows): median %.1f ms, max %.1f ms%n",
                    times[times.length / 2] / 1e6, times[times.length - 1] / 1e6);
            AuditFilter rare = new AuditFilter(null, null, null, null, null, null, "INC-4711", null, true);
            review.page(rare, 50);
            long t = System.nanoTime();
            int found = review.page(rare, 50).items().size();
            System.out.printf(
                    "filtered page (text in reason, a rare term: %d events): %.1f ms%n",
                    found, (System.nanoTime() - t) / 1e6);
            // "step" (in stage-stepped-back) is in one event of eight: one in four of edge-cache's
            // events, and none of kv-store-recovery's (the generator never pairs them).
            for (String[] c : new String[][] {
                {null, "a term in 1 of 8 events"},
                {"edge-cache", "plan + a term in 1 of 4 of its events"},
                {"kv-store-recovery", "plan + a term frequent elsewhere but in none of its 250,000 events"}
            }) {
                AuditFilter common = new AuditFilter(c[0], null, null, null, null, null, "step", null, true);
                review.page(common, 50);
                t = System.nanoTime();
                int rows = review.page(common, 50).items().size();
                System.out.printf(
                        "filtered page (text in reason, %s): %d rows in %.1f ms%n",
                        c[1], rows, (System.nanoTime() - t) / 1e6);
            }

            AuditChain chain = new AuditChain();
            chain.dataSource = pool;
            long verifyStart = System.nanoTime();
            AuditChain.Verification v = chain.verify(null, null);
            double verifySeconds = seconds(verifyStart);
            System.out.printf(
                    "verify: %s, %,d events in %.1f s (%,.0f events/s)%n",
                    v.intact() ? "intact" : "BROKEN", v.checked(), verifySeconds, v.checked() / verifySeconds);

            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long exportStart = System.nanoTime();
            AtomicLong bytes = new AtomicLong();
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.addAndGet(len);
                }
            };
            var json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
            try (BufferedWriter w =
                    new BufferedWriter(new OutputStreamWriter(counting, StandardCharsets.UTF_8), 65536)) {
                review.stream(new AuditFilter(null, null, null, null, null, null, null, null, false), 0, e -> {
                    try {
                        w.write(json.writeValueAsString(e));
                        w.write('\n');
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                });
            }
            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed())
                    .sum();
            System.out.printf(
                    "export NDJSON: %,d events, %,d MB in %.1f s; peak heap during export %,d MB (max heap %,d MB)%n",
                    events,
                    bytes.get() / 1_000_000,
                    seconds(exportStart),
                    peakHeap / 1_000_000,
                    Runtime.getRuntime().maxMemory() / 1_000_000);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static void load(AgroalDataSource pool, int events) throws Exception {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            String previous = AuditHash.GENESIS;
            Instant at = Instant.parse("2026-11-01T00:00:00Z");
            try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_event (id, at, actor, action, run_id,"
                    + " plan_name, subject, from_state, to_state, reason, details, prev_hash, hash)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (long id = 1; id <= events; id++) {
                    Instant when = at.plusMillis(id * 250);
                    String plan = PLANS[(int) (id % PLANS.length)];
                    String action = ACTIONS[(int) (id * 7 % ACTIONS.length)];
                    String run = "run-" + (id / 5000);
                    String actor = id % 10 == 0 ? "alice" : "controller";
                    String reason = action + " at " + when + ": gate tier-errors (error ratio 0.0" + (id % 90)
                            + " over 30 s)" + (id % 100_000 == 0 ? "; see INC-4711" : "");
                    String hash = AuditHash.of(
                            previous, id, when, actor, action, run, plan, "stage", "half", "most", reason, null);
                    s.setLong(1, id);
                    s.setTimestamp(2, Timestamp.from(when));
                    s.setString(3, actor);
                    s.setString(4, action);
                    s.setString(5, run);
                    s.setString(6, plan);
                    s.setString(7, "stage");
                    s.setString(8, "half");
                    s.setString(9, "most");
                    s.setString(10, reason);
                    s.setString(11, null);
                    s.setString(12, previous);
                    s.setString(13, hash);
                    s.addBatch();
                    previous = hash;
                    if (id % 10_000 == 0) {
                        s.executeBatch();
                        c.commit();
                    }
                }
                s.executeBatch();
            }
            try (var s = c.createStatement()) {
                s.execute("SELECT setval('audit_event_id_seq', " + events + ")");
                // written around AuditLog.append, so the head it keeps is moved here
                s.execute("UPDATE audit_head SET last_id = " + events + ", head_hash = '" + previous + "', events = "
                        + events);
                s.execute("ANALYZE audit_event");
            }
            c.commit();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
