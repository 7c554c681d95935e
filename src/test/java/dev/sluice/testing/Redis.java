package dev.sluice.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where the tests find Redis, and whether it answers. */
public final class Redis {
    private Redis() {}

    /** {@code -Dsluice.test.redis-url}, else {@code SLUICE_REDIS_URL}, else redis://127.0.0.1:6379. */
    public static String url() {
        String property = System.getProperty("sluice.test.redis-url");
        if (property != null) {
            return property;
        }
        String env = System.getenv("SLUICE_REDIS_URL");
        return env != null ? env : "redis://127.0.0.1:6379";
    }

    /** Null when a Redis at {@code url} answers PING; otherwise why not. */
    public static String problem(String url) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String pong = connection.sync().ping();
            return "PONG".equals(pong) ? null : "PING answered " + pong;
        } catch (RuntimeException e) {
            return e.toString();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** The redis-server binary on the PATH, if there is one. */
    public static Optional<Path> server() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
