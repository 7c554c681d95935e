package dev.sluice.control.run;

import static org.awaitility.Awaitility.await;

import dev.sluice.runtime.BackgroundWork;
import dev.sluice.testing.ConfigMappings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlLoopTest {
    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        vertx.close();
    }

    @Test
    void wakesFourTimesASecondAtTheDefaultPeriodNotOnceASecond() {
        AtomicInteger wakes = new AtomicInteger();
        ControlLoop loop = new ControlLoop();
        loop.settings = settings(true, Duration.ofMillis(250));
        loop.work = BackgroundWork.on(vertx, pool);
        loop.leader = new LeaderLock() {
            @Override
            public synchronized boolean holdOrAcquire() {
                wakes.incrementAndGet(); // each wake asks for the lead first; a follower stops there
                return false;
            }
        };
        loop.start();
        try {
            await().atMost(ControlLoop.FIRST_WAKE.plusSeconds(2)).until(() -> wakes.get() >= 1);
            int first = wakes.get();
            // Four more wakes take a second at 250 ms; a once-a-second scheduler would need four.
            await().atMost(Duration.ofMillis(1900)).until(() -> wakes.get() >= first + 4);
        } finally {
            loop.stop();
        }
    }

    @Test
    void aReplicaTheOperatorsLeaseDoesNotChooseNeitherLocksNorTicks() {
        AtomicInteger asks = new AtomicInteger();
        LoopLeadership leaseHeldElsewhere = new LoopLeadership() {
            @Override
            public boolean decides() {
                return true;
            }

            @Override
            public boolean mayLead() {
                return false;
            }
        };
        ControlLoop loop = new ControlLoop() {
            @Override
            Iterable<LoopLeadership> outerLeaderships() {
                return java.util.List.of(leaseHeldElsewhere);
            }
        };
        loop.leader = new LeaderLock() {
            @Override
            public synchronized boolean holdOrAcquire() {
                asks.incrementAndGet();
                return true;
            }
        };
        loop.wake();
        loop.wake();
        org.assertj.core.api.Assertions.assertThat(asks).hasValue(0);
    }

    @Test
    void aDisabledLoopNeverWakes() {
        AtomicInteger wakes = new AtomicInteger();
        ControlLoop loop = new ControlLoop();
        loop.settings = settings(false, Duration.ofMillis(10));
        loop.work = BackgroundWork.on(vertx, pool);
        loop.leader = new LeaderLock() {
            @Override
            public synchronized boolean holdOrAcquire() {
                wakes.incrementAndGet();
                return false;
            }
        };
        loop.start();
        await().during(ControlLoop.FIRST_WAKE.plusMillis(200))
                .atMost(ControlLoop.FIRST_WAKE.plusSeconds(1))
                .until(() -> wakes.get() == 0);
    }

    private static ControllerSettings settings(boolean enabled, Duration period) {
        return ConfigMappings.load(
                ControllerSettings.class,
                Map.of(
                        "sluice.controller.loop-enabled",
                        Boolean.toString(enabled),
                        "sluice.controller.loop-period",
                        period.toMillis() + "ms"));
    }
}
