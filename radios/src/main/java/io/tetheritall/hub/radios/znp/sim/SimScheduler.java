package io.tetheritall.hub.radios.znp.sim;

import java.time.Duration;

/**
 * Where the simulator's delayed events run (data confirms, ZCL replies, reports, joins, broadcast
 * table ageing). Injectable so that tests drive it by hand: {@link RealTimeScheduler} for a
 * standalone simulator, {@link VirtualScheduler} for tests on a {@code ManualClock}.
 */
public interface SimScheduler extends AutoCloseable {

    /** A scheduled task that may be cancelled before it runs. */
    interface Task {
        /** Cancels the task if it has not run yet; idempotent. */
        void cancel();
    }

    /** Monotonic now, in nanoseconds, of the clock this scheduler runs on. */
    long nanos();

    /** Runs {@code r} once, {@code delay} from now (zero or negative: as soon as possible). */
    Task schedule(Duration delay, Runnable r);

    /** Stops running tasks; idempotent. */
    @Override
    void close();
}
