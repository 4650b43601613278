package io.tetheritall.hub.radios.scheduler;

import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.ManualClock;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A {@link TaskScheduler} on virtual time for tests and benches: timers fire only when {@link #advance}
 * moves the {@link ManualClock}, in due-time order, each with the clock set to its due time.
 *
 * <p>Tasks run on the thread that calls {@link #execute} or {@link #advance} (a trampoline: a task
 * submitted from inside a task runs after it, never nested), so a whole radio, its scheduler and a
 * fake coordinator run deterministically on the test thread. Not for concurrent use from several
 * threads at once.
 */
public final class VirtualScheduler implements TaskScheduler {
    private final ManualClock clock;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long seq;
    private boolean draining;
    private Thread owner;
    private long executed;

    public VirtualScheduler() {
        this(new ManualClock());
    }

    public VirtualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public HubClock clock() {
        return clock;
    }

    /** The manual clock behind this scheduler. */
    public ManualClock manualClock() {
        return clock;
    }

    @Override
    public void execute(Runnable task) {
        ready.add(task);
        drain();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        Timer t = new Timer(clock.nanos() + Math.max(0, delayNanos), seq++, task);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public boolean inSchedulerThread() {
        return owner == null || owner == Thread.currentThread();
    }

    /** Runs every ready task (and the tasks they submit) without moving time. */
    public void runUntilIdle() {
        drain();
    }

    /** Moves time forward by {@code d}, firing every timer due on the way, in order. */
    public void advance(Duration d) {
        long target = clock.nanos() + d.toNanos();
        drain();
        while (true) {
            Timer next = peekLive();
            if (next == null || next.due > target) {
                break;
            }
            timers.poll();
            if (next.due > clock.nanos()) {
                clock.advance(Duration.ofNanos(next.due - clock.nanos()));
            }
            ready.add(next.task);
            drain();
        }
        if (target > clock.nanos()) {
            clock.advance(Duration.ofNanos(target - clock.nanos()));
        }
        drain();
    }

    /**
     * Fires timers until none is left or {@code limit} of virtual time has passed.
     *
     * @return the virtual time that passed
     */
    public Duration advanceUntilIdle(Duration limit) {
        long start = clock.nanos();
        long end = start + limit.toNanos();
        drain();
        while (true) {
            Timer next = peekLive();
            if (next == null || next.due > end) {
                break;
            }
            advance(Duration.ofNanos(Math.max(0, next.due - clock.nanos())));
        }
        return Duration.ofNanos(clock.nanos() - start);
    }

    /** When the earliest live timer falls due (clock nanos), or {@link Long#MAX_VALUE} if none is pending. */
    public long nextDueNanos() {
        Timer t = peekLive();
        return t == null ? Long.MAX_VALUE : t.due;
    }

    /** Live timers still pending. */
    public int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled).count();
    }

    /** How many tasks have run so far (for benches). */
    public long executedTasks() {
        return executed;
    }

    private Timer peekLive() {
        Timer t;
        while ((t = timers.peek()) != null && t.cancelled) {
            timers.poll();
        }
        return t;
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        owner = Thread.currentThread();
        try {
            Runnable r;
            while ((r = ready.poll()) != null) {
                executed++;
                r.run();
            }
        } finally {
            draining = false;
            owner = null;
        }
    }

    private static final class Timer implements Comparable<Timer> {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
