package dev.sluice.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Lease refreshes of one service held by many clients, in process (no HTTP). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LeaseRefreshBenchmark {
    private static final Duration TTL = Duration.ofSeconds(10);

    @Param({"1000", "25000"})
    public int clients;

    private LeaseBook book;
    private String[] ids;

    @Setup
    public void setUp() {
        book = new LeaseBook();
        ids = new String[clients];
        Instant now = Instant.now();
        for (int i = 0; i < clients; i++) {
            ids[i] = "client-" + i;
            book.grant(ids[i], 1 + i % 50, clients * 10.0, 1.0, TTL, now);
        }
    }

    @Benchmark
    public Object refresh() {
        int i = ThreadLocalRandom.current().nextInt(clients);
        return book.grant(ids[i], 1 + i % 50, clients * 10.0, 1.0, TTL, Instant.now());
    }
}
