package io.tetheritall.hub.radios.testing;

import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.scheduler.ScheduledRadio;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.ManualClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import io.tetheritall.hub.radios.time.TaskScheduler;
import io.tetheritall.hub.radios.time.VirtualScheduler;
import io.tetheritall.hub.radios.znp.NetworkParamsStore;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.ZnpCoordinator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The real radio stack on ONE virtual clock: {@link ZnpSimulator} (on its own virtual scheduler) ←
 * in-memory link → {@link ZnpCoordinator} (MT deadlines on the same clock, sweeper off) →
 * {@link ScheduledRadio} (on a second {@link VirtualScheduler}, same clock). For integration
 * tests and benches that must not sleep.
 *
 * <h2>How virtual time is driven (and why a run is repeatable)</h2>
 * Three kinds of threads take part, and only one of them owns time:
 * <ul>
 *   <li>the <b>driver</b> (the thread that built the rig, i.e. the test): it alone moves the
 *       {@link ManualClock}, runs the simulator's due tasks, the scheduled radio's tasks and timers, and
 *       the coordinator's {@link ZnpCoordinator#expireDue()};</li>
 *   <li>the two <b>link reader threads</b> of the {@link InMemoryLink} pair (real threads, as with a
 *       port): the simulator answers SREQs on its reader thread, the MT session decodes on the other;</li>
 *   <li>the coordinator's <b>event thread</b>, which completes futures and calls listeners.</li>
 * </ul>
 * Work crosses threads only through counted hand-offs: each link end is wrapped so that bytes written
 * and bytes handed to (and returned from) the far end's listener are counted; the coordinator gets a
 * {@link CountingExecutor} (tasks submitted / finished); and the scheduled radio's {@link TaskScheduler}
 * is a {@link DrivenScheduler} that turns a task submitted from a foreign thread (a future completed on
 * the event thread) into an entry in an inbox the driver drains, so the scheduler's state is only ever
 * touched by the driver. {@link #settle()} repeats "drain the inbox, run the radio's ready tasks, expire MT
 * deadlines; when all is quiet, run ONE due simulator task" until every hand-off is balanced (nothing in a link,
 * no event task pending or running, inbox empty) and no counter moved over two consecutive passes.
 * Balanced counters cannot hide work in progress: a listener call in progress has its bytes written
 * but not yet delivered, an event task in progress is submitted but not finished. So after
 * {@code settle()} the whole system is waiting for time, and nothing is guessed from real-time sleeps.
 *
 * <p>The clock moves only in {@link #advance}/{@link #runUntil}, and only when everything is settled: to the
 * next event among the simulator's next task and the radio's next timer (both schedulers expose it), capped
 * at one step (1 ms by default) so that the MT session's deadlines, which the rig cannot see, are checked at
 * least that often. The simulator's tasks run one at a time at quiet points, never while a link thread is
 * busy, because both draw from the simulator's seeded random source and write to the same wire. So a run is
 * repeatable to the nanosecond (see {@code SimRigTest}); times are exact for simulator and radio events, and MT
 * deadlines fire at most one step late.
 */
public final class SimRig implements AutoCloseable {
    /** A guard against a hang in a test: real time allowed for one settle. */
    private static final long SETTLE_GUARD_NANOS = TimeUnit.SECONDS.toNanos(30);

    public final ManualClock clock = new ManualClock();
    public final VirtualScheduler simTime = new VirtualScheduler(clock);
    public final VirtualScheduler radioTime = new VirtualScheduler(clock);
    public final DrivenScheduler radioThread;
    public final ZnpSimulator sim;
    public final ZnpCoordinator coordinator;
    public final ScheduledRadio radio;
    /** ieee → nwk of the devices that joined (from the coordinator's TC_DEV_IND). */
    public final Map<Long, Integer> joined = new ConcurrentHashMap<>();

    private final CountingLink host;
    private final CountingLink device;
    private final CountingExecutor events;
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong simTasks = new AtomicLong();
    private Duration step = Duration.ofMillis(1);

    /**
     * @param simConfig   the simulator (use {@code baud(0)} unless UART pacing is part of the test)
     * @param schedConfig the traffic policy
     * @param znpConfig   the coordinator; its sweep period is forced to zero (the rig expires deadlines)
     */
    public SimRig(ZnpSimulatorConfig simConfig, SchedulerConfig schedConfig, ZnpConfig znpConfig) {
        InMemoryLink[] ends = InMemoryLink.pair("znp");
        host = new CountingLink(ends[0]);
        device = new CountingLink(ends[1]);
        host.peer = device;
        device.peer = host;
        sim = new ZnpSimulator(simConfig, device, simTime);
        events = new CountingExecutor("znp-" + znpConfig.radioId() + "-events");
        coordinator = new ZnpCoordinator(znpConfig.withSweepPeriod(Duration.ZERO), host, NetworkParamsStore.inMemory(),
                clock, new SecureRandom(), events);
        coordinator.addListener(new RadioListener() {
            @Override
            public void deviceJoined(int nwk, long ieee, int parentNwk) {
                joined.put(ieee, nwk);
            }
        });
        radioThread = new DrivenScheduler(radioTime);
        radio = new ScheduledRadio(coordinator, schedConfig, radioThread);
    }

    /** The step {@link #advance} moves time by (default 1 ms). */
    public SimRig step(Duration s) {
        if (s.isNegative() || s.isZero()) {
            throw new IllegalArgumentException("step must be positive");
        }
        step = s;
        return this;
    }

    /** Virtual now, in nanoseconds. */
    public long now() {
        return clock.nanos();
    }

    /** Starts the simulator and the radio (form or restore); fails if it takes more than a virtual minute. */
    public NetworkInfo start() throws IOException {
        sim.start();
        CompletableFuture<NetworkInfo> f = radio.start();
        return await(f, Duration.ofSeconds(60), "radio start");
    }

    /** Permits joining network-wide and runs until {@code n} devices have joined. */
    public void joinAll(int n) {
        coordinator.permitJoin(Duration.ofSeconds(254), -1);
        if (!runUntil(() -> joined.size() >= n, Duration.ofSeconds(5L + n))) {
            throw new AssertionError("only " + joined.size() + " of " + n + " devices joined");
        }
        coordinator.permitJoin(Duration.ZERO, -1);
        settle();
    }

    /** Runs virtual time until {@code f} completes; returns its value or throws its failure as an AssertionError. */
    public <T> T await(CompletableFuture<T> f, Duration max, String what) {
        if (!runUntil(f::isDone, max)) {
            throw new AssertionError(what + " did not complete within " + max + " of virtual time");
        }
        try {
            return f.join();
        } catch (RuntimeException e) {
            throw new AssertionError(what + " failed: " + e, e);
        }
    }

    /**
     * Advances until {@code cond} holds (checked whenever the system has settled) or {@code max} of virtual time
     * has passed. Returns whether it held.
     */
    public boolean runUntil(BooleanSupplier cond, Duration max) {
        long end = clock.nanos() + max.toNanos();
        settle();
        while (!cond.getAsBoolean()) {
            if (clock.nanos() >= end) {
                return false;
            }
            stepTowards(end);
        }
        return true;
    }

    /** Advances virtual time by {@code d}, event by event, settling after each. */
    public void advance(Duration d) {
        long end = clock.nanos() + d.toNanos();
        settle();
        while (clock.nanos() < end) {
            stepTowards(end);
        }
    }

    /**
     * Moves the clock to the next event: the simulator's next task, the radio's next timer, one step from now
     * (the cap, for the MT session's deadlines, which the rig cannot see) or {@code end}, whichever comes first;
     * then fires the radio's timers due by then and settles (which runs the simulator's due tasks one by one).
     * The clock only ever moves here, while every other thread is idle.
     */
    private void stepTowards(long end) {
        long now = clock.nanos();
        long to = Math.min(end, now + step.toNanos());
        to = Math.min(to, Math.max(now, simTime.nextDueNanos()));
        to = Math.min(to, Math.max(now, radioTime.nextDueNanos()));
        if (to > now) {
            clock.advance(Duration.ofNanos(to - now));
        }
        radioTime.advance(Duration.ZERO);
        settle();
    }

    /**
     * Runs everything that can run without time passing, until the whole system waits for time (see the class
     * comment). The simulator's due tasks run one at a time and only when the rest is quiet, so that the link
     * threads never race a simulator task (both draw from the simulator's seeded random source, and the bytes
     * of both go down the same wire): that is what makes a run repeatable to the nanosecond. Spins (yielding,
     * then parking a few microseconds) while another thread still has work.
     */
    public void settle() {
        long guard = System.nanoTime() + SETTLE_GUARD_NANOS;
        long last = Long.MIN_VALUE;
        int quiet = 0;
        int spins = 0;
        while (true) {
            radioThread.drainInbox();
            radioTime.runUntilIdle();
            int n = coordinator.expireDue();
            if (n > 0) {
                expired.addAndGet(n);
            }
            long sig = signature();
            if (balanced() && sig == last) {
                if (simTime.runOneDue()) {
                    simTasks.incrementAndGet();
                    quiet = 0;
                    spins = 0;
                    continue;
                }
                if (++quiet >= 2) {
                    return;
                }
            } else {
                quiet = 0;
                last = sig;
            }
            if (System.nanoTime() > guard) {
                throw new IllegalStateException("the radio stack did not settle within 30 s of real time: " + describe());
            }
            if (++spins < 64) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private boolean balanced() {
        return radioThread.inbox.isEmpty() && events.submitted.get() == events.finished.get()
                && host.drained() && device.drained();
    }

    private long signature() {
        long h = 17;
        for (long v : new long[] {radioThread.posted.get(), radioTime.executedTasks(), events.submitted.get(),
                events.finished.get(), host.written.get(), host.delivered.get(), device.written.get(),
                device.delivered.get(), expired.get(), simTasks.get()}) {
            h = h * 1_000_003L + v;
        }
        return h;
    }

    /** Counters, for a failure message. */
    public String describe() {
        return "inbox=" + radioThread.inbox.size() + " events=" + events.submitted.get() + "/" + events.finished.get()
                + " host->sim=" + host.written.get() + "/" + device.delivered.get() + " sim->host=" + device.written.get()
                + "/" + host.delivered.get() + " t=" + Duration.ofNanos(clock.nanos());
    }

    @Override
    public void close() {
        radio.close();
        sim.close();
        events.shutdownNow();
    }

    /**
     * The scheduled radio's {@link TaskScheduler}: a {@link VirtualScheduler}
     * confined to the driver thread. Tasks submitted from any other thread wait in an inbox until the driver
     * drains it, so the radio's state is only ever touched by the driver, as on a real single radio thread.
     */
    public static final class DrivenScheduler implements TaskScheduler {
        private final VirtualScheduler inner;
        private final Thread driver = Thread.currentThread();
        final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
        final AtomicLong posted = new AtomicLong();

        DrivenScheduler(VirtualScheduler inner) {
            this.inner = inner;
        }

        @Override
        public HubClock clock() {
            return inner.clock();
        }

        @Override
        public void execute(Runnable task) {
            if (Thread.currentThread() == driver) {
                inner.execute(task);
            } else {
                posted.incrementAndGet();
                inbox.add(task);
            }
        }

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            if (Thread.currentThread() == driver) {
                return inner.schedule(task, delayNanos);
            }
            // From a foreign thread: arm the timer on the driver; a cancel before that wins.
            Cancellable[] armed = {null};
            boolean[] cancelled = {false};
            long due = inner.clock().nanos() + delayNanos;
            execute(() -> {
                synchronized (armed) {
                    if (!cancelled[0]) {
                        armed[0] = inner.schedule(task, Math.max(0, due - inner.clock().nanos()));
                    }
                }
            });
            return () -> {
                synchronized (armed) {
                    cancelled[0] = true;
                    if (armed[0] != null) {
                        armed[0].cancel();
                    }
                }
            };
        }

        @Override
        public boolean inSchedulerThread() {
            return Thread.currentThread() == driver;
        }

        /** Runs the tasks other threads submitted, on the driver. */
        public void drainInbox() {
            Runnable r;
            while ((r = inbox.poll()) != null) {
                inner.execute(r);
            }
        }
    }

    /** A single-threaded executor that counts tasks submitted and finished (for {@link #settle()}). */
    static final class CountingExecutor extends ThreadPoolExecutor {
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong finished = new AtomicLong();

        CountingExecutor(String name) {
            super(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new NamedThreadFactory(name));
        }

        @Override
        public void execute(Runnable command) {
            submitted.incrementAndGet();
            try {
                super.execute(command);
            } catch (RuntimeException e) {
                finished.incrementAndGet();
                throw e;
            }
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            finished.incrementAndGet();
        }
    }

    /**
     * One end of the in-memory pair, counting bytes written by its owner and bytes its owner's listener has
     * finished with. Bytes written while the far end is down are lost on the wire and so are not waited for.
     */
    static final class CountingLink implements ByteLink {
        private final InMemoryLink inner;
        CountingLink peer;
        final AtomicLong written = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        private final AtomicLong lost = new AtomicLong();

        CountingLink(InMemoryLink inner) {
            this.inner = Objects.requireNonNull(inner);
        }

        /** The raw end (e.g. to unplug it). */
        InMemoryLink raw() {
            return inner;
        }

        /** Whether everything this end wrote has been consumed by the far end (or cannot be: it is down). */
        boolean drained() {
            long w = written.get();
            long d = peer.delivered.get();
            if (!peer.inner.isUp() || !inner.isUp()) {
                lost.set(w - d); // in flight when the wire went down: never delivered
                return true;
            }
            return d + lost.get() >= w;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void open(Listener listener) throws IOException {
            inner.open(new Listener() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    try {
                        listener.onBytes(buf, off, len);
                    } finally {
                        delivered.addAndGet(len);
                    }
                }

                @Override
                public void onState(LinkState state, String reason) {
                    listener.onState(state, reason);
                }
            });
        }

        @Override
        public void write(byte[] data) throws IOException {
            written.addAndGet(data.length);
            try {
                inner.write(data);
            } catch (IOException | RuntimeException e) {
                written.addAndGet(-data.length);
                throw e;
            }
        }

        @Override
        public boolean isUp() {
            return inner.isUp();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
