package dev.sluice.admission;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.admission.replica.RedisLink;
import dev.sluice.admission.replica.RedisPermitBucket;
import dev.sluice.testing.Redis;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The bucket contract on Redis (exact mode, {@code sluice.admission.exact-backend=redis}), at
 * {@code -Dsluice.test.redis-url} or {@code SLUICE_REDIS_URL} (default redis://127.0.0.1:6379; .ci/run
 * starts one). Skipped, with the reason, where no Redis answers there.
 */
class RedisPermitBucketIT extends PermitBucketContract {
    private RedisLink link;

    private static String problem;

    @BeforeAll
    static void askRedis() {
        problem = Redis.problem(Redis.url());
    }

    /** Per test, not per class: a class-level skip shows as "Tests run: 0", which reads as a pass. */
    @BeforeEach
    void redisAnswers() {
        assumeTrue(problem == null, () -> "no Redis at " + Redis.url() + " (" + problem + "); skipping");
    }

    @AfterEach
    void disconnect() {
        if (link != null) {
            link.close();
        }
    }

    @Override
    protected PermitBucket create(String name, RateLimit limit) {
        if (link == null) {
            link = new RedisLink(Redis.url(), clock);
        }
        return new RedisPermitBucket(link, "contract/" + name + "-" + UUID.randomUUID(), limit, () -> 1, clock);
    }
}
