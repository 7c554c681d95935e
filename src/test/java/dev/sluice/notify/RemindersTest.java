package dev.sluice.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RemindersTest {
    static final Instant PAUSED = Instant.parse("2026-01-01T00:00:00Z");
    final Reminders every30Minutes = new Reminders(Duration.ofMinutes(30));

    @Test
    void aPausedRunIsNotReannouncedBeforeThePeriodHasPassed() {
        assertThat(every30Minutes.due(PAUSED, PAUSED)).isFalse();
        assertThat(every30Minutes.due(PAUSED, PAUSED.plusSeconds(1))).isFalse();
        assertThat(every30Minutes.due(PAUSED, PAUSED.plus(Duration.ofMinutes(29).plusSeconds(59))))
                .isFalse();
    }

    @Test
    void aPausedRunIsReannouncedOncePerPeriodCountedFromItsLastAnnouncement() {
        assertThat(every30Minutes.due(PAUSED, PAUSED.plus(Duration.ofMinutes(30))))
                .isTrue();
        Instant reminded = PAUSED.plus(Duration.ofMinutes(31));
        assertThat(every30Minutes.due(reminded, reminded.plus(Duration.ofMinutes(10))))
                .isFalse();
        assertThat(every30Minutes.due(reminded, reminded.plus(Duration.ofMinutes(30))))
                .isTrue();
    }

    @Test
    void aZeroPeriodTurnsRemindersOff() {
        Reminders off = new Reminders(Duration.ZERO);
        assertThat(off.enabled()).isFalse();
        assertThat(off.due(PAUSED, PAUSED.plus(Duration.ofDays(3)))).isFalse();
    }
}
