package dev.sluice.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;
import java.time.Duration;
import java.util.Map;

/**
 * Reads a {@code @ConfigMapping} from given properties with Quarkus's duration syntax ({@code 250ms})
 * and bean validation, as Quarkus does at start-up, without starting Quarkus.
 */
public final class ConfigMappings {
    private ConfigMappings() {}

    /** @throws io.smallrye.config.ConfigValidationException naming every setting that breaks a rule */
    public static <T> T load(Class<T> mapping, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(mapping)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withValidator(new BeanValidationConfigValidatorImpl())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(mapping);
    }
}
