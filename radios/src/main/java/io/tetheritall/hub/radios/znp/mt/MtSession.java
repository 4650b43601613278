package io.tetheritall.hub.radios.znp.mt;

import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import io.tetheritall.hub.radios.znp.unpi.UnpiCodec;
import io.tetheritall.hub.radios.znp.unpi.UnpiDecoder;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.tinylog.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * MT request/response correlation over one {@link ByteLink}: SREQ→SRSP, AREQ waits and
 * unsolicited AREQs.
 *
 * <p><b>One SREQ in flight.</b> "The host keeps only one SREQ outstanding" (MT p.17): a second
 * {@link #request} waits in a FIFO queue (no thread is parked) and goes out when the first gets its
 * SRSP, fails with an RPC error, or times out. The SRSP is matched by subsystem and command id. An
 * RPC error {@code 60 00 [err, reqCMD0, reqCMD1]} fails the matching request with
 * {@link MtRpcException}. A late SRSP for a request that already timed out is ignored unless the
 * next request has the same subsystem and id, in which case MT gives no way to tell them apart.
 *
 * <p><b>AREQ waits.</b> {@link #waitFor} registers a predicate with a deadline; the first matching
 * AREQ completes it (first registered, first served), and is then not passed to the listeners.
 * Register the wait <em>before</em> sending the request that triggers the callback. AREQs that
 * complete no wait go to the {@link #addListener listeners}.
 *
 * <p><b>Deadlines.</b> SREQs (from the moment they are written) and AREQ waits share one pending
 * table with deadlines read from the injected {@link HubClock}. {@link #expireDue()} fails what is
 * due; a named sweeper thread calls it periodically, and tests with a {@code ManualClock} call it
 * themselves after advancing time.
 *
 * <p><b>Threads.</b> Frames are decoded and matched on the link's reader thread; every future
 * completion and listener call is posted to the {@code events} executor given at construction
 * (the radio's single event thread), in arrival order. All methods are thread-safe.
 *
 * <p><b>Link state.</b> When the link goes DOWN or CLOSED every pending and queued request and every
 * wait fails with {@link RadioError#RADIO_UNAVAILABLE}, and new ones fail at once until it is UP.
 */
public final class MtSession implements AutoCloseable {

    private static final class Pending {
        final UnpiFrame frame;                 // the SREQ, or null for an AREQ wait
        final Predicate<UnpiFrame> matcher;    // for AREQ waits
        final long timeoutNanos;
        final CompletableFuture<UnpiFrame> future;
        long deadline;
        /** The timeout this SREQ was given when written (shorter while the session is suspicious). */
        long appliedNanos;

        Pending(UnpiFrame frame, Predicate<UnpiFrame> matcher, long timeoutNanos, CompletableFuture<UnpiFrame> f) {
            this.frame = frame;
            this.matcher = matcher;
            this.timeoutNanos = timeoutNanos;
            this.future = f;
        }
    }

    private final String name;
    private final ByteLink link;
    private final HubClock clock;
    private final Executor events;
    private final UnpiDecoder decoder;
    /** Gap after which a partial frame is given up; see {@link #dropStalePartialFrame()}. */
    private static final long PARTIAL_FRAME_GAP_NANOS = 100_000_000L;
    private long lastBytesNanos;
    /** An SREQ timed out and no SRSP has come since; see {@link #armSreq}. Guarded by {@code lock}. */
    private boolean suspect;
    /** SREQ timeout while the session is suspicious: an SRSP normally comes within milliseconds. */
    static final long SUSPECT_TIMEOUT_NANOS = 1_000_000_000L;
    private final ScheduledExecutorService sweeper;

    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<Pending> waiters = new ArrayList<>();
    private Pending inFlight;

    private final CopyOnWriteArrayList<Consumer<UnpiFrame>> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<BiConsumer<LinkState, String>> linkListeners = new CopyOnWriteArrayList<>();
    private volatile boolean up;
    private volatile boolean closed;

    private final LongAdder requests = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder rpcErrors = new LongAdder();
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder unsolicited = new LongAdder();

    /**
     * @param name        for logs and thread names, e.g. {@code zigbee0}
     * @param link        the byte link; {@link #open()} opens it
     * @param clock       source of time for deadlines
     * @param events      where completions and listener calls run; should be single-threaded
     * @param sweepPeriod how often the sweeper thread calls {@link #expireDue()}; null or zero for no
     *                    sweeper (the owner, or a test, then calls it)
     */
    public MtSession(String name, ByteLink link, HubClock clock, Executor events, Duration sweepPeriod) {
        this.name = Objects.requireNonNull(name, "name");
        this.link = Objects.requireNonNull(link, "link");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.decoder = new UnpiDecoder(this::onFrame);
        if (sweepPeriod != null && !sweepPeriod.isZero() && !sweepPeriod.isNegative()) {
            sweeper = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("mt-" + name + "-sweeper"));
            long ms = Math.max(1, sweepPeriod.toMillis());
            sweeper.scheduleWithFixedDelay(this::sweep, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            sweeper = null;
        }
    }

    /** Opens the link. The session follows the link's UP/DOWN reports from then on. */
    public void open() throws IOException {
        link.open(new ByteLink.Listener() {
            @Override
            public void onBytes(byte[] buf, int off, int len) {
                synchronized (decoder) {
                    lastBytesNanos = clock.nanos();
                    decoder.feed(buf, off, len);
                }
            }

            @Override
            public void onState(LinkState state, String reason) {
                onLinkState(state, reason);
            }
        });
    }

    /** Whether the link is up. */
    public boolean isUp() {
        return up;
    }

    /** The link's name. */
    public String linkName() {
        return link.name();
    }

    /**
     * Sends an SREQ and completes with its SRSP. Fails with {@link RadioError#TIMEOUT} if no SRSP
     * arrives within {@code timeout} of the SREQ being written, {@link MtRpcException} on an RPC
     * error, {@link RadioError#RADIO_UNAVAILABLE} if the link is or goes down, and
     * {@link RadioError#REJECTED} for an empty SRSP ("an SRSP with LEN=0 means error", MT p.19).
     */
    public CompletableFuture<UnpiFrame> request(UnpiFrame sreq, Duration timeout) {
        if (sreq.type() != UnpiFrame.SREQ) {
            throw new IllegalArgumentException("not an SREQ: " + sreq);
        }
        requests.increment();
        CompletableFuture<UnpiFrame> f = new CompletableFuture<>();
        Pending p = new Pending(sreq, null, timeout.toNanos(), f);
        Pending send = null;
        boolean down;
        synchronized (lock) {
            down = !up || closed;
            if (!down) {
                if (inFlight == null) {
                    inFlight = p;
                    armSreq(p);
                    send = p;
                } else {
                    queue.addLast(p);
                }
            }
        }
        if (down) {
            fail(f, new RadioException(RadioError.RADIO_UNAVAILABLE, name + ": link is down"));
        } else if (send != null) {
            write(send);
        }
        return f;
    }

    /**
     * Writes an AREQ (e.g. SYS_RESET_REQ). Throws {@link RadioException} RADIO_UNAVAILABLE if the
     * link is down or the write fails.
     */
    public void send(UnpiFrame areq) {
        if (areq.type() != UnpiFrame.AREQ) {
            throw new IllegalArgumentException("not an AREQ: " + areq);
        }
        if (!up) {
            throw new RadioException(RadioError.RADIO_UNAVAILABLE, name + ": link is down");
        }
        try {
            link.write(UnpiCodec.encode(areq));
            framesOut.increment();
            Logger.trace("{} --> {}", name, MtCommand.describe(areq));
        } catch (IOException e) {
            throw new RadioException(RadioError.RADIO_UNAVAILABLE, -1, 0, name + ": write failed", e);
        }
    }

    /**
     * Writes bytes outside any frame. Only for the bootloader-skip byte {@code 0xEF} that hosts send
     * before talking to a CC2652 stick whose serial bootloader may be waiting (herdsman
     * {@code znp.ts}); a stick running Z-Stack ignores bytes outside frames.
     */
    public void writeRaw(byte[] bytes) {
        if (!up) {
            throw new RadioException(RadioError.RADIO_UNAVAILABLE, name + ": link is down");
        }
        try {
            link.write(bytes.clone());
        } catch (IOException e) {
            throw new RadioException(RadioError.RADIO_UNAVAILABLE, -1, 0, name + ": write failed", e);
        }
    }

    /**
     * Waits for the first AREQ matching {@code matcher}; fails with {@link RadioError#TIMEOUT} after
     * {@code timeout}. Cancelling the returned future removes the wait.
     */
    public CompletableFuture<UnpiFrame> waitFor(Predicate<UnpiFrame> matcher, Duration timeout) {
        CompletableFuture<UnpiFrame> f = new CompletableFuture<>();
        Pending p = new Pending(null, matcher, timeout.toNanos(), f);
        p.deadline = clock.nanos() + p.timeoutNanos;
        boolean down;
        synchronized (lock) {
            down = !up || closed;
            if (!down) {
                waiters.add(p);
            }
        }
        if (down) {
            fail(f, new RadioException(RadioError.RADIO_UNAVAILABLE, name + ": link is down"));
        }
        f.whenComplete((r, t) -> {
            if (f.isCancelled()) {
                synchronized (lock) {
                    waiters.remove(p);
                }
            }
        });
        return f;
    }

    /** Hears AREQs that completed no {@link #waitFor} wait; called on the events executor. */
    public void addListener(Consumer<UnpiFrame> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<UnpiFrame> l) {
        listeners.remove(l);
    }

    /** Hears link UP/DOWN/CLOSED, after pending requests were failed; called on the events executor. */
    public void addLinkListener(BiConsumer<LinkState, String> l) {
        linkListeners.add(l);
    }

    /**
     * Fails every SREQ and wait whose deadline has passed ({@link RadioError#TIMEOUT}) and lets the
     * next queued SREQ go out. Called by the sweeper; tests call it after advancing a manual clock.
     *
     * @return how many requests and waits expired
     */
    public int expireDue() {
        dropStalePartialFrame();
        long now = clock.nanos();
        List<Pending> expired = new ArrayList<>();
        Pending timedOutSreq = null;
        synchronized (lock) {
            if (inFlight != null && now - inFlight.deadline >= 0) {
                suspect = true;
                timedOutSreq = inFlight;
            }
            for (Iterator<Pending> it = waiters.iterator(); it.hasNext(); ) {
                Pending w = it.next();
                if (w.future.isDone()) {
                    it.remove();
                } else if (now - w.deadline >= 0) {
                    it.remove();
                    expired.add(w);
                }
            }
        }
        for (Pending w : expired) {
            timeouts.increment();
            fail(w.future, new RadioException(RadioError.TIMEOUT, name + ": no matching AREQ within "
                    + Duration.ofNanos(w.timeoutNanos)));
        }
        int n = expired.size();
        if (timedOutSreq != null && finish(timedOutSreq)) {
            timeouts.increment();
            n++;
            Logger.warn("{}: no SRSP for {} within {}", name, MtCommand.describe(timedOutSreq.frame),
                    Duration.ofNanos(timedOutSreq.appliedNanos));
            fail(timedOutSreq.future, new RadioException(RadioError.TIMEOUT, name + ": no SRSP for "
                    + MtCommand.describe(timedOutSreq.frame) + " within " + Duration.ofNanos(timedOutSreq.appliedNanos)));
        }
        return n;
    }

    /** Current counters and table sizes. */
    public MtMetrics metrics() {
        int inf;
        int q;
        int w;
        synchronized (lock) {
            inf = inFlight == null ? 0 : 1;
            q = queue.size();
            w = waiters.size();
        }
        return new MtMetrics(requests.sum(), timeouts.sum(), rpcErrors.sum(), framesIn.sum(), framesOut.sum(),
                unsolicited.sum(), decoder.badFcs() + decoder.badLength(), inf, q, w);
    }

    /** Closes the link and the sweeper; pending requests fail with RADIO_UNAVAILABLE. */
    @Override
    public void close() {
        closed = true;
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        link.close();
        failAll("session closed");
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A stray 0xFE in line noise that claims a long LEN makes the decoder wait for bytes that never
     * come, and a real reply behind it would wait too. A stick sends a frame back to back (255 bytes
     * take 22 ms at 115200 baud), so a partial frame that saw no byte for {@link #PARTIAL_FRAME_GAP_NANOS}
     * is noise: give it up and let the decoder resync on what follows the false SOF.
     */
    private void dropStalePartialFrame() {
        synchronized (decoder) {
            if (decoder.pending() > 0 && clock.nanos() - lastBytesNanos > PARTIAL_FRAME_GAP_NANOS) {
                decoder.dropPartialFrame();
            }
        }
    }

    private void sweep() {
        try {
            expireDue();
        } catch (RuntimeException e) {
            Logger.error(e, "{}: sweeper failed; this must not happen and is a bug", name);
        }
    }

    private void write(Pending p) {
        while (p != null) {
            try {
                link.write(UnpiCodec.encode(p.frame));
                framesOut.increment();
                Logger.trace("{} --> {}", name, MtCommand.describe(p.frame));
                return;
            } catch (IOException e) {
                Logger.warn("{}: write of {} failed: {}", name, MtCommand.describe(p.frame), e.getMessage());
                Pending next = advance(p);
                fail(p.future, new RadioException(RadioError.RADIO_UNAVAILABLE, -1, 0, name + ": write failed", e));
                p = next;
            }
        }
    }

    /** Clears {@code done} from the in-flight slot (if it is still there) and sends the next SREQ. */
    private boolean finish(Pending done) {
        Pending next;
        synchronized (lock) {
            if (inFlight != done) {
                return false;
            }
            next = advance(done);
        }
        if (next != null) {
            write(next);
        }
        return true;
    }

    /** Under or outside the lock: frees the slot held by {@code done} and claims it for the next SREQ. */
    /**
     * Sets the deadline of an SREQ about to be written (caller holds the lock). After an SRSP timeout the
     * session is suspicious: a stick that missed one SRSP has usually wedged, and with one SREQ in
     * flight each further timeout would cost the full SREQ timeout (6 s), so a breaker threshold of 5
     * would take 30 s to see a dead stick. Until the stick answers again, SREQs get
     * {@link #SUSPECT_TIMEOUT_NANOS} instead: every failure is still a real timeout, only sooner.
     */
    private void armSreq(Pending p) {
        p.appliedNanos = suspect ? Math.min(p.timeoutNanos, SUSPECT_TIMEOUT_NANOS) : p.timeoutNanos;
        p.deadline = clock.nanos() + p.appliedNanos;
    }

    private Pending advance(Pending done) {
        synchronized (lock) {
            if (inFlight != done) {
                return null;
            }
            inFlight = null;
            if (!up || closed) {
                return null;
            }
            Pending next;
            while ((next = queue.pollFirst()) != null) {
                if (!next.future.isDone()) { // skip requests cancelled while queued
                    inFlight = next;
                    armSreq(next);
                    return next;
                }
            }
            return null;
        }
    }

    private void onFrame(UnpiFrame f) {
        framesIn.increment();
        Logger.trace("{} <-- {}", name, MtCommand.describe(f));
        if (f.type() == UnpiFrame.SRSP) {
            onSrsp(f);
        } else if (f.type() == UnpiFrame.AREQ) {
            onAreq(f);
        } else {
            unsolicited.increment();
            Logger.debug("{}: ignoring frame of type {}: {}", name, f.type(), f);
        }
    }

    private void onSrsp(UnpiFrame f) {
        Pending cur;
        synchronized (lock) {
            cur = inFlight;
            suspect = false; // the stick answers
        }
        boolean rpcError = f.subsystem() == MtCommand.Subsystem.RPC_ERROR && f.command() == 0x00;
        if (rpcError) {
            if (f.length() >= 3 && cur != null && cur.frame.cmd0() == f.u8(1) && cur.frame.command() == f.u8(2)
                    && finish(cur)) {
                rpcErrors.increment();
                Logger.warn("{}: RPC error {} for {}", name, f.u8(0), MtCommand.describe(cur.frame));
                fail(cur.future, new MtRpcException(f.u8(0), f.u8(1), f.u8(2)));
                return;
            }
            unsolicited.increment();
            Logger.debug("{}: RPC error for no request in flight: {}", name, f);
            return;
        }
        if (cur != null && cur.frame.subsystem() == f.subsystem() && cur.frame.command() == f.command() && finish(cur)) {
            if (f.length() == 0) {
                fail(cur.future, new RadioException(RadioError.REJECTED, name + ": empty SRSP for "
                        + MtCommand.describe(cur.frame)));
            } else {
                complete(cur.future, f);
            }
            return;
        }
        unsolicited.increment();
        Logger.debug("{}: unsolicited SRSP ignored: {}", name, MtCommand.describe(f));
    }

    private void onAreq(UnpiFrame f) {
        Pending hit = null;
        synchronized (lock) {
            for (Iterator<Pending> it = waiters.iterator(); it.hasNext(); ) {
                Pending w = it.next();
                if (w.future.isDone()) {
                    it.remove();
                    continue;
                }
                boolean match;
                try {
                    match = w.matcher.test(f);
                } catch (RuntimeException e) {
                    // a matcher that trips on a short frame treats it as not matching
                    Logger.debug("{}: matcher failed on {}: {}", name, f, e.toString());
                    match = false;
                }
                if (match) {
                    it.remove();
                    hit = w;
                    break;
                }
            }
        }
        if (hit != null) {
            complete(hit.future, f);
            return;
        }
        dispatch(() -> {
            for (Consumer<UnpiFrame> l : listeners) {
                try {
                    l.accept(f);
                } catch (RuntimeException e) {
                    Logger.error(e, "{}: listener failed on {}", name, MtCommand.describe(f));
                }
            }
        });
    }

    private void onLinkState(LinkState state, String reason) {
        if (state == LinkState.UP) {
            decoder.reset();
            synchronized (lock) {
                suspect = false; // a reopened port starts with a clean slate
            }
            up = true;
            Logger.info("{}: link {} up ({})", name, link.name(), reason);
        } else {
            up = false;
            Logger.warn("{}: link {} {} ({})", name, link.name(), state, reason);
            failAll("link " + state + ": " + reason);
        }
        dispatch(() -> {
            for (BiConsumer<LinkState, String> l : linkListeners) {
                try {
                    l.accept(state, reason);
                } catch (RuntimeException e) {
                    Logger.error(e, "{}: link listener failed", name);
                }
            }
        });
    }

    /**
     * Fails the SREQ in flight, every queued SREQ and every wait with {@link RadioError#RADIO_UNAVAILABLE}, the
     * link staying up. For the owner when the stick restarted by itself (an unsolicited SYS_RESET_IND): the
     * firmware that accepted them is gone, so no SRSP, confirm or callback will come, and an SREQ still queued
     * would reach a stick that is not running the network yet (Z-Stack answers it ZNwkInvalidRequest 0xC2).
     *
     * @return how many requests and waits failed
     */
    public int failPending(String why) {
        return failAll(why);
    }

    private int failAll(String why) {
        List<Pending> all = new ArrayList<>();
        synchronized (lock) {
            if (inFlight != null) {
                all.add(inFlight);
                inFlight = null;
            }
            all.addAll(queue);
            queue.clear();
            all.addAll(waiters);
            waiters.clear();
        }
        for (Pending p : all) {
            fail(p.future, new RadioException(RadioError.RADIO_UNAVAILABLE, name + ": " + why));
        }
        return all.size();
    }

    private void complete(CompletableFuture<UnpiFrame> f, UnpiFrame v) {
        dispatch(() -> f.complete(v));
    }

    private void fail(CompletableFuture<?> f, Throwable t) {
        dispatch(() -> f.completeExceptionally(t));
    }

    private void dispatch(Runnable r) {
        try {
            events.execute(r);
        } catch (RejectedExecutionException e) {
            r.run(); // the radio is shutting down: complete on this thread rather than never
        }
    }
}
