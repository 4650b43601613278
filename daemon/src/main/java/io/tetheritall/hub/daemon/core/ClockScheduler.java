package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.radios.time.HubClock;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Timers on the injected {@link HubClock}: tasks become due when the clock passes their time and
 * run when {@link #runDue()} is called — by the hub's one named timer thread in production, by the
 * test directly after advancing a {@code ManualClock}. No thread per timer, no sleeping in tests.
 */
public final class ClockScheduler {
    /** A scheduled task that can be cancelled. */
    public static final class Timer implements Comparable<Timer> {
        private final long due;
        private final long seq;
        private final Runnable task;
        private volatile boolean cancelled;

        private Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }

    private final HubClock clock;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long seq;

    public ClockScheduler(HubClock clock) {
        this.clock = clock;
    }

    /** Runs {@code task} once {@code delay} has passed on the clock. */
    public synchronized Timer schedule(Duration delay, Runnable task) {
        Timer t = new Timer(clock.nanos() + delay.toNanos(), seq++, task);
        queue.add(t);
        return t;
    }

    /** Runs every task that is due, outside the lock; returns how many ran. */
    public int runDue() {
        List<Timer> due = new ArrayList<>();
        synchronized (this) {
            long now = clock.nanos();
            while (!queue.isEmpty() && queue.peek().due - now <= 0) {
                due.add(queue.poll());
            }
        }
        int ran = 0;
        for (Timer t : due) {
            if (!t.cancelled) {
                try {
                    t.task.run();
                } catch (RuntimeException e) {
                    Logger.error(e, "timer task failed");
                }
                ran++;
            }
        }
        return ran;
    }

    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }
}
