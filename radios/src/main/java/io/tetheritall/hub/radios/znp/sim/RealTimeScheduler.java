package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Wall-clock scheduler: one named thread ({@code znp-sim-N}) on a {@link ScheduledExecutorService}. */
public final class RealTimeScheduler implements SimScheduler {
    private final ScheduledExecutorService exec;
    private final HubClock clock;

    public RealTimeScheduler() {
        this("znp-sim", HubClock.system());
    }

    public RealTimeScheduler(String threadName, HubClock clock) {
        this.exec = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(threadName));
        this.clock = clock;
    }

    @Override
    public long nanos() {
        return clock.nanos();
    }

    @Override
    public Task schedule(Duration delay, Runnable r) {
        if (exec.isShutdown()) {
            return () -> { };
        }
        ScheduledFuture<?> f = exec.schedule(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                // A bug in one simulated event must not kill the scheduler thread.
                Logger.error(e, "simulator task failed");
            }
        }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}
