package dev.sluice.admission.replica;

import dev.sluice.admission.PermitBucket;
import dev.sluice.admission.RateLimit;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A bucket kept in PostgreSQL (Bucket4j's proxy manager, table {@code bucket}), shared by every
 * replica: globally exact. Each operation is a database round trip under an advisory lock.
 */
public final class SharedPermitBucket implements PermitBucket {
    private final ProxyManager<Long> buckets;
    private final long key;
    private volatile RateLimit limit;
    private volatile BucketProxy proxy;

    public SharedPermitBucket(ProxyManager<Long> buckets, String name, RateLimit limit) {
        this.buckets = buckets;
        this.key = key(name);
        this.limit = limit;
        this.proxy = buckets.builder().build(key, limit::toConfiguration);
    }

    @Override
    public ConsumptionProbe tryConsume(long permits) {
        return proxy.tryConsumeAndReturnRemaining(permits);
    }

    @Override
    public synchronized void reconfigure(RateLimit next) {
        if (!next.equals(limit)) {
            proxy.replaceConfiguration(next.toConfiguration(), TokensInheritanceStrategy.AS_IS);
            limit = next;
            proxy = buckets.builder().build(key, next::toConfiguration);
        }
    }

    @Override
    public void empty() {
        proxy.tryConsumeAsMuchAsPossible();
        proxy.addTokens(1);
    }

    @Override
    public RateLimit limit() {
        return limit;
    }

    /** A stable 64-bit key for a bucket name (the first 8 bytes of its SHA-256). */
    static long key(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public long availableTokens() {
        return proxy.getAvailableTokens();
    }
}
