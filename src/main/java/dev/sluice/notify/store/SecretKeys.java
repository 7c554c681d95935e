package dev.sluice.notify.store;

import dev.sluice.notify.SecretBox;
import dev.sluice.runtime.DataDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key signing secrets are sealed with: {@code sluice.notify.secret-key}, or else a key
 * generated once into {@code <SLUICE_DATA_DIR>/notify-key}, readable by the owner only. Never in
 * the database, never logged.
 */
@ApplicationScoped
class SecretKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Produces
    @Singleton
    SecretBox box(NotifySettings settings, DataDirectory dataDir) {
        return new SecretBox(key(settings, dataDir), RANDOM);
    }

    static byte[] key(NotifySettings settings, DataDirectory dataDir) {
        if (settings.secretKey().isPresent()) {
            return decode(settings.secretKey().get(), "sluice.notify.secret-key");
        }
        Path file = Path.of(dataDir.path()).toAbsolutePath().resolve("notify-key");
        try {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
                return key;
            } catch (FileAlreadyExistsException e) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the notification secret key in " + file, e);
        }
    }

    private static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException(where + " must hold 32 bytes (base64: 44 characters)");
        }
        return key;
    }
}
