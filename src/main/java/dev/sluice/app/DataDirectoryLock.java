package dev.sluice.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Ownership of a data directory: an exclusive lock on {@code <data-dir>/sluice.lock}, held for the
 * owner's whole lifetime, with the owner's pid written in the file for whoever is refused. The
 * operating system releases the lock when the owning process dies however it dies (also {@code
 * kill -9}), so a directory left by a killed Sluice is free again, while one in use by a live
 * Sluice is never touched by a second. Taken before anything else in the directory is looked at.
 */
final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = "sluice.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another live process owns the data directory. */
    static final class InUse extends IllegalStateException {
        InUse(String message) {
            super(message);
        }
    }

    /**
     * Takes the directory, creating it if needed.
     *
     * @throws InUse naming the owner when another process (or this one) holds it
     */
    static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisProcess) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new InUse("data directory " + dataDir + " is in use by another Sluice ("
                        + (owner.isEmpty() ? "pid not yet written" : owner)
                        + "); stop that one first, or give this one another SLUICE_DATA_DIR");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n")
                            .getBytes(StandardCharsets.UTF_8)),
                    0);
            channel.force(true);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock the data directory " + dataDir + " (" + file + ")", e);
        }
    }

    /** Lets the directory go; only once everything that used it (the database) has stopped. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
