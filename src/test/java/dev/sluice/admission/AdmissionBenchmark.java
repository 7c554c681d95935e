package dev.sluice.admission;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One in-process admission decision on a local bucket ({@link ServiceAdmission#admit}): the work a
 * permit request does besides HTTP. The rate is high enough that every request is granted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdmissionBenchmark {
    private ServiceAdmission granted;
    private ServiceAdmission refused;

    @Setup
    public void setUp() {
        ClockTimeMeter time = new ClockTimeMeter(Clock.systemUTC());
        // Counted as the server counts them: one counter per outcome, found once. Each grant is also
        // taken from the run's spare budget, and a refusal first asks it for a loan, as in a run.
        SpareBudget grantedSpare = new SpareBudget(time);
        grantedSpare.reconfigure(RateLimit.of(RateLimit.MAX_RATE_PER_SECOND, 1.0));
        granted = new ServiceAdmission(
                "hot", limit -> new LocalPermitBucket(limit, time), r -> new LongAdder()::add, grantedSpare, () -> 0);
        granted.allocate(new ServiceLimit(false, List.of(), RateLimit.MAX_RATE_PER_SECOND, 1.0), Instant.EPOCH);
        SpareBudget refusedSpare = new SpareBudget(time);
        refusedSpare.reconfigure(RateLimit.of(0.001, 1000.0));
        refused = new ServiceAdmission(
                "cold", limit -> new LocalPermitBucket(limit, time), r -> new LongAdder()::add, refusedSpare, () -> 0);
        refused.allocate(new ServiceLimit(false, List.of(), 0.001, 1000.0), Instant.EPOCH);
        refused.admit(1);
    }

    @Benchmark
    @Threads(1)
    public Object grantOneThread() {
        return granted.admit(1);
    }

    @Benchmark
    @Threads(2)
    public Object grantTwoThreads() {
        return granted.admit(1);
    }

    @Benchmark
    @Threads(1)
    public Object refuseOneThread() {
        return refused.admit(1);
    }
}
