package dev.sluice.admission;

import dev.sluice.admission.replica.SharedPermitBucket;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
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
 * Exact-mode permits: buckets in PostgreSQL (embedded, or {@code -Dsluice.bench.jdbc-url}), one hot
 * service or many, two client threads, through an Agroal pool as in the application. Each permit is
 * a transaction under an advisory lock that reads and writes the bucket's row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SharedBucketBenchmark {
    @Param({"1", "100"})
    public int services;

    private EmbeddedPostgres postgres;
    private AgroalDataSource pool;
    private SharedPermitBucket[] buckets;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String url = System.getProperty("sluice.bench.jdbc-url");
        String user = System.getProperty("sluice.bench.jdbc-user", "postgres");
        if (url == null) {
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            url = postgres.getJdbcUrl("postgres", "postgres");
        }
        String jdbcUrl = url;
        // Pooled, as the application's datasource is.
        pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(cp -> cp.maxSize(4)
                        .connectionFactoryConfiguration(
                                cf -> cf.jdbcUrl(jdbcUrl).principal(new NamePrincipal(user)))));
        DataSource dataSource = pool;
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        ProxyManager<Long> manager = Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
                .clientClock(new ClockTimeMeter(Clock.systemUTC()))
                .build();
        buckets = new SharedPermitBucket[services];
        for (int i = 0; i < services; i++) {
            buckets[i] =
                    new SharedPermitBucket(manager, "bench-" + System.nanoTime() + "-" + i, RateLimit.of(1e6, 1.0));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pool.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Benchmark
    @Threads(2)
    public Object permit() {
        return buckets[ThreadLocalRandom.current().nextInt(services)].tryConsume(1);
    }
}
