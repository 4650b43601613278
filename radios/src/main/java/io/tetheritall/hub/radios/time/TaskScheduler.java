package io.tetheritall.hub.radios.time;

import java.time.Duration;

/**
 * One thread (real or virtual) that runs tasks now or at an instant of an injected clock.
 *
 * <p>Used by everything that must not park a thread to wait: a radio's traffic policy, its breaker
 * bookkeeping and recovery supervisor (their state needs no locks because every task runs here), and the
 * ZNP simulator's delayed events (data confirms, ZCL replies, reports, joins, broadcast table ageing).
 * Production uses {@link ExecutorTaskScheduler} (one named thread, system clock); tests and benches use
 * {@link VirtualScheduler}, whose timers fire only when the test advances its {@link ManualClock}.
 *
 * <p>Timers due at the same instant run in the order they were scheduled.
 */
public interface TaskScheduler extends AutoCloseable {

    /** The clock the timers run on. */
    HubClock clock();

    /** Monotonic now, in nanoseconds, of {@link #clock()}. */
    default long nanos() {
        return clock().nanos();
    }

    /** Runs {@code task} on the scheduler's thread as soon as possible, in submission order. */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the scheduler's thread once {@code delayNanos} have passed on {@link #clock()}
     * (zero or negative: at the next opportunity, after the tasks already due).
     *
     * @return a handle to cancel the timer; cancelling a timer that has run is harmless
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /** {@link #schedule(Runnable, long)} with a {@link Duration}, the delay first (reads better with a long lambda). */
    default Cancellable schedule(Duration delay, Runnable task) {
        return schedule(task, delay.toNanos());
    }

    /** Whether the calling thread is the scheduler's own thread (for assertions and fast paths). */
    boolean inSchedulerThread();

    /** Stops running tasks and drops the pending ones; idempotent. The default does nothing. */
    @Override
    default void close() {
    }

    /** A pending timer. */
    @FunctionalInterface
    interface Cancellable {
        Cancellable NONE = () -> { };

        /** Cancels the timer if it has not run yet; idempotent. */
        void cancel();
    }
}
