package io.tetheritall.hub.radios.scheduler;

import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.tinylog.Logger;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TaskScheduler} on one named daemon thread ({@code radio-<id>}) with the system clock.
 *
 * <p>A task that throws is logged and dropped; the thread survives, because a dead dispatcher would
 * silently stall every request of the radio.
 */
public final class ExecutorTaskScheduler implements TaskScheduler, AutoCloseable {
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    /** @param name thread name prefix, e.g. {@code radio-zigbee0} */
    public ExecutorTaskScheduler(String name) {
        NamedThreadFactory names = new NamedThreadFactory(name);
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = names.newThread(r);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public HubClock clock() {
        return HubClock.system();
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guard(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Logger.debug("scheduler {} is shut down, dropping a task", thread);
        }
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        try {
            ScheduledFuture<?> f = executor.schedule(guard(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return Cancellable.NONE;
        }
    }

    @Override
    public boolean inSchedulerThread() {
        return Thread.currentThread() == thread;
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                Logger.error(t, "task on the radio scheduler failed; this is a bug");
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
