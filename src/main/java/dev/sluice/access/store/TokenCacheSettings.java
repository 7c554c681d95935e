package dev.sluice.access.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** How long verified tokens are trusted without the database ({@code sluice.token-cache.*}). */
@ConfigMapping(prefix = "sluice.token-cache")
public interface TokenCacheSettings {
    /**
     * {@code sluice.token-cache.outage-grace} ({@code SLUICE_TOKEN_CACHE_OUTAGE_GRACE}), default
     * {@code 10m}, 0 to 24 h: while the database cannot be reached, a token this replica verified
     * against it keeps working for up to this long after that verification (fail static covers
     * authentication too). {@code 0} turns it off: every token then answers 503 once its 5 s cache
     * entry is older than 5 s. A token never seen answers 503 during an outage either way, and a
     * revoked token still stops within 5 s whenever the database can be read.
     */
    @WithDefault("10m")
    @DurationMin(millis = 0)
    @DurationMax(hours = 24)
    Duration outageGrace();
}
