package dev.sluice.plan;

import java.util.Locale;

/** How enum constants are spelt in plan documents: {@code STEP_BACK} is {@code step-back}. */
final class WireNames {
    private WireNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
