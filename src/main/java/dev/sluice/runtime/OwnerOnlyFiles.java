package dev.sluice.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Secrets Sluice keeps in its data directory (the first admin token, the embedded database's
 * password): files readable and writable by the owning OS user only (POSIX {@code 0600}), created
 * so from the start, never widened afterwards.
 */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {}

    /** Replaces {@code file} with one holding {@code content} and a line break, mode {@code 0600}. */
    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
