package io.tetheritall.hub.radios.time;

import org.tinylog.Logger;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TaskScheduler} in real time on one named daemon thread ({@code <name>-1}, e.g. {@code radio-zigbee0-1}
 * or {@code znp-sim-1}) with the system clock.
 *
 * <p>A task that throws is logged and dropped; the thread survives, because a dead dispatcher would
 * silently stall every request of the radio (or every event of the simulator). Tasks submitted after
 * {@link #close()} are dropped.
 */
public final class ExecutorTaskScheduler implements TaskScheduler {
    private final String name;
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    /** @param name thread name prefix, e.g. {@code radio-zigbee0} */
    public ExecutorTaskScheduler(String name) {
        this.name = name;
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
        } catch (RejectedExecutionException e) {
            Logger.debug("scheduler {} is shut down, dropping a task", name);
        }
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        try {
            ScheduledFuture<?> f = executor.schedule(guard(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return Cancellable.NONE;
        }
    }

    @Override
    public boolean inSchedulerThread() {
        return Thread.currentThread() == thread;
    }

    private Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                Logger.error(t, "task on scheduler {} failed; this is a bug", name);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
