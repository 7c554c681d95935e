package dev.sluice.admission.replica;

import dev.sluice.admission.ClockTimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The connection of the Redis exact backend, and whether Redis answers. While it does not, buckets
 * answer locally ({@link RedisPermitBucket}) and Redis is tried again once per {@link #RETRY}: a
 * down server then costs requests nothing, where waiting on it would cost each one a timeout.
 * One warning when Redis stops answering, one line when it is back.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisLink.class);
    /** A permit decision waits no longer than this for Redis before answering locally. */
    static final Duration TIMEOUT = Duration.ofMillis(500);
    /** How long a down Redis is left alone before the next try. */
    public static final Duration RETRY = Duration.ofSeconds(1);
    /** An untouched bucket stays in Redis this long after it has refilled, then Redis drops it. */
    private static final Duration KEEP_FULL = Duration.ofMinutes(10);

    private final ClientResources resources;
    private final RedisClient client;
    private final String address;
    private final Clock clock;
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile Instant retryAt = Instant.MIN;
    private volatile ProxyManager<String> manager;
    private StatefulRedisConnection<String, byte[]> connection;

    /** Connects on first use, not here: a replica starts whether Redis answers or not. */
    public RedisLink(String url, Clock clock) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(TIMEOUT);
        this.address = uri.getHost() + ":" + uri.getPort(); // never the URL: it may carry a password
        this.clock = clock;
        // Reconnect at a steady pace rather than Lettuce's backoff up to 30 s, so the buckets return
        // to Redis within about a second of it answering again.
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.constant(Duration.ofMillis(500)))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                // Fail at once while disconnected instead of queueing until the timeout.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                .build());
    }

    /** Where Redis is, without credentials. */
    public String address() {
        return address;
    }

    /** Whether buckets answer locally now because Redis did not. */
    public boolean down() {
        return down.get();
    }

    /** The bucket store in Redis, or null while Redis is down and not yet due for another try. */
    ProxyManager<String> manager() {
        if (down.get() && clock.instant().isBefore(retryAt)) {
            return null;
        }
        ProxyManager<String> known = manager;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (down.get() && clock.instant().isBefore(retryAt)) {
                return null; // another thread tried while this one waited, and failed
            }
            if (manager == null) {
                try {
                    connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                    manager = Bucket4jLettuce.casBasedBuilder(connection)
                            .clientClock(new ClockTimeMeter(clock))
                            .requestTimeout(TIMEOUT)
                            .expirationAfterWrite(
                                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL))
                            .build();
                } catch (RuntimeException e) {
                    failed(e);
                    return null;
                }
            }
            return manager;
        }
    }

    /** Redis did not answer: buckets answer locally until a try after {@link #RETRY} succeeds. */
    void failed(RuntimeException cause) {
        retryAt = clock.instant().plus(RETRY);
        if (down.compareAndSet(false, true)) {
            LOG.warnf(
                    "Redis at %s does not answer (%s); exact-mode buckets answer locally at this replica's"
                            + " share of the last committed rates until it does",
                    address, cause.toString());
        }
    }

    /** Redis answered. */
    void succeeded() {
        if (down.get() && down.compareAndSet(true, false)) {
            LOG.infof("Redis at %s answers again; exact-mode buckets are shared in it again", address);
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, TIMEOUT);
        resources.shutdown(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
