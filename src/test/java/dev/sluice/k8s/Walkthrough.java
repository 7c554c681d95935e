package dev.sluice.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps objects as the (mock) API server returned them, as {@code kubectl get -o yaml} would show
 * them, in target/operator-walkthrough: the README's walk-through quotes them.
 */
final class Walkthrough {
    private Walkthrough() {}

    static void save(String name, HasMetadata object) {
        try {
            Path dir = Path.of("target/operator-walkthrough");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".yaml"), Serialization.asYaml(object));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
