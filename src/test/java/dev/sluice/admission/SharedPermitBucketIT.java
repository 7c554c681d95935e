package dev.sluice.admission;

import dev.sluice.admission.replica.SharedPermitBucket;
import dev.sluice.testing.PostgresTestResource;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/** The bucket contract on PostgreSQL (exact mode), with the schema from the real migrations. */
class SharedPermitBucketIT extends PermitBucketContract {
    private static final PostgresTestResource DATABASE = new PostgresTestResource("sluice_bucket_it");
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startDatabase() {
        Map<String, String> config = DATABASE.start();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(config.get("quarkus.datasource.jdbc.url"));
        dataSource.setUser(config.get("quarkus.datasource.username"));
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .schemas(config.getOrDefault("quarkus.flyway.schemas", "public"))
                .load()
                .migrate();
    }

    @AfterAll
    static void stopDatabase() {
        DATABASE.stop();
    }

    @Override
    protected PermitBucket create(String name, RateLimit limit) {
        ProxyManager<Long> buckets = Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
                .clientClock(new ClockTimeMeter(clock))
                .build();
        return new SharedPermitBucket(buckets, name + "-" + UUID.randomUUID(), limit);
    }
}
