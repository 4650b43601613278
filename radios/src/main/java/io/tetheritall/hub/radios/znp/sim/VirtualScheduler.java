package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.time.ManualClock;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Virtual-time scheduler on a {@link ManualClock}: nothing runs until a test calls
 * {@link #advance(Duration)}, which moves the clock to each due task in turn and runs it, in
 * time order (ties in scheduling order). Tasks scheduled by running tasks are honoured in the same
 * advance when they fall due within it. Thread-safe; tasks run on the caller's thread.
 */
public final class VirtualScheduler implements SimScheduler {
    private final ManualClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long seq;
    private boolean closed;
    private final Object runLock = new Object();

    private static final class Entry implements Comparable<Entry>, Task {
        final long due;
        final long seq;
        final Runnable r;
        volatile boolean cancelled;

        Entry(long due, long seq, Runnable r) {
            this.due = due;
            this.seq = seq;
            this.r = r;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    public VirtualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    public ManualClock clock() {
        return clock;
    }

    @Override
    public long nanos() {
        return clock.nanos();
    }

    @Override
    public synchronized Task schedule(Duration delay, Runnable r) {
        Entry e = new Entry(clock.nanos() + Math.max(0, delay.toNanos()), seq++, r);
        if (!closed) {
            queue.add(e);
        }
        return e;
    }

    /** Moves time forward by {@code d}, running every task that falls due on the way, in order. */
    public void advance(Duration d) {
        synchronized (runLock) {
            long end = clock.nanos() + d.toNanos();
            while (true) {
                Entry next;
                synchronized (this) {
                    next = queue.peek();
                    if (next == null || next.due > end) {
                        break;
                    }
                    queue.poll();
                }
                if (next.due > clock.nanos()) {
                    clock.advance(Duration.ofNanos(next.due - clock.nanos()));
                }
                run(next);
            }
            if (end > clock.nanos()) {
                clock.advance(Duration.ofNanos(end - clock.nanos()));
            }
        }
    }

    /** Runs the tasks already due (e.g. after someone else advanced the shared clock). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** When the earliest live task falls due (clock nanos), or {@link Long#MAX_VALUE} if none is waiting. */
    public synchronized long nextDueNanos() {
        Entry e;
        while ((e = queue.peek()) != null && e.cancelled) {
            queue.poll();
        }
        return e == null ? Long.MAX_VALUE : e.due;
    }

    /**
     * Runs the earliest task that is due by now, without moving the clock; returns whether one ran. For a
     * driver that shares the clock with other threads and must let them react between two tasks (see the
     * radios test rig {@code SimRig}).
     */
    public boolean runOneDue() {
        synchronized (runLock) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > clock.nanos()) {
                    return false;
                }
                queue.poll();
            }
            run(next);
            return true;
        }
    }

    /** Number of tasks waiting (cancelled ones included until they are reached). */
    public synchronized int pending() {
        return queue.size();
    }

    private static void run(Entry e) {
        if (e.cancelled) {
            return;
        }
        try {
            e.r.run();
        } catch (RuntimeException ex) {
            Logger.error(ex, "simulator task failed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}
