package dev.sluice.admission;

import dev.sluice.admission.replica.RedisLink;
import dev.sluice.admission.replica.RedisPermitBucket;
import dev.sluice.testing.Redis;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Exact-mode permits on Redis ({@code -Dsluice.test.redis-url}, default the local server), one hot
 * service or many, two client threads over one Lettuce connection, as in the application; the
 * counterpart of {@link SharedBucketBenchmark}. Each permit is a GET and a compare-and-swap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisBucketBenchmark {
    @Param({"1", "100"})
    public int services;

    private RedisLink link;
    private RedisPermitBucket[] buckets;

    @Setup(Level.Trial)
    public void setUp() {
        String problem = Redis.problem(Redis.url());
        if (problem != null) {
            throw new IllegalStateException("no Redis at " + Redis.url() + ": " + problem);
        }
        link = new RedisLink(Redis.url(), Clock.systemUTC());
        buckets = new RedisPermitBucket[services];
        for (int i = 0; i < services; i++) {
            buckets[i] = new RedisPermitBucket(
                    link, "bench-" + System.nanoTime() + "-" + i, RateLimit.of(1e6, 1.0), () -> 1, Clock.systemUTC());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        link.close();
    }

    @Benchmark
    @Threads(2)
    public Object permit() {
        return buckets[ThreadLocalRandom.current().nextInt(services)].tryConsume(1);
    }
}
