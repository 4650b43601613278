package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.drivers.zigbee.cluster.ZclRequest;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclHeader;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.api.ZigbeeRadio;
import io.tetheritall.hub.radios.time.HubClock;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** What the hub core's parts share: the radio, time, the pending table, the registry, events and metrics. */
final class HubContext {
    final ZigbeeRadio radio;
    final HubClock clock;
    final LongSupplier wallMillis;
    final ClockScheduler scheduler;
    final ZclTransactions transactions;
    final DeviceRegistry registry;
    final EventBus events = new EventBus();
    final HubMetrics metrics;
    final CoreConfig config;
    final DefinitionRegistry definitions;

    HubContext(ZigbeeRadio radio, HubClock clock, LongSupplier wallMillis, DeviceRegistry registry,
               HubMetrics metrics, CoreConfig config, DefinitionRegistry definitions) {
        this.radio = radio;
        this.clock = clock;
        this.wallMillis = wallMillis;
        this.scheduler = new ClockScheduler(clock);
        this.transactions = new ZclTransactions(clock);
        this.registry = registry;
        this.metrics = metrics;
        this.config = config;
        this.definitions = definitions;
    }

    /** Fails {@code f} with a {@link Errors.StepTimeoutException} if it has not finished within {@code d}. */
    <T> CompletableFuture<T> within(CompletableFuture<T> f, Duration d, String what) {
        CompletableFuture<T> out = new CompletableFuture<>();
        ClockScheduler.Timer timer = scheduler.schedule(d, () ->
                out.completeExceptionally(new Errors.StepTimeoutException(what + ": no answer within " + d)));
        f.whenComplete((v, e) -> {
            timer.cancel();
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        });
        return out;
    }

    /**
     * Sends a ZCL frame to a device endpoint. With {@code expectAnswer} the future completes with the
     * answering frame (matched by TSN in the pending table; null if a matching report confirmed
     * {@code expectedState} first); otherwise it completes (with null) once the radio confirms the send.
     */
    CompletableFuture<ZclFrame> request(Device d, int endpoint, int clusterId, boolean clusterSpecific, int commandId,
                                        byte[] payload, boolean expectAnswer, Duration timeout, SendOptions options,
                                        Map<String, Object> expectedState, String what) {
        int tsn = transactions.nextTsn();
        int nwk;
        synchronized (registry) {
            nwk = d.nwk;
        }
        ZclFrame frame = new ZclFrame(new ZclHeader(clusterSpecific, -1, false, !expectAnswer, tsn, commandId),
                payload);
        OutgoingMessage msg = OutgoingMessage.unicast(nwk, endpoint, clusterId, frame.encode());
        if (!expectAnswer) {
            return within(safeSend(msg, options), timeout, what).thenApply(v -> null);
        }
        ZclTransactions.Pending p = transactions.register(nwk, clusterId, tsn, timeout, what, expectedState);
        safeSend(msg, options).whenComplete((v, e) -> {
            if (e != null) {
                transactions.forget(p);
                p.future().completeExceptionally(e);
            }
        });
        return p.future();
    }

    /** A radio that throws instead of failing its future must not break the caller's future chain. */
    CompletableFuture<Void> safeSend(OutgoingMessage msg, SendOptions options) {
        try {
            CompletableFuture<Void> f = radio.send(msg, options);
            return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("radio returned null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Reads attributes; completes with the response frame. */
    CompletableFuture<ZclFrame> read(Device d, int endpoint, int clusterId, List<Integer> attrs, Duration timeout,
                                     SendOptions options, String what) {
        return request(d, endpoint, clusterId, false, ZclGlobal.READ_ATTRIBUTES,
                new ZclGlobal.ReadAttributes(attrs).payload(), true, timeout, options, null, what);
    }

    /** A converter's request. */
    CompletableFuture<ZclFrame> send(Device d, int endpoint, ZclRequest r, boolean expectAnswer, Duration timeout,
                                     SendOptions options, String what) {
        // A report confirms the request when it shows the request's own value (e.g. brightness for a
        // level command, even if the on/off half of "move to level with on/off" is reported elsewhere).
        Map<String, Object> confirm = r.coalesceKey() != null && r.expectedState().containsKey(r.coalesceKey())
                ? Map.of(r.coalesceKey(), r.expectedState().get(r.coalesceKey())) : r.expectedState();
        return request(d, endpoint, r.clusterId(), r.clusterSpecific(), r.commandId(), r.payload(), expectAnswer,
                timeout, options, confirm, what);
    }

    void publish(HubEvent.Type type, Device d, Map<String, Object> data) {
        String name;
        String ieee;
        synchronized (registry) {
            name = d == null ? null : d.name;
            ieee = d == null ? null : d.ieeeString();
        }
        events.publish(type, name, ieee, data);
    }

    static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /*
     * State publication. One command yields one STATE event carrying the confirmed state, whichever way the
     * device confirms it:
     *   report, then default response (or the report alone): while the command is in flight, a report of what
     *     it sets is merged without an event; the command publishes once when it is done, carrying the report;
     *   default response, then report: the confirmation publishes; the report that follows with the same
     *     values is the command's echo (see Device.echo) and is merged without an event;
     *   a command that changes nothing: it publishes once anyway, as its answer;
     *   optimistic: the command publishes the assumed state (names in `optimistic`); the device's report of the
     *     same values inside the echo window clears the flag without an event, and publishes like any report
     *     after it;
     *   a failed command publishes what it changed, if anything.
     * Everything else the device sends (reports, notifications, read responses) publishes every time, changed
     * or not: a repeated button action or occupancy is news, and some subscribers count heartbeats.
     */

    /**
     * State the device itself sent (attribute report, cluster notification, read response): merged, confirmed
     * values lose their optimistic mark, the state is published and scheduled for persistence; then matching
     * reports confirm pending commands. An {@code unsolicited} report that names what a command in flight sets,
     * or that only repeats values a command just published (its echo), is merged without an event.
     */
    void applyReported(Device d, Map<String, Object> updates, boolean unsolicited) {
        if (updates.isEmpty()) {
            return;
        }
        Map<String, Object> snapshot;
        boolean quiet;
        int nwk;
        synchronized (registry) {
            if (d.removed) {
                return;
            }
            boolean inFlight = unsolicited && !java.util.Collections.disjoint(d.commanded.keySet(), updates.keySet());
            boolean echo = unsolicited && !inFlight && isEcho(d, updates);
            quiet = inFlight || echo;
            boolean changed = merge(d, updates, false);
            snapshot = DeviceRegistry.deepCopy(d.state);
            nwk = d.nwk;
            registry.markDirty(d);
            if (quiet) {
                d.echo.removeAll(updates.keySet());
                d.unpublished |= changed;
            } else {
                d.stateSeq++;
                d.unpublished = false;
            }
        }
        if (quiet) {
            metrics.increment("state.merged_into_command");
        } else {
            publish(HubEvent.Type.STATE, d, snapshot);
        }
        transactions.confirmByState(nwk, expected -> matches(snapshot, expected));
    }

    /**
     * Whether {@code updates} is the echo of a command's publication: inside the echo window, it names an echoed
     * value and changes nothing but the link quality. Under the lock.
     */
    private boolean isEcho(Device d, Map<String, Object> updates) {
        if (d.echo.isEmpty()) {
            return false;
        }
        if (clock.nanos() - d.echoUntilNanos >= 0) {
            d.echo.clear();
            return false;
        }
        boolean any = false;
        for (Map.Entry<String, Object> e : updates.entrySet()) {
            if (e.getKey().equals(LINKQUALITY)) {
                continue;
            }
            if (!d.state.containsKey(e.getKey()) || !unchanged(d.state.get(e.getKey()), e.getValue())) {
                return false;
            }
            any |= d.echo.contains(e.getKey());
        }
        return any;
    }

    /**
     * A command is about to be sent that sets {@code names}: until {@link #commandDone}, the device's reports of
     * them are merged into the command's one publication. Returns the device's STATE event count, for
     * {@link #commandDone}.
     */
    long commandStarted(Device d, java.util.Collection<String> names) {
        synchronized (registry) {
            names.forEach(n -> d.commanded.merge(n, 1, Integer::sum));
            return d.stateSeq;
        }
    }

    /**
     * A command's confirmed (or, with {@code optimistic}, assumed) state, merged without an event: the command
     * publishes once, in {@link #commandDone}. With {@code echoExpected} (confirmed by a default response, or
     * optimistic) the device's own report of the same values within the command timeout is merged silently.
     */
    void applyCommanded(Device d, Map<String, Object> updates, boolean optimistic, boolean echoExpected) {
        if (updates.isEmpty()) {
            return;
        }
        synchronized (registry) {
            if (d.removed) {
                return;
            }
            if (merge(d, updates, optimistic)) {
                d.unpublished = true;
                registry.markDirty(d);
            }
            if (echoExpected) {
                d.echo.addAll(updates.keySet());
                d.echoUntilNanos = clock.nanos() + config.commandTimeout().toNanos();
            }
        }
    }

    /**
     * The command started with {@link #commandStarted} is done: publishes the device's state once if the command
     * (or a report merged into it) changed the state or its optimistic names, or, with {@code acknowledge}, if no
     * STATE event went out since the command was sent (a command that changed nothing is still answered).
     */
    void commandDone(Device d, java.util.Collection<String> names, long seqAtStart, boolean acknowledge) {
        Map<String, Object> snapshot;
        synchronized (registry) {
            names.forEach(n -> d.commanded.computeIfPresent(n, (k, c) -> c > 1 ? c - 1 : null));
            if (d.removed || !(d.unpublished || acknowledge && d.stateSeq == seqAtStart)) {
                return;
            }
            snapshot = DeviceRegistry.deepCopy(d.state);
            d.stateSeq++;
            d.unpublished = false;
        }
        publish(HubEvent.Type.STATE, d, snapshot);
    }

    /** Merges values into the state and marks them optimistic or confirmed; true if anything changed. Under the lock. */
    private static boolean merge(Device d, Map<String, Object> updates, boolean optimistic) {
        boolean changed = false;
        for (Map.Entry<String, Object> e : updates.entrySet()) {
            Object old = d.state.put(e.getKey(), e.getValue());
            changed |= old == null || !unchanged(old, e.getValue());
        }
        changed |= optimistic ? d.optimistic.addAll(updates.keySet()) : d.optimistic.removeAll(updates.keySet());
        return changed;
    }

    /** Link quality comes with every frame: it never makes a report a new value by itself. */
    static final String LINKQUALITY = "linkquality";

    /** Whether a state value stays the same (numbers within 0.01, maps key by key with the same keys). */
    static boolean unchanged(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Math.abs(x.doubleValue() - y.doubleValue()) < 0.01;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> e : mb.entrySet()) {
                if (!unchanged(ma.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    /** Whether every expected value is in the state (numbers within 0.01, maps compared key by key). */
    static boolean matches(Map<String, Object> state, Map<String, Object> expected) {
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            if (!same(state.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Math.abs(x.doubleValue() - y.doubleValue()) < 0.01;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            for (Map.Entry<?, ?> e : mb.entrySet()) {
                if (!same(ma.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return java.util.Objects.equals(a, b);
    }
}
