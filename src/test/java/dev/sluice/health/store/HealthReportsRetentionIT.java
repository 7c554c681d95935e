package dev.sluice.health.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthReportsRetentionIT {
    @Inject
    HealthReports reports;

    @Inject
    MutableClock clock;

    @Test
    void reportsOlderThanTheRetentionAreDeletedAndRecentOnesKept() {
        reports.record("retention-plan", "tier/old", 0.0, null);
        clock.advance(HealthReports.RETENTION.plus(Duration.ofMinutes(1)));
        reports.record("retention-plan", "tier/new", 0.0, null);
        assertThat(reports.deleteOlderThanRetention()).isGreaterThanOrEqualTo(1);
        assertThat(reports.sample("retention-plan", "tier/old", Duration.ofDays(1), clock.instant())
                        .readable())
                .isFalse();
        assertThat(reports.sample("retention-plan", "tier/new", Duration.ofDays(1), clock.instant())
                        .readable())
                .isTrue();
    }

    /** A stored report read back later (after a restart, after an outage) is as old as it is. */
    @Test
    void aReportReadBackLaterIsASampleAtTheTimeItArrivedNotAtTheTimeItWasRead() {
        java.time.Instant arrived = reports.record("sample-time-plan", "tier/reports", 0.0, null);
        clock.advanceSeconds(16);
        dev.sluice.health.HealthSample sample =
                reports.sample("sample-time-plan", "tier/reports", Duration.ofSeconds(30), clock.instant());
        assertThat(sample.readable()).isTrue();
        assertThat(sample.at()).isEqualTo(arrived);
    }
}
