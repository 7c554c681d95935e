package dev.sluice.domain;

import java.util.Locale;

/**
 * How enum constants are spelt on the wire (plan documents, API answers, audit actions):
 * {@code STEP_BACK} is {@code step-back}.
 */
public final class WireNames {
    private WireNames() {}

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
