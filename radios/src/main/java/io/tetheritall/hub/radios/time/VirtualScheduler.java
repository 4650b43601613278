package io.tetheritall.hub.radios.time;

import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A {@link TaskScheduler} on virtual time for tests and benches: timers fire only when {@link #advance}
 * (or {@link #advanceUntilIdle}, {@link #runOneDue}) is called, in due-time order (ties in scheduling
 * order), each with the {@link ManualClock} set to its due time. Timers scheduled by running tasks are
 * honoured in the same advance when they fall due within it.
 *
 * <p>Tasks run on the thread that calls {@link #execute}, {@link #advance} or {@link #runOneDue} (a
 * trampoline: a task submitted from inside a task runs after it, never nested), so a whole radio, its
 * scheduler and a fake coordinator, or a simulator, run deterministically on the test thread.
 * {@link #schedule} may be called from any thread (the simulator schedules from its link's reader
 * thread); callers that run tasks take turns. A task that throws is logged and dropped, as on
 * {@link ExecutorTaskScheduler}.
 */
public final class VirtualScheduler implements TaskScheduler {
    private final ManualClock clock;
    /** Held while tasks run, so that two threads never run tasks at once. */
    private final Object runLock = new Object();
    // guarded by this
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long seq;
    private boolean closed;
    // written only by the thread holding runLock
    private volatile Thread owner;
    private volatile long executed;

    /** A scheduler on a new {@link ManualClock}. */
    public VirtualScheduler() {
        this(new ManualClock());
    }

    /** A scheduler on {@code clock}, which other schedulers (or the test) may share. */
    public VirtualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public ManualClock clock() {
        return clock;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (closed) {
                return;
            }
            ready.add(task);
        }
        drain();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        synchronized (this) {
            Timer t = new Timer(clock.nanos() + Math.max(0, delayNanos), seq++, task);
            if (!closed) {
                timers.add(t);
            }
            return t;
        }
    }

    @Override
    public boolean inSchedulerThread() {
        Thread o = owner;
        return o == null || o == Thread.currentThread();
    }

    /** Runs every ready task (and the tasks they submit) without moving time. */
    public void runUntilIdle() {
        drain();
    }

    /** Moves time forward by {@code d}, firing every timer due on the way, in order. */
    public void advance(Duration d) {
        synchronized (runLock) {
            long target = clock.nanos() + d.toNanos();
            drain();
            while (true) {
                Timer next;
                synchronized (this) {
                    next = peekLive();
                    if (next == null || next.due > target) {
                        break;
                    }
                    timers.poll();
                }
                if (next.due > clock.nanos()) {
                    clock.advance(Duration.ofNanos(next.due - clock.nanos()));
                }
                enqueueAndDrain(next);
            }
            if (target > clock.nanos()) {
                clock.advance(Duration.ofNanos(target - clock.nanos()));
            }
            drain();
        }
    }

    /**
     * Fires timers until none is left or {@code limit} of virtual time has passed.
     *
     * @return the virtual time that passed
     */
    public Duration advanceUntilIdle(Duration limit) {
        synchronized (runLock) {
            long start = clock.nanos();
            long end = start + limit.toNanos();
            drain();
            while (true) {
                long due = nextDueNanos();
                if (due == Long.MAX_VALUE || due > end) {
                    break;
                }
                advance(Duration.ofNanos(Math.max(0, due - clock.nanos())));
            }
            return Duration.ofNanos(clock.nanos() - start);
        }
    }

    /**
     * Runs the earliest timer that is due by now (and the tasks it submits), without moving the clock;
     * returns whether one ran. For a driver that shares the clock with other threads and must let them
     * react between two tasks (see the radios test rig {@code SimRig}).
     */
    public boolean runOneDue() {
        synchronized (runLock) {
            Timer next;
            synchronized (this) {
                next = peekLive();
                if (next == null || next.due > clock.nanos()) {
                    return false;
                }
                timers.poll();
            }
            enqueueAndDrain(next);
            return true;
        }
    }

    /** When the earliest live timer falls due (clock nanos), or {@link Long#MAX_VALUE} if none is pending. */
    public synchronized long nextDueNanos() {
        Timer t = peekLive();
        return t == null ? Long.MAX_VALUE : t.due;
    }

    /** Live timers still pending. */
    public synchronized int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled).count();
    }

    /** How many tasks have run so far (for benches and the test rig's progress signature). */
    public long executedTasks() {
        return executed;
    }

    /** Drops every pending task and timer; later submissions are ignored. */
    @Override
    public synchronized void close() {
        closed = true;
        timers.clear();
        ready.clear();
    }

    // guarded by this
    private Timer peekLive() {
        Timer t;
        while ((t = timers.peek()) != null && t.cancelled) {
            timers.poll();
        }
        return t;
    }

    private void enqueueAndDrain(Timer t) {
        synchronized (this) {
            ready.add(t);
        }
        drain();
    }

    private void drain() {
        if (owner == Thread.currentThread()) {
            return; // submitted from inside a task: runs after it, in this same drain
        }
        synchronized (runLock) {
            owner = Thread.currentThread();
            try {
                Runnable r;
                while ((r = pollReady()) != null) {
                    executed++;
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        Logger.error(e, "task on a virtual scheduler failed; this is a bug");
                    }
                }
            } finally {
                owner = null;
            }
        }
    }

    private synchronized Runnable pollReady() {
        return ready.poll();
    }

    /** A timer; runs its task unless cancelled before it was reached. */
    private static final class Timer implements Comparable<Timer>, Cancellable, Runnable {
        final long due;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void run() {
            if (!cancelled) {
                task.run();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
