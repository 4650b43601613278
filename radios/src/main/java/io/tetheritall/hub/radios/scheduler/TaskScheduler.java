package io.tetheritall.hub.radios.scheduler;

import io.tetheritall.hub.radios.time.HubClock;

/**
 * The one thread (real or virtual) a radio's traffic policy runs on, with timers on the injected clock.
 *
 * <p>Everything the scheduler, the breaker bookkeeping and the recovery supervisor do happens in tasks
 * submitted here, so their state needs no locks and no thread ever parks waiting for a token, a
 * backoff or a deadline: those become timers. Production uses {@link ExecutorTaskScheduler}; tests
 * use {@link VirtualScheduler}, whose timers fire only when the test advances its clock.
 */
public interface TaskScheduler {

    /** The clock the timers run on. */
    HubClock clock();

    /** Runs {@code task} on the scheduler's thread as soon as possible, in submission order. */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the scheduler's thread once {@code delayNanos} have passed on {@link #clock()}.
     *
     * @return a handle to cancel the timer; cancelling a timer that has run is harmless
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /** Whether the calling thread is the scheduler's own thread (for assertions and fast paths). */
    boolean inSchedulerThread();

    /** A pending timer. */
    @FunctionalInterface
    interface Cancellable {
        Cancellable NONE = () -> { };

        void cancel();
    }
}
