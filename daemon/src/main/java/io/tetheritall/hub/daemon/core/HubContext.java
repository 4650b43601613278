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

    /**
     * Merges state updates into a device, tracks which values are optimistic, publishes the state
     * and schedules it for persistence; then lets matching reports confirm pending commands.
     */
    void applyState(Device d, Map<String, Object> updates, boolean optimistic) {
        if (updates.isEmpty()) {
            return;
        }
        Map<String, Object> snapshot;
        int nwk;
        synchronized (registry) {
            if (d.removed) {
                return;
            }
            d.state.putAll(updates);
            if (optimistic) {
                d.optimistic.addAll(updates.keySet());
            } else {
                d.optimistic.removeAll(updates.keySet());
            }
            snapshot = DeviceRegistry.deepCopy(d.state);
            nwk = d.nwk;
            registry.markDirty(d);
        }
        publish(HubEvent.Type.STATE, d, snapshot);
        if (!optimistic) {
            transactions.confirmByState(nwk, expected -> matches(snapshot, expected));
        }
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
