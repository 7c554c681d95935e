package dev.sluice.console;

import java.time.Duration;

/** Durations as an operator reads them at a glance: "45 s", "3 m 05 s", "2 h 10 m". */
public final class Durations {
    private Durations() {}

    public static String of(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%d h %02d m", s / 3600, (s % 3600) / 60);
    }
}
