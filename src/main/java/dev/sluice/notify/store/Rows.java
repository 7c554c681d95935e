package dev.sluice.notify.store;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Column values of native queries, as Java types. */
final class Rows {
    private Rows() {}

    static Instant instant(Object column) {
        if (column == null) {
            return null;
        }
        if (column instanceof Instant i) {
            return i;
        }
        if (column instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (column instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + column.getClass());
    }

    static Integer integer(Object column) {
        return column == null ? null : ((Number) column).intValue();
    }

    static long number(Object column) {
        return ((Number) column).longValue();
    }
}
