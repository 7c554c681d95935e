package dev.sluice.admission.replica;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** How a replica keeps its admission in step with the others ({@code sluice.admission.*}). */
@ConfigMapping(prefix = "sluice.admission")
interface AdmissionSettings {
    /**
     * {@code sluice.admission.refresh-enabled}, default {@code true}: whether this replica re-reads
     * committed allocations and reports its clients' wants periodically (the test profile turns it
     * off and does both itself).
     */
    @WithDefault("true")
    boolean refreshEnabled();

    /**
     * {@code sluice.admission.refresh-period}, default {@code 250ms}, 10 ms to 10 s: how often a
     * replica re-reads the allocations the leader committed.
     */
    @WithDefault("250ms")
    @DurationMin(millis = 10)
    @DurationMax(seconds = 10)
    Duration refreshPeriod();

    /**
     * {@code sluice.admission.heartbeat-period}, default {@code 2s}, 100 ms to 5 s: how often a
     * replica announces itself and reports its clients' wants. At most half of the 10 s after which a
     * silent replica counts as gone, so a live one never drops out between two beats.
     */
    @WithDefault("2s")
    @DurationMin(millis = 100)
    @DurationMax(seconds = 5)
    Duration heartbeatPeriod();

    /**
     * {@code sluice.admission.want-report-period}, default {@code 500ms}, 50 ms to 5 s: how often a
     * replica reports what its clients want, so a stated want reaches the leader before its next
     * tick.
     */
    @WithDefault("500ms")
    @DurationMin(millis = 50)
    @DurationMax(seconds = 5)
    Duration wantReportPeriod();

    /**
     * {@code sluice.admission.exact-backend} ({@code SLUICE_ADMISSION_EXACT_BACKEND}), default
     * {@code postgresql}: where exact-mode plans keep their shared buckets. Per deployment, not per
     * plan: whether a Redis server is there is a fact of the installation, and a plan must validate
     * and run the same on one that has none.
     */
    @WithDefault("postgresql")
    ExactBackend exactBackend();

    /**
     * {@code sluice.admission.redis-url} ({@code SLUICE_REDIS_URL}), default
     * {@code redis://127.0.0.1:6379}: the Redis server of the {@code redis} exact backend. May carry
     * a password, so it is never logged.
     */
    @WithDefault("redis://127.0.0.1:6379")
    String redisUrl();

    enum ExactBackend {
        POSTGRESQL,
        REDIS
    }
}
