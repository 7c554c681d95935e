package dev.sluice.api;

import java.util.List;

/**
 * One page of a listing. {@code next} is the cursor to pass as {@code after} for the following
 * page; absent on the last page. Cursors are keys, not offsets, so a page never repeats or skips an
 * item when others are added or deleted meanwhile.
 */
public record Page<T>(List<T> items, String next) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** Validates a {@code limit} query parameter: 400 naming it when out of range. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ProblemException.invalidParameter(
                    "limit", "range", "must be between 1 and " + MAX_LIMIT + ", got " + requested);
        }
        return requested;
    }
}
