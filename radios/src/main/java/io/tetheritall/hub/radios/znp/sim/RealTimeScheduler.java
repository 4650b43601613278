package io.tetheritall.hub.radios.znp.sim;

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

    public RealTimeScheduler() {
        this("znp-sim");
    }

    public RealTimeScheduler(String threadName) {
        exec = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(threadName));
    }

    @Override
    public long nanos() {
        return System.nanoTime();
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
