package dev.sluice.admission.replica;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.testing.MutableClock;
import dev.sluice.testing.Redis;
import dev.sluice.testing.RunPlans;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code sluice.admission.exact-backend=redis}, an exact-mode run's permits over real HTTP
 * come from a bucket in Redis. Skipped, with the reason, where no Redis answers.
 */
@QuarkusTest
@TestProfile(RedisExactModeIT.RedisBackend.class)
class RedisExactModeIT {
    @Inject
    MutableClock clock;

    public static class RedisBackend implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.admission.exact-backend", "redis", "sluice.admission.redis-url", Redis.url());
        }
    }

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

    @Test
    void anExactRunAdmitsItsRateThroughABucketInRedis() {
        String plan = RunPlans.pushPlan("redis-exact")
                .replace("\"policy\":", "\"admission\": {\"mode\": \"exact\"}, \"policy\":");
        given().contentType(ContentType.JSON)
                .body(plan)
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
        String run = given().contentType(ContentType.JSON)
                .body(Map.of("plan", "redis-exact", "reason", "redis backend test"))
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String permits = "/api/v1/runs/" + run + "/services/a/permits";
        given().contentType(ContentType.JSON).post(permits).then().statusCode(200); // the new bucket's one permit
        clock.advanceSeconds(1);
        given().contentType(ContentType.JSON)
                .body(Map.of("count", 100))
                .post(permits)
                .then()
                .statusCode(200)
                .body("remaining", equalTo(0));
        given().contentType(ContentType.JSON)
                .post(permits)
                .then()
                .statusCode(429)
                .body("reason", equalTo("over-rate"));

        RedisClient client = RedisClient.create(Redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().exists("sluice:bucket:" + run + "/a"))
                    .as("the bucket is in Redis")
                    .isEqualTo(1L);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
