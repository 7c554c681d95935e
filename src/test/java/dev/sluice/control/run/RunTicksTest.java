package dev.sluice.control.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunTicksTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aSlowRunDelaysNoOtherAndIsNotTickedTwiceAtOnce() throws Exception {
        CountDownLatch slowRelease = new CountDownLatch(1);
        Map<String, AtomicInteger> ticked = new ConcurrentHashMap<>();
        RunTicks ticks = new RunTicks(pool, runId -> {
            ticked.computeIfAbsent(runId, k -> new AtomicInteger()).incrementAndGet();
            if (runId.equals("slow")) {
                try {
                    slowRelease.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        assertThat(ticks.dispatch(List.of("slow", "fast"))).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> !ticks.ticking("fast"));
        for (int loop = 0; loop < 3; loop++) { // the loop comes round while "slow" is still reading health
            ticks.dispatch(List.of("slow", "fast"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !ticks.ticking("fast"));
        }
        assertThat(ticked.get("fast")).hasValue(4);
        assertThat(ticked.get("slow")).hasValue(1);
        assertThat(ticks.ticking("slow")).isTrue();

        slowRelease.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> !ticks.ticking("slow"));
        assertThat(ticks.dispatch(List.of("slow"))).isEqualTo(1);
    }

    @Test
    void aTickThatThrowsFreesItsRunForTheNextLoop() {
        AtomicInteger attempts = new AtomicInteger();
        RunTicks ticks = new RunTicks(Runnable::run, runId -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("database gone");
        });
        for (int loop = 0; loop < 2; loop++) {
            try {
                ticks.dispatch(List.of("r"));
            } catch (IllegalStateException expected) {
                // the loop's own tick function reports failures; this one lets them through
            }
        }
        assertThat(attempts).hasValue(2);
        assertThat(ticks.ticking("r")).isFalse();
    }
}
