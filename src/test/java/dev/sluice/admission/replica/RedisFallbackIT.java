package dev.sluice.admission.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.admission.RateLimit;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.Redis;
import io.github.bucket4j.ConsumptionProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fail static on the Redis exact backend: while Redis does not answer, a bucket answers locally at
 * this replica's share of the last committed limit (never more, never an error), and goes back to
 * the shared bucket when Redis answers again. The limit is 100/s over two live replicas: 50/s here.
 */
class RedisFallbackIT {
    private static final RateLimit COMMITTED = RateLimit.of(100, 1.0);

    private final MutableClock clock = new MutableClock();
    private RedisLink link;
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (link != null) {
            link.close();
        }
        stopServer();
    }

    @Test
    void withNothingListeningPermitsAreAnsweredLocallyAtThisReplicasShareOfTheCommittedRate() throws IOException {
        link = new RedisLink("redis://127.0.0.1:" + closedPort(), clock);
        RedisPermitBucket bucket = new RedisPermitBucket(link, "closed/checkout", COMMITTED, () -> 2, clock);

        long admitted = drain(bucket);
        assertThat(admitted)
                .as("a new local bucket holds one permit, as a new shared one does")
                .isEqualTo(1);
        assertThat(link.down()).isTrue();
        assertThat(bucket.answersLocally()).isTrue();
        for (int second = 0; second < 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            admitted += drain(bucket);
        }
        assertThat(admitted).as("50/s for 10 s plus the first permit").isBetween(501L, 503L);
        ConsumptionProbe refused = bucket.tryConsume(1);
        assertThat(refused.isConsumed()).isFalse();
        assertThat(refused.getNanosToWaitForRefill()).isPositive();
    }

    @Test
    void aCutWhileRedisIsDownTakesEffectLocally() throws IOException {
        link = new RedisLink("redis://127.0.0.1:" + closedPort(), clock);
        RedisPermitBucket bucket = new RedisPermitBucket(link, "closed/cut", COMMITTED, () -> 2, clock);
        drain(bucket);
        bucket.reconfigure(RateLimit.of(20, 1.0));
        clock.advance(Duration.ofSeconds(5));
        assertThat(drain(bucket)).as("a burst of the new share, 10").isEqualTo(10);
    }

    @Test
    void aRedisThatStopsIsAnsweredForLocallyAndReturnedToWhenItAnswersAgain() throws Exception {
        Path binary = Redis.server().orElse(null);
        assumeTrue(binary != null, "redis-server is not installed (apt-get install redis-server); skipping");
        int port = closedPort();
        String url = "redis://127.0.0.1:" + port;
        startServer(binary, port, url);
        LogLines lines = LogLines.of(RedisLink.class);
        link = new RedisLink(url, clock);
        RedisPermitBucket bucket = new RedisPermitBucket(link, "restart/checkout", COMMITTED, () -> 2, clock);
        assertThat(drain(bucket)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(drain(bucket)).as("the whole shared rate, in Redis").isEqualTo(100);
        assertThat(bucket.answersLocally()).isFalse();

        stopServer();
        assertThat(bucket.tryConsume(1).isConsumed())
                .as("the first local answer: a new local bucket's one permit")
                .isTrue();
        assertThat(link.down()).isTrue();
        assertThat(bucket.answersLocally()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(drain(bucket)).as("this replica's share, 50/s").isEqualTo(50);

        startServer(binary, port, url);
        await().atMost(20, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    clock.advance(RedisLink.RETRY);
                    bucket.tryConsume(1);
                    return !link.down();
                });
        assertThat(bucket.answersLocally()).isFalse();
        drain(bucket);
        clock.advance(Duration.ofSeconds(1));
        assertThat(drain(bucket)).as("the whole shared rate again").isEqualTo(100);
        lines.close();
        assertThat(lines.at(Level.WARNING))
                .as("one warning, however many answers failed")
                .hasSize(1);
        assertThat(lines.at(Level.WARNING).get(0)).contains("127.0.0.1:" + port, "answer locally");
        assertThat(lines.at(Level.INFO)).as("one line when it is back").hasSize(1);
    }

    /** What a logger logs while it is watched. */
    private static final class LogLines extends Handler implements AutoCloseable {
        private final Logger logger;
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        private LogLines(Logger logger) {
            this.logger = logger;
        }

        static LogLines of(Class<?> source) {
            LogLines lines = new LogLines(Logger.getLogger(source.getName()));
            lines.logger.addHandler(lines);
            return lines;
        }

        List<String> at(Level level) {
            return records.stream()
                    .filter(r -> r.getLevel().intValue() == level.intValue())
                    .map(r -> String.valueOf(r.getMessage()))
                    .toList();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    private void startServer(Path binary, int port, String url) throws IOException {
        server = new ProcessBuilder(List.of(
                        binary.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        await().atMost(20, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Redis.problem(url) == null);
    }

    private void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
            server = null;
        }
    }

    /** A port nothing listens on: one the kernel just handed out and that was closed again. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long drain(RedisPermitBucket bucket) {
        ConsumptionProbe probe = bucket.tryConsume(1_000_000);
        long available = probe.getRemainingTokens();
        if (available <= 0) {
            return 0;
        }
        assertThat(bucket.tryConsume(available).isConsumed()).isTrue();
        return available;
    }
}
