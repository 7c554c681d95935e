package dev.sluice.plan;

import java.util.Locale;
import java.util.Optional;

/** The notations a plan can be written in. */
public enum PlanFormat {
    JSON,
    YAML;

    /** The format of a request's media type ({@code application/json}, {@code application/yaml}, ...). */
    public static Optional<PlanFormat> ofMediaType(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        String type = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> Optional.of(JSON);
            case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml" -> Optional.of(YAML);
            default -> Optional.empty();
        };
    }
}
