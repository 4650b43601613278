package io.tetheritall.hub.radios.scheduler;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.tetheritall.hub.radios.api.AddressMode;
import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.NodeDescriptor;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import io.tetheritall.hub.radios.api.ZigbeeRadio;
import io.tetheritall.hub.radios.time.ExecutorTaskScheduler;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.TaskScheduler;
import io.tetheritall.hub.radios.time.VirtualScheduler;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A radio behind its traffic policy: the one place where a radio's limits, retries and breaker live.
 * Drivers use it exactly like the bare {@link ZigbeeRadio} it wraps.
 *
 * <p>What happens to a request, in order:
 * <ol>
 *   <li>Admission (at once): breaker open → {@link RadioError#CIRCUIT_OPEN}; the client's bucket empty,
 *       the device's queue or the radio's queue full → {@link RadioError#BUSY}; the device known
 *       unreachable → {@link RadioError#DEVICE_UNREACHABLE}; each with a retry-after. A queued request
 *       with the same coalesce key to the same destination is replaced ({@link RadioError#SUPERSEDED}).</li>
 *   <li>Queueing: one queue per destination (device, group or broadcast address) and priority. Queues
 *       are served round-robin within a priority, priorities strictly in order.</li>
 *   <li>Dispatch, when the in-flight window has room, the destination has nothing in flight (at most one
 *       request per device), the unicast or the broadcast bucket (and the broadcast window) has a token
 *       and the breaker permits a call.</li>
 *   <li>Answer: success grows the window slowly; BUFFER_FULL-like statuses shrink it and the request is
 *       retried after a doubling backoff, until its attempts or its deadline run out (then
 *       {@link RadioError#BUSY} or {@link RadioError#DEADLINE_EXCEEDED}: a raw congestion status never
 *       reaches the caller); a definite answer is passed through without retry.</li>
 * </ol>
 *
 * <p>All state lives on one {@link TaskScheduler} thread; nothing parks: waits for tokens, backoffs
 * and deadlines are timers. Futures complete on that thread. ZDO requests take the same path (POLL or
 * BACKGROUND priority, per-device queue, breaker); {@link #start()} and listeners go straight through.
 */
public final class ScheduledRadio implements ZigbeeRadio {
    private static final Priority[] PRIORITIES = Priority.values();
    private static final int GROUP_LANE = 0x10000;
    private static final int BROADCAST_LANE = 0x20000;

    private final ZigbeeRadio radio;
    private final SchedulerConfig config;
    private final List<String> configProblems;
    private final TaskScheduler scheduler;
    private final HubClock clock;
    private final CircuitBreaker breaker;
    private final TokenBucket unicastBucket;
    private final TokenBucket broadcastBucket;
    private final WindowLimiter broadcastWindow;
    private final Map<String, TokenBucket> clients;
    private final List<RadioListener> listeners = new CopyOnWriteArrayList<>();
    private final RadioListener fromRadio;
    private volatile Runnable trafficHook;

    // Dispatcher state: scheduler thread only.
    private final Map<Integer, Lane> lanes = new HashMap<>();
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<Lane>[] ready = new ArrayDeque[PRIORITIES.length];
    private long seq;
    private int queuedTotal;
    private boolean pumping;
    private TaskScheduler.Cancellable wakeTimer = TaskScheduler.Cancellable.NONE;
    private long wakeAt = Long.MAX_VALUE;
    private long openedAt;
    private boolean recovering;
    private boolean closed;
    private long avgServiceNanos = 50_000_000L;
    private int successesSinceResize;
    private int growAfter;

    // Read by stats() from any thread.
    private volatile int window;
    private volatile int inFlight;
    private final int[] queuedByPriority = new int[PRIORITIES.length];
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimitHits = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();
    private final AtomicLong deadlineExceeded = new AtomicLong();
    private final AtomicLong unreachableFastFails = new AtomicLong();
    private final AtomicLong circuitOpenRejections = new AtomicLong();
    private final AtomicLong congestionEvents = new AtomicLong();
    private final AtomicLong breakerTransitions = new AtomicLong();
    private final AtomicLong recoveries = new AtomicLong();

    /**
     * @param radio     the bare radio; this wrapper owns it from now on (closing this closes it)
     * @param config    the policy; broken values fall back to defaults with a warning (see {@link #configProblems()})
     * @param scheduler the radio's event thread and timers ({@link ExecutorTaskScheduler} or {@link VirtualScheduler});
     *                  one per radio, shared with its recovery supervisor; an {@link ExecutorTaskScheduler} is shut
     *                  down by {@link #close()}
     */
    public ScheduledRadio(ZigbeeRadio radio, SchedulerConfig config, TaskScheduler scheduler) {
        this.radio = Objects.requireNonNull(radio, "radio");
        this.configProblems = config == null ? List.of("config missing") : config.problems();
        this.config = config == null ? SchedulerConfig.defaults() : config.sanitized();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = scheduler.clock();
        this.breaker = RadioBreakers.create("radio-" + radio.id(), this.config, clock);
        this.unicastBucket = new TokenBucket(clock, this.config.unicastRate(), this.config.unicastBurst());
        this.broadcastBucket = new TokenBucket(clock, this.config.broadcastRate(), this.config.broadcastBurst());
        this.broadcastWindow = new WindowLimiter(clock, this.config.broadcastWindowMax(), this.config.broadcastWindow().toNanos());
        int maxClients = this.config.maxClients();
        this.clients = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                return size() > maxClients;
            }
        };
        for (int i = 0; i < ready.length; i++) {
            ready[i] = new ArrayDeque<>();
        }
        NetworkInfo net = radio.network();
        this.window = clampWindow(this.config.windowInitial() != 0 ? this.config.windowInitial()
                : SchedulerConfig.windowForFirmware(net == null ? null : net.firmware()));
        this.growAfter = this.config.windowGrowAfter();
        breaker.getEventPublisher().onStateTransition(e -> onBreakerTransition(e.getStateTransition()));
        this.fromRadio = new Forwarder();
        radio.addListener(fromRadio);
    }

    /**
     * A scheduled radio on its own named thread ({@code radio-<id>}) and the system clock: the production setup.
     */
    public static ScheduledRadio create(ZigbeeRadio radio, SchedulerConfig config) {
        return new ScheduledRadio(radio, config, new ExecutorTaskScheduler("radio-" + radio.id()));
    }

    /** The scheduler this radio runs on (share it with the radio's recovery supervisor). */
    public TaskScheduler scheduler() {
        return scheduler;
    }

    /**
     * Called on the radio's thread each time a request is handed to the radio (e.g. {@code StatusLed::traffic});
     * must return at once. Null removes it.
     */
    public void onTraffic(Runnable hook) {
        trafficHook = hook;
    }

    /** The bare radio behind the policy (for the recovery supervisor's probe and resets). */
    public ZigbeeRadio bare() {
        return radio;
    }

    /** The effective (sanitized) config. */
    public SchedulerConfig config() {
        return config;
    }

    /** What was wrong with the given config and replaced by defaults; empty if nothing. */
    public List<String> configProblems() {
        return configProblems;
    }

    /** The radio's breaker, for metrics binding (resilience4j-micrometer) and tests. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public String id() {
        return radio.id();
    }

    @Override
    public CompletableFuture<NetworkInfo> start() {
        return radio.start().thenApply(net -> {
            if (config.windowInitial() == 0 && net != null) {
                int w = clampWindow(SchedulerConfig.windowForFirmware(net.firmware()));
                scheduler.execute(() -> {
                    window = w;
                    Logger.info("radio {}: firmware '{}', in-flight window {}", id(), net.firmware(), w);
                    pump();
                });
            }
            return net;
        });
    }

    @Override
    public RadioState state() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN) {
            return RadioState.DOWN;
        }
        return radio.state();
    }

    @Override
    public NetworkInfo network() {
        return radio.network();
    }

    @Override
    public CompletableFuture<Void> send(OutgoingMessage message, SendOptions options) {
        Objects.requireNonNull(message, "message");
        SendOptions o = options == null ? SendOptions.DEFAULT : options;
        int lane = switch (message.mode()) {
            case NWK -> message.address();
            case GROUP -> GROUP_LANE | message.address();
            case BROADCAST -> BROADCAST_LANE | message.address();
        };
        return submit(lane, message.mode().isBroadcastLike(), o, "send " + message.mode() + " 0x"
                + Integer.toHexString(message.address()) + " cluster 0x" + Integer.toHexString(message.clusterId()),
                r -> r.send(message, o));
    }

    @Override
    public CompletableFuture<Void> permitJoin(Duration duration, int viaRouter) {
        // Network-wide permit join is a ZDO broadcast to 0xFFFC: it spends the broadcast budget.
        boolean bcast = viaRouter < 0;
        int lane = bcast ? BROADCAST_LANE | OutgoingMessage.BROADCAST_ROUTERS : viaRouter & 0xFFFF;
        return submit(lane, bcast, zdo(Priority.INTERACTIVE), "permitJoin " + duration, r -> r.permitJoin(duration, viaRouter));
    }

    @Override
    public CompletableFuture<NodeDescriptor> nodeDescriptor(int nwk) {
        return submit(nwk & 0xFFFF, false, zdo(Priority.POLL), "nodeDescriptor", r -> r.nodeDescriptor(nwk));
    }

    @Override
    public CompletableFuture<List<Integer>> activeEndpoints(int nwk) {
        return submit(nwk & 0xFFFF, false, zdo(Priority.POLL), "activeEndpoints", r -> r.activeEndpoints(nwk));
    }

    @Override
    public CompletableFuture<SimpleDescriptor> simpleDescriptor(int nwk, int endpoint) {
        return submit(nwk & 0xFFFF, false, zdo(Priority.POLL), "simpleDescriptor", r -> r.simpleDescriptor(nwk, endpoint));
    }

    @Override
    public CompletableFuture<Void> requestLeave(int nwk, long ieee) {
        return submit(nwk & 0xFFFF, false, zdo(Priority.POLL), "requestLeave", r -> r.requestLeave(nwk, ieee));
    }

    @Override
    public CompletableFuture<Void> bind(int nwk, long ieee, int endpoint, int clusterId) {
        return submit(nwk & 0xFFFF, false, zdo(Priority.BACKGROUND), "bind",
                r -> r.bind(nwk, ieee, endpoint, clusterId));
    }

    @Override
    public void addListener(RadioListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(RadioListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable shut = () -> {
            closed = true;
            failAllQueued(RadioError.RADIO_UNAVAILABLE, 0, "radio closed");
            wakeTimer.cancel();
            done.complete(null);
        };
        if (scheduler.inSchedulerThread()) {
            shut.run();
        } else {
            scheduler.execute(shut);
            try {
                done.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                Logger.warn("radio {}: scheduler did not drain on close: {}", id(), e.toString());
            }
        }
        radio.removeListener(fromRadio);
        radio.close();
        if (scheduler instanceof ExecutorTaskScheduler ex) {
            ex.close();
        }
    }

    // ---- recovery hooks -------------------------------------------------------------------------

    /**
     * Holds the breaker open while a recovery runs: queued requests fail fast with CIRCUIT_OPEN and no
     * trial call disturbs a radio being reset.
     */
    public void beginRecovery(String reason) {
        scheduler.execute(() -> {
            if (!recovering) {
                recovering = true;
                Logger.warn("radio {}: recovery started: {}", id(), reason);
                breaker.transitionToForcedOpenState();
            }
        });
    }

    /** Ends a recovery: on success closes the breaker and forgets unreachable marks (devices come back). */
    public void endRecovery(boolean ok) {
        scheduler.execute(() -> {
            if (!recovering) {
                return;
            }
            recovering = false;
            if (ok) {
                recoveries.incrementAndGet();
                for (Lane l : lanes.values()) {
                    l.clearUnreachable();
                }
                breaker.transitionToClosedState();
                Logger.info("radio {}: recovered", id());
                pump();
            } else {
                breaker.transitionToOpenState();
            }
        });
    }

    /**
     * The bare radio says it is up again by itself (it restored its network after the stick rebooted or the
     * link came back): requests that failed RADIO_UNAVAILABLE meanwhile may have opened the breaker, but
     * the radio has just answered a whole restore sequence, so waiting out the open state would only fail
     * commands to a working radio. Close it, unless the recovery supervisor is in charge.
     */
    private void radioRestoredItself(String reason) {
        CircuitBreaker.State st = breaker.getState();
        if (!recovering && !closed && (st == CircuitBreaker.State.OPEN || st == CircuitBreaker.State.HALF_OPEN)) {
            Logger.info("radio {}: the radio is up again by itself ({}); closing the breaker", id(), reason);
            breaker.transitionToClosedState();
            pump();
        }
    }

    /** A snapshot of the policy's state (safe from any thread; fields may be a few events apart). */
    public SchedulerStats stats() {
        return new SchedulerStats(id(), queuedByPriority[0], queuedByPriority[1], queuedByPriority[2], inFlight, window,
                unicastBucket.available(), broadcastBucket.available(), broadcastWindow.inWindow(),
                delivered.get(), failed.get(), retries.get(), rateLimitHits.get(), superseded.get(),
                deadlineExceeded.get(), unreachableFastFails.get(), circuitOpenRejections.get(), congestionEvents.get(),
                breaker.getState().name(), breakerTransitions.get(), recoveries.get());
    }

    // ---- admission ------------------------------------------------------------------------------

    private static SendOptions zdo(Priority p) {
        return new SendOptions(p, null, null, Duration.ofSeconds(15));
    }

    private <T> CompletableFuture<T> submit(int laneKey, boolean bcast, SendOptions o, String what,
                                            Function<ZigbeeRadio, CompletableFuture<T>> op) {
        Request<T> req = new Request<>(laneKey, bcast, o, what, op, clock.nanos() + o.deadline().toNanos());
        scheduler.execute(() -> admit(req));
        return req.future;
    }

    private void admit(Request<?> req) {
        long now = clock.nanos();
        req.seq = seq++;
        if (closed) {
            req.fail(new RadioException(RadioError.RADIO_UNAVAILABLE, "radio " + id() + " is closed"));
            return;
        }
        long openFor = openRemainingNanos(now);
        if (openFor > 0) {
            circuitOpenRejections.incrementAndGet();
            req.fail(new PolicyAnswer(RadioError.CIRCUIT_OPEN, millisCeil(openFor),
                    "radio " + id() + " is failing; circuit open", null));
            return;
        }
        Lane lane = lanes.computeIfAbsent(req.laneKey, Lane::new);
        if (lane.unreachable) {
            if (now < lane.nextProbeAt) {
                unreachableFastFails.incrementAndGet();
                req.fail(new PolicyAnswer(RadioError.DEVICE_UNREACHABLE, millisCeil(lane.nextProbeAt - now),
                        "device 0x" + Integer.toHexString(req.laneKey & 0xFFFF) + " is known unreachable", null));
                return;
            }
            // This request is the probe; the next ones fail fast until it answers or the interval passes again.
            lane.nextProbeAt = now + config.unreachableProbeInterval().toNanos();
        }
        Request<?> older = req.coalesceKey == null ? null : lane.findQueued(req.coalesceKey);
        if (older == null) {
            if (req.clientId != null) {
                TokenBucket b = clients.computeIfAbsent(req.clientId,
                        k -> new TokenBucket(clock, config.clientRate(), config.clientBurst()));
                long wait = b.tryTake();
                if (wait > 0) {
                    busy(req, wait, "client " + req.clientId + " is over its rate limit");
                    return;
                }
            }
            if (lane.size() >= config.queuePerDevice() && !evictLower(lane, req.priority)) {
                busy(req, (lane.size() + 1) * avgServiceNanos, "queue for 0x"
                        + Integer.toHexString(req.laneKey & 0xFFFF) + " is full");
                return;
            }
            if (queuedTotal >= config.queueTotal() && !evictLowerAnywhere(req.priority)) {
                busy(req, (queuedTotal / Math.max(1, window) + 1) * avgServiceNanos, "radio queue is full");
                return;
            }
            enqueue(lane, req, false);
        } else {
            // The newest wins: take the older one's place if the priority matches, so it keeps its turn.
            lane.remove(older);
            dequeued(older);
            superseded.incrementAndGet();
            older.fail(new PolicyAnswer(RadioError.SUPERSEDED, 0, "replaced by a newer request (" + req.coalesceKey + ")", null));
            if (older.priority == req.priority) {
                lane.queues[req.priority.ordinal()].add(older.index, req);
                enqueued(lane, req);
            } else {
                enqueue(lane, req, false);
            }
        }
        TaskScheduler.Cancellable t = scheduler.schedule(() -> expire(req), Math.max(0, req.deadline - now));
        req.deadlineTimer = t;
        pump();
    }

    /**
     * A full queue must not lock out a person's command behind background work: the newest queued request of
     * a lower priority in {@code lane} makes room (it is answered BUSY). Returns whether room was made.
     */
    private boolean evictLower(Lane lane, Priority incoming) {
        for (int p = PRIORITIES.length - 1; p > incoming.ordinal(); p--) {
            List<Request<?>> q = lane.queues[p];
            if (!q.isEmpty()) {
                Request<?> victim = q.remove(q.size() - 1);
                dequeued(victim);
                busy(victim, (queuedTotal / Math.max(1, window) + 1) * avgServiceNanos,
                        "displaced by a higher-priority request");
                return true;
            }
        }
        return false;
    }

    /** As {@link #evictLower(Lane, Priority)}, over the whole radio, lowest priority first. */
    private boolean evictLowerAnywhere(Priority incoming) {
        for (int p = PRIORITIES.length - 1; p > incoming.ordinal(); p--) {
            if (queuedByPriority[p] == 0) {
                continue;
            }
            for (Iterator<Lane> it = ready[p].iterator(); it.hasNext(); ) {
                Lane lane = it.next();
                if (!lane.queues[p].isEmpty()) {
                    return evictLower(lane, incoming);
                }
                // A stale ring entry (its queue emptied since): drop it here rather than scan it again.
                it.remove();
                lane.inReady[p] = false;
            }
        }
        return false;
    }

    private void busy(Request<?> req, long waitNanos, String why) {
        rateLimitHits.incrementAndGet();
        req.fail(new PolicyAnswer(RadioError.BUSY, Math.max(1, millisCeil(waitNanos)), why, null));
    }

    private long openRemainingNanos(long now) {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.FORCED_OPEN || recovering) {
            return Math.max(1, config.breakerRecoveryTimeout().toNanos());
        }
        if (s == CircuitBreaker.State.OPEN) {
            long left = openedAt + config.breakerRecoveryTimeout().toNanos() - now;
            return Math.max(0, left);
        }
        return 0;
    }

    private void enqueue(Lane lane, Request<?> req, boolean front) {
        List<Request<?>> q = lane.queues[req.priority.ordinal()];
        if (front) {
            q.add(0, req);
        } else {
            q.add(req);
        }
        enqueued(lane, req);
    }

    private void enqueued(Lane lane, Request<?> req) {
        int p = req.priority.ordinal();
        req.queued = true;
        queuedTotal++;
        queuedByPriority[p]++;
        if (!lane.inReady[p]) {
            lane.inReady[p] = true;
            ready[p].addLast(lane);
        }
    }

    private void dequeued(Request<?> req) {
        req.queued = false;
        queuedTotal--;
        queuedByPriority[req.priority.ordinal()]--;
    }

    private void expire(Request<?> req) {
        if (!req.queued) {
            return;
        }
        Lane lane = lanes.get(req.laneKey);
        if (lane != null) {
            lane.remove(req);
        }
        dequeued(req);
        deadlineExceeded.incrementAndGet();
        req.fail(new PolicyAnswer(RadioError.DEADLINE_EXCEEDED, 0,
                "deadline passed after " + req.attempts + " attempt(s) for " + req.what, req.lastError));
    }

    // ---- dispatch -------------------------------------------------------------------------------

    private void pump() {
        if (pumping || closed) {
            return;
        }
        pumping = true;
        try {
            long now = clock.nanos();
            long nextWake = Long.MAX_VALUE;
            outer:
            while (inFlight < window && queuedTotal > 0) {
                Request<?> picked = null;
                Lane pickedLane = null;
                for (int p = 0; p < PRIORITIES.length && picked == null; p++) {
                    ArrayDeque<Lane> ring = ready[p];
                    for (int n = ring.size(); n > 0; n--) {
                        Lane lane = ring.pollFirst();
                        List<Request<?>> q = lane.queues[p];
                        if (q.isEmpty()) {
                            lane.inReady[p] = false;
                            continue;
                        }
                        if (lane.inFlight) {
                            ring.addLast(lane);
                            continue;
                        }
                        if (lane.notBefore > now) {
                            nextWake = Math.min(nextWake, lane.notBefore);
                            ring.addLast(lane);
                            continue;
                        }
                        Request<?> head = q.get(0);
                        long wait = head.broadcast
                                ? Math.max(broadcastBucket.nanosUntilAvailable(), broadcastWindow.nanosUntilAvailable())
                                : unicastBucket.nanosUntilAvailable();
                        if (wait > 0) {
                            nextWake = Math.min(nextWake, now + wait);
                            ring.addLast(lane);
                            continue;
                        }
                        if (!breaker.tryAcquirePermission()) {
                            ring.addFirst(lane);
                            if (breaker.getState() != CircuitBreaker.State.HALF_OPEN) {
                                failAllQueued(RadioError.CIRCUIT_OPEN, openRemainingNanos(now), "circuit open");
                            }
                            break outer;
                        }
                        if (head.broadcast) {
                            broadcastBucket.tryTake();
                            broadcastWindow.record();
                        } else {
                            unicastBucket.tryTake();
                        }
                        q.remove(0);
                        if (q.isEmpty()) {
                            lane.inReady[p] = false;
                        } else {
                            ring.addLast(lane);
                        }
                        picked = head;
                        pickedLane = lane;
                        break;
                    }
                }
                if (picked == null) {
                    break;
                }
                dequeued(picked);
                dispatch(pickedLane, picked);
            }
            armWake(queuedTotal > 0 ? nextWake : Long.MAX_VALUE);
        } finally {
            pumping = false;
        }
    }

    private void armWake(long at) {
        if (at == wakeAt) {
            return;
        }
        wakeTimer.cancel();
        wakeAt = at;
        if (at != Long.MAX_VALUE) {
            wakeTimer = scheduler.schedule(() -> {
                wakeAt = Long.MAX_VALUE;
                wakeTimer = TaskScheduler.Cancellable.NONE;
                pump();
            }, at - clock.nanos());
        } else {
            wakeTimer = TaskScheduler.Cancellable.NONE;
        }
    }

    private <T> void dispatch(Lane lane, Request<T> req) {
        lane.inFlight = true;
        inFlight++;
        req.attempts++;
        long started = clock.nanos();
        Runnable hook = trafficHook;
        if (hook != null) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                Logger.warn("radio {}: traffic hook failed: {}", id(), e.toString());
            }
        }
        CompletableFuture<T> f;
        try {
            f = req.op.apply(radio);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, t) -> scheduler.execute(() -> answered(lane, req, v, t, started)));
    }

    private <T> void answered(Lane lane, Request<T> req, T value, Throwable t, long started) {
        long now = clock.nanos();
        long took = now - started;
        boolean windowWasFull = inFlight >= window;
        lane.inFlight = false;
        inFlight--;
        avgServiceNanos += (took - avgServiceNanos) / 8;
        if (t == null) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            lane.consecutiveUnreachable = 0;
            lane.clearUnreachable();
            if (windowWasFull) {
                grow();
            }
            delivered.incrementAndGet();
            req.cancelTimer();
            req.future.complete(value);
            pump();
            return;
        }
        RadioException re = RadioException.find(t);
        boolean trial = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
        breaker.onError(took, TimeUnit.NANOSECONDS, re != null ? re : t);
        if (trial && RadioBreakers.isRadioFailure(t) && breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            // resilience4j would wait for all trial calls and compare a failure rate; one radio timeout
            // during the trial already says the radio is still sick.
            breaker.transitionToOpenState();
        }
        if (re == null) {
            re = new RadioException(RadioError.REJECTED, -1, 0, "radio failed: " + t, t);
        }
        req.lastError = re;
        if (isTransient(re)) {
            if (isBufferShortage(re)) {
                congestionEvents.incrementAndGet();
                shrink();
            }
            long backoff = backoffNanos(req.attempts);
            if (req.attempts >= config.retryAttempts()) {
                rateLimitHits.incrementAndGet();
                fail(req, new PolicyAnswer(RadioError.BUSY, millisCeil(backoff),
                        "radio busy after " + req.attempts + " attempts for " + req.what, re));
            } else if (now + backoff >= req.deadline) {
                deadlineExceeded.incrementAndGet();
                fail(req, new PolicyAnswer(RadioError.DEADLINE_EXCEEDED, 0,
                        "deadline would pass before retry " + (req.attempts + 1) + " of " + req.what, re));
            } else if (closed || openRemainingNanos(now) > 0) {
                circuitOpenRejections.incrementAndGet();
                fail(req, new PolicyAnswer(RadioError.CIRCUIT_OPEN, millisCeil(openRemainingNanos(now)),
                        "circuit open", re));
            } else {
                retries.incrementAndGet();
                lane.notBefore = Math.max(lane.notBefore, now + backoff);
                enqueue(lane, req, true);
            }
        } else {
            if (re.error() == RadioError.DEVICE_UNREACHABLE && (req.laneKey & ~0xFFFF) == 0) {
                lane.consecutiveUnreachable++;
                if (lane.consecutiveUnreachable >= config.unreachableAfter() && !lane.unreachable) {
                    markUnreachable(lane, now);
                }
            }
            fail(req, re);
        }
        pump();
    }

    private void fail(Request<?> req, RadioException e) {
        failed.incrementAndGet();
        req.fail(e);
    }

    private void markUnreachable(Lane lane, long now) {
        lane.unreachable = true;
        lane.nextProbeAt = now + config.unreachableProbeInterval().toNanos();
        Logger.info("radio {}: device 0x{} is unreachable; failing fast, probing every {}", id(),
                Integer.toHexString(lane.key), config.unreachableProbeInterval());
        long retryAfter = millisCeil(config.unreachableProbeInterval().toNanos());
        for (List<Request<?>> q : lane.queues) {
            for (Request<?> r : new ArrayList<>(q)) {
                q.remove(r);
                dequeued(r);
                unreachableFastFails.incrementAndGet();
                r.fail(new PolicyAnswer(RadioError.DEVICE_UNREACHABLE, retryAfter,
                        "device 0x" + Integer.toHexString(lane.key) + " is unreachable", null));
            }
        }
    }

    private static boolean isTransient(RadioException re) {
        if (re.error() == RadioError.CONGESTED) {
            return true;
        }
        // Transient MAC/NWK statuses, whatever error class the coordinator put them in.
        return switch (re.status()) {
            case 0x10, 0x11, 0x1A, 0xC7, 0xE1, 0xF1 -> true;
            default -> false;
        };
    }

    private static boolean isBufferShortage(RadioException re) {
        // BUFFER_FULL, MEM_ERROR, MAC_NO_RESOURCES (or a congestion without status): our window was too large.
        int s = re.status();
        return s == 0x11 || s == 0x10 || s == 0x1A || (s == -1 && re.error() == RadioError.CONGESTED);
    }

    private long backoffNanos(int attempts) {
        long base = config.retryBase().toNanos();
        long max = config.retryMax().toNanos();
        long b = base << Math.min(20, Math.max(0, attempts - 1));
        return b <= 0 ? max : Math.min(max, b);
    }

    /** Grows only when the window was what limited us (like TCP's cwnd validation), so idle times do not inflate it. */
    private void grow() {
        if (++successesSinceResize >= growAfter && window < config.windowMax()) {
            window = window + 1;
            successesSinceResize = 0;
        }
    }

    private void shrink() {
        // The radio refused with `inFlight` others in its buffers: that is about its capacity right now.
        int w = Math.max(config.windowMin(), Math.min(window - 1, inFlight));
        if (w != window) {
            Logger.debug("radio {}: in-flight window {} -> {} after a buffer shortage", id(), window, w);
        }
        window = w;
        successesSinceResize = 0;
        // Each refusal is a burden on the radio too: probe above the learnt limit ever more rarely.
        growAfter = (int) Math.min(4096L, growAfter * 2L);
    }

    private int clampWindow(int w) {
        return Math.max(config.windowMin(), Math.min(config.windowMax(), w));
    }

    private void failAllQueued(RadioError error, long retryAfterNanos, String why) {
        for (Lane lane : lanes.values()) {
            for (List<Request<?>> q : lane.queues) {
                for (Iterator<Request<?>> it = q.iterator(); it.hasNext(); ) {
                    Request<?> r = it.next();
                    it.remove();
                    dequeued(r);
                    if (error == RadioError.CIRCUIT_OPEN) {
                        circuitOpenRejections.incrementAndGet();
                    }
                    r.fail(new PolicyAnswer(error, millisCeil(retryAfterNanos), why, r.lastError));
                }
            }
        }
        for (ArrayDeque<Lane> ring : ready) {
            for (Lane l : ring) {
                java.util.Arrays.fill(l.inReady, false);
            }
            ring.clear();
        }
    }

    private void onBreakerTransition(CircuitBreaker.StateTransition tr) {
        breakerTransitions.incrementAndGet();
        CircuitBreaker.State to = tr.getToState();
        Logger.info("radio {}: breaker {}", id(), tr);
        Runnable r = () -> {
            if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                openedAt = clock.nanos();
                failAllQueued(RadioError.CIRCUIT_OPEN, openRemainingNanos(openedAt), "radio " + id() + " circuit open");
                if (tr.getFromState() == CircuitBreaker.State.CLOSED) {
                    notifyState(RadioState.DOWN, "radio not answering: " + config.breakerFailureThreshold()
                            + " radio-level failures in a row");
                }
            } else if (to == CircuitBreaker.State.CLOSED) {
                notifyState(RadioState.UP, "radio answering again");
            }
        };
        if (scheduler.inSchedulerThread()) {
            r.run();
        } else {
            scheduler.execute(r);
        }
    }

    private void notifyState(RadioState s, String reason) {
        for (RadioListener l : listeners) {
            try {
                l.stateChanged(s, reason);
            } catch (RuntimeException e) {
                Logger.error(e, "radio {}: listener failed on state {}", id(), s);
            }
        }
    }

    private static long millisCeil(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    /** Passes the bare radio's events on, and learns from them (a device that talks is reachable). */
    private final class Forwarder implements RadioListener {
        @Override
        public void deviceJoined(int nwk, long ieee, int parentNwk) {
            heard(nwk);
            listeners.forEach(l -> l.deviceJoined(nwk, ieee, parentNwk));
        }

        @Override
        public void deviceAnnounced(int nwk, long ieee, int capabilities) {
            heard(nwk);
            listeners.forEach(l -> l.deviceAnnounced(nwk, ieee, capabilities));
        }

        @Override
        public void deviceLeft(int nwk, long ieee, boolean rejoin) {
            listeners.forEach(l -> l.deviceLeft(nwk, ieee, rejoin));
        }

        @Override
        public void messageReceived(IncomingMessage message) {
            heard(message.srcNwk());
            listeners.forEach(l -> l.messageReceived(message));
        }

        @Override
        public void stateChanged(RadioState state, String reason) {
            if (state == RadioState.UP) {
                scheduler.execute(() -> radioRestoredItself(reason));
            }
            listeners.forEach(l -> l.stateChanged(state, reason));
        }

        private void heard(int nwk) {
            scheduler.execute(() -> {
                Lane lane = lanes.get(nwk & 0xFFFF);
                if (lane != null) {
                    lane.consecutiveUnreachable = 0;
                    lane.clearUnreachable();
                }
            });
        }
    }

    /**
     * A refusal by policy (BUSY, CIRCUIT_OPEN, SUPERSEDED, fast-fail...): under overload there are thousands per
     * second and their stack traces would say nothing but "the scheduler", so none is filled in.
     */
    private static final class PolicyAnswer extends RadioException {
        private static final long serialVersionUID = 1L;

        PolicyAnswer(RadioError error, long retryAfterMillis, String message, Throwable cause) {
            super(error, -1, retryAfterMillis, message, cause);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** One destination: a device, a group or a broadcast address. */
    private static final class Lane {
        final int key;
        @SuppressWarnings({"unchecked", "rawtypes"})
        final List<Request<?>>[] queues = new List[PRIORITIES.length];
        final boolean[] inReady = new boolean[PRIORITIES.length];
        boolean inFlight;
        long notBefore;
        int consecutiveUnreachable;
        boolean unreachable;
        long nextProbeAt;

        Lane(int key) {
            this.key = key;
            for (int i = 0; i < queues.length; i++) {
                queues[i] = new ArrayList<>(4);
            }
        }

        int size() {
            int n = 0;
            for (List<Request<?>> q : queues) {
                n += q.size();
            }
            return n;
        }

        Request<?> findQueued(String coalesceKey) {
            for (List<Request<?>> q : queues) {
                for (int i = 0; i < q.size(); i++) {
                    Request<?> r = q.get(i);
                    if (coalesceKey.equals(r.coalesceKey)) {
                        r.index = i;
                        return r;
                    }
                }
            }
            return null;
        }

        void remove(Request<?> r) {
            queues[r.priority.ordinal()].remove(r);
        }

        void clearUnreachable() {
            unreachable = false;
            nextProbeAt = 0;
        }
    }

    /** One request from admission to answer. */
    private static final class Request<T> {
        final int laneKey;
        final boolean broadcast;
        final Priority priority;
        final String coalesceKey;
        final String clientId;
        final String what;
        final Function<ZigbeeRadio, CompletableFuture<T>> op;
        final long deadline;
        final CompletableFuture<T> future = new CompletableFuture<>();
        long seq;
        int attempts;
        int index;
        boolean queued;
        RadioException lastError;
        TaskScheduler.Cancellable deadlineTimer = TaskScheduler.Cancellable.NONE;

        Request(int laneKey, boolean broadcast, SendOptions o, String what,
                Function<ZigbeeRadio, CompletableFuture<T>> op, long deadline) {
            this.laneKey = laneKey;
            this.broadcast = broadcast;
            this.priority = o.priority();
            this.coalesceKey = o.coalesceKey();
            this.clientId = o.clientId();
            this.what = what;
            this.op = op;
            this.deadline = deadline;
        }

        void cancelTimer() {
            deadlineTimer.cancel();
        }

        void fail(RadioException e) {
            cancelTimer();
            future.completeExceptionally(e);
        }
    }
}
