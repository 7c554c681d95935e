package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOwnerInTheSameProcessIsRefusedNamingThePid() {
        try (DataDirectoryLock first = DataDirectoryLock.acquire(dir)) {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
                    .isInstanceOf(DataDirectoryLock.InUse.class)
                    .hasMessageContaining("in use by another Sluice (pid "
                            + ProcessHandle.current().pid())
                    .hasMessageContaining(dir.toString());
        }
    }

    @Test
    void aDirectoryIsFreeAgainOnceItsOwnerLetsGo() {
        DataDirectoryLock.acquire(dir).close();
        try (DataDirectoryLock again = DataDirectoryLock.acquire(dir)) {
            assertThat(dir.resolve(DataDirectoryLock.FILE))
                    .content()
                    .contains("pid " + ProcessHandle.current().pid());
        }
    }

    /** Two JVMs: the lock holds across processes, and a killed owner (SIGKILL) leaves it free. */
    @Test
    void anotherLiveProcessKeepsTheDirectoryUntilItIsKilled() throws Exception {
        Process owner = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
                    .isInstanceOf(DataDirectoryLock.InUse.class)
                    .hasMessageContaining("pid " + owner.pid());

            owner.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
            try (DataDirectoryLock taken = DataDirectoryLock.acquire(dir)) {
                assertThat(dir.resolve(DataDirectoryLock.FILE))
                        .content()
                        .contains("pid " + ProcessHandle.current().pid());
            }
        } finally {
            owner.destroyForcibly();
        }
    }

    /** The other process: takes the lock, says so, and holds it until killed or its stdin closes. */
    public static final class LockHolder {
        public static void main(String[] args) throws IOException {
            DataDirectoryLock lock = DataDirectoryLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock
            }
            lock.close();
        }
    }
}
