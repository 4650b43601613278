package io.tetheritall.hub.radios.link;

import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.tinylog.Logger;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A link that stays open across unplugs: it wraps a factory of real links and, whenever the
 * current one goes DOWN, closes it (freeing the port) and opens a fresh one, with capped
 * exponential backoff and jitter ({@link Backoff}).
 *
 * <p>Its listener sees the bytes of whichever link is current, and the outage as
 * {@link LinkState#DOWN} (once, with the reason) followed by {@link LinkState#UP} when a new link
 * is open. On that UP the upper layers must assume the radio lost all session state (a re-plugged
 * stick has rebooted) and restore the network; bytes written while DOWN fail with an
 * {@link IOException}, they are not queued.
 *
 * <p>{@link #open(Listener)} never fails because the device is absent: it makes the first attempt
 * at once and, if that fails, reports DOWN with the reason and keeps retrying. An optional
 * presence probe (e.g. "does /dev/ttyUSB0 exist?") is checked every
 * {@value #PROBE_INTERVAL_MS} ms while waiting, and a device that reappears is tried at once
 * instead of at the end of a long backoff.
 *
 * <p>Threads: bytes reach the listener on the current inner link's reader thread; DOWN comes from
 * that thread or the scheduler, UP and CLOSED from the scheduler or the caller of {@link #close()}.
 * Each outage yields exactly one DOWN and one UP, in that order.
 *
 * <p>All attempts run on one scheduler thread: a shared, named {@link ScheduledExecutorService}
 * passed in, or a single named thread of its own ({@code link-reconnect-<name>}).
 */
public final class ReconnectingLink implements ByteLink {
    static final long PROBE_INTERVAL_MS = 250;

    private final String name;
    private final Supplier<? extends ByteLink> factory;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final DoubleSupplier random;
    private final BooleanSupplier present;

    // Guarded by this.
    private Listener outer;
    private boolean opened;
    private boolean closed;
    private LinkState reported;
    private int attempt;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> probe;
    private long reconnects;
    private long failedAttempts;

    private volatile ByteLink current;
    private volatile Thread attemptThread;

    /** Reconnects with {@link Backoff#DEFAULT} on a scheduler thread of its own. */
    public ReconnectingLink(String name, Supplier<? extends ByteLink> factory) {
        this(name, factory, Backoff.DEFAULT, null, null, null);
    }

    /**
     * @param name      for logs, e.g. the spec
     * @param factory   makes a new, unopened link for each attempt; may throw, which counts as a failed attempt
     * @param backoff   delays between attempts
     * @param scheduler shared named scheduler, or {@code null} for a thread of its own (shut down on close)
     * @param random    uniform [0,1) source for the jitter, or {@code null} for {@link ThreadLocalRandom}
     * @param present   presence probe, or {@code null}; when it turns true during a backoff the
     *                  next attempt is made at once
     */
    public ReconnectingLink(String name, Supplier<? extends ByteLink> factory, Backoff backoff,
                            ScheduledExecutorService scheduler, DoubleSupplier random, BooleanSupplier present) {
        this.name = Objects.requireNonNull(name, "name");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.ownScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler
                : Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("link-reconnect-" + name.replaceAll("^[a-z]+://|^/+", "").replaceAll("[/:]", "-")));
        this.random = random != null ? random : () -> ThreadLocalRandom.current().nextDouble();
        this.present = present;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Starts delivering to {@code listener} and makes the first attempt, waiting up to 10 s for it
     * (not when called on the scheduler thread itself). Does not throw when the device is absent:
     * see the class comment.
     *
     * @throws IOException           if this link was closed
     * @throws IllegalStateException if already open
     */
    @Override
    public void open(Listener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        Future<?> first;
        synchronized (this) {
            if (closed) {
                throw new IOException(name + " is closed");
            }
            if (opened) {
                throw new IllegalStateException(name + " is already open");
            }
            opened = true;
            outer = listener;
            first = scheduler.submit(this::attempt);
        }
        if (Thread.currentThread() == attemptThread) {
            return; // opened from a task on our own scheduler: waiting would deadlock it
        }
        try {
            first.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // attempt() reports its own failures; a slow first open just finishes in the background
            Logger.debug("{} first attempt: {}", name, e.toString());
        }
    }

    /** One attempt to open a fresh link; on the scheduler thread. */
    private void attempt() {
        attemptThread = Thread.currentThread();
        synchronized (this) {
            if (closed) {
                return;
            }
            retry = null;
            cancelProbe();
        }
        ByteLink link = null;
        String failure;
        try {
            link = Objects.requireNonNull(factory.get(), "factory returned null");
            current = link; // before open(): bytes may arrive before open() returns
            link.open(new Inner(link));
            boolean stillWanted;
            synchronized (this) {
                stillWanted = !closed && current == link;
                if (stillWanted) {
                    attempt = 0;
                }
            }
            if (!stillWanted) {
                closeQuietly(link);
                return;
            }
            if (link.isUp()) {
                reportUp(link, "opened " + link.name());
                return;
            }
            failure = link.name() + " went down while opening";
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage() != null ? e.getMessage() : e.toString();
        }
        if (link != null) {
            synchronized (this) {
                if (current == link) {
                    current = null;
                }
            }
            closeQuietly(link);
        }
        int n;
        synchronized (this) {
            failedAttempts++;
            n = attempt;
        }
        Logger.debug("{} attempt {} failed: {}", name, n + 1, failure);
        reportDown("cannot open: " + failure);
        scheduleRetry();
    }

    private void scheduleRetry() {
        synchronized (this) {
            if (closed || retry != null) {
                return;
            }
            long delay = backoff.delayNanos(attempt, random.getAsDouble());
            attempt = attempt == Integer.MAX_VALUE ? attempt : attempt + 1;
            retry = scheduler.schedule(this::attempt, delay, TimeUnit.NANOSECONDS);
            if (present != null) {
                boolean wasPresent = safePresent();
                probe = scheduler.scheduleWithFixedDelay(new Probe(wasPresent), PROBE_INTERVAL_MS, PROBE_INTERVAL_MS,
                        TimeUnit.MILLISECONDS);
            }
            Logger.debug("{} next attempt in {} ms", name, TimeUnit.NANOSECONDS.toMillis(delay));
        }
    }

    /** Watches for the device to reappear while a retry is pending. */
    private final class Probe implements Runnable {
        private boolean wasPresent;

        Probe(boolean wasPresent) {
            this.wasPresent = wasPresent;
        }

        @Override
        public void run() {
            boolean now = safePresent();
            boolean appeared = now && !wasPresent;
            wasPresent = now;
            if (!appeared) {
                return;
            }
            synchronized (ReconnectingLink.this) {
                if (closed || retry == null) {
                    return;
                }
                retry.cancel(false);
                retry = null;
                cancelProbe();
                Logger.info("{} device reappeared; trying now", name);
                scheduler.execute(ReconnectingLink.this::attempt);
            }
        }
    }

    private boolean safePresent() {
        try {
            return present.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void cancelProbe() {
        if (probe != null) {
            probe.cancel(false);
            probe = null;
        }
    }

    /** Listens to one inner link; its events count only while it is the current one. */
    private final class Inner implements Listener {
        private final ByteLink link;

        Inner(ByteLink link) {
            this.link = link;
        }

        @Override
        public void onBytes(byte[] buf, int off, int len) {
            Listener l = outer;
            if (current == link && l != null) {
                l.onBytes(buf, off, len);
            }
        }

        @Override
        public void onState(LinkState state, String reason) {
            if (state == LinkState.UP) {
                if (current == link) {
                    reportUp(link, "opened " + link.name());
                }
                return;
            }
            synchronized (ReconnectingLink.this) {
                if (closed || current != link) {
                    return; // we closed it ourselves, or it is an old one
                }
                current = null;
            }
            reportDown(reason);
            // Free the port and plan the next attempt off the inner link's reader thread.
            try {
                scheduler.execute(() -> {
                    closeQuietly(link);
                    scheduleRetry();
                });
            } catch (RuntimeException e) {
                Logger.debug("{} scheduler refused the reconnect: {}", name, e.toString());
            }
        }
    }

    private void reportUp(ByteLink link, String reason) {
        Listener l;
        String why;
        synchronized (this) {
            if (closed || current != link || reported == LinkState.UP) {
                return;
            }
            if (reported == LinkState.DOWN) {
                reconnects++;
                why = "reconnected: " + reason;
            } else {
                why = reason;
            }
            reported = LinkState.UP;
            l = outer;
        }
        Logger.info("{} UP ({})", name, why);
        l.onState(LinkState.UP, why);
    }

    private void reportDown(String reason) {
        Listener l;
        synchronized (this) {
            if (closed || reported == LinkState.DOWN) {
                return; // one DOWN per outage, not one per failed attempt
            }
            reported = LinkState.DOWN;
            l = outer;
        }
        Logger.warn("{} DOWN ({}); reconnecting", name, reason);
        l.onState(LinkState.DOWN, reason);
    }

    @Override
    public void write(byte[] data) throws IOException {
        ByteLink c = current;
        if (c == null) {
            throw new IOException(name + " is down (reconnecting)");
        }
        c.write(data);
    }

    @Override
    public boolean isUp() {
        ByteLink c = current;
        return c != null && c.isUp();
    }

    /** Successful reconnects since open (the first open does not count). */
    public synchronized long reconnects() {
        return reconnects;
    }

    /** Failed open attempts since open. */
    public synchronized long failedAttempts() {
        return failedAttempts;
    }

    /** The link currently open, if any; for diagnostics. */
    public ByteLink current() {
        return current;
    }

    @Override
    public void close() {
        ByteLink c;
        Listener l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
            cancelProbe();
            c = current;
            current = null;
            l = outer;
        }
        if (c != null) {
            closeQuietly(c);
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
        Logger.info("{} closed", name);
        if (l != null) {
            l.onState(LinkState.CLOSED, "closed");
        }
    }

    private void closeQuietly(ByteLink link) {
        try {
            link.close();
        } catch (RuntimeException e) {
            Logger.debug("{} closing {}: {}", name, link.name(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "ReconnectingLink[" + name + (isUp() ? ", up" : ", down") + "]";
    }
}
