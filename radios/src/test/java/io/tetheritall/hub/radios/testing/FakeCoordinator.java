package io.tetheritall.hub.radios.testing;

import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.NodeDescriptor;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import io.tetheritall.hub.radios.api.ZigbeeRadio;
import io.tetheritall.hub.radios.time.TaskScheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A test double for a ZNP coordinator behind {@link ZigbeeRadio}, modelling the limits the ZNP
 * simulator models, on a {@link TaskScheduler}'s (virtual) time:
 * <ul>
 *   <li>{@code afLimit} (12) AF requests in flight, counted from request to confirm; beyond that the
 *       request is refused with CONGESTED status 0x11 (BUFFER_FULL) after the SRSP delay;</li>
 *   <li>a broadcast transaction table of {@code broadcastTable} (9) entries, each aged out after
 *       {@code broadcastLife} (9 s); a group/broadcast send finding it full is refused with CONGESTED 0x11;</li>
 *   <li>unreachable devices: DEVICE_UNREACHABLE 0xE9 (MAC_NO_ACK) after {@code unreachableDelay};</li>
 *   <li>a hang mode where every request times out (TIMEOUT after {@code srspTimeout}) and an unplugged
 *       mode where every request fails at once with RADIO_UNAVAILABLE.</li>
 * </ul>
 * Records what it accepted, so tests can check that nothing was lost, duplicated or over the limits.
 * Single-threaded: use it on its scheduler's thread (the test thread with a VirtualScheduler).
 */
public final class FakeCoordinator implements ZigbeeRadio {
    /** One accepted and confirmed request. */
    public record Delivery(int address, boolean broadcast, byte[] payload, long acceptedAt, long confirmedAt) {
    }

    private final String id;
    private final TaskScheduler scheduler;
    private final List<RadioListener> listeners = new CopyOnWriteArrayList<>();

    public int afLimit = 12;
    public int broadcastTable = 9;
    public Duration broadcastLife = Duration.ofSeconds(9);
    public Duration srspDelay = Duration.ofMillis(2);
    public Duration confirmLatency = Duration.ofMillis(30);
    public Duration unreachableDelay = Duration.ofSeconds(1);
    public Duration srspTimeout = Duration.ofSeconds(6);
    public String firmware = "Z-Stack 3.x.0 20230507";
    public final Set<Integer> unreachable = new HashSet<>();
    /** Devices that answer every request with a definite REJECTED status 0x02 (INVALID_PARAMETER). */
    public final Set<Integer> rejecting = new HashSet<>();
    /** Devices for which the radio always reports BUFFER_FULL (for retry tests). */
    public final Set<Integer> alwaysCongested = new HashSet<>();
    public final Map<Integer, Duration> latency = new HashMap<>();
    /** One-shot failures per address, answered after the SRSP delay instead of sending. */
    public final Map<Integer, ArrayDeque<RadioException>> failNext = new HashMap<>();
    /** Whether a soft reset clears a hang (false: only a hard reset does). */
    public boolean softResetHelps;

    private boolean hung;
    private boolean unplugged;
    private int inFlight;
    private final ArrayDeque<Long> tableExpiry = new ArrayDeque<>();

    public int maxInFlight;
    public int refusedBufferFull;
    public int refusedBroadcast;
    public int maxTableUsed;
    public int timeouts;
    public int softResets;
    public int hardResets;
    public int reopens;
    public final Map<Integer, Integer> attempts = new HashMap<>();
    public final List<Delivery> deliveries = new ArrayList<>();

    public FakeCoordinator(String id, TaskScheduler scheduler) {
        this.id = id;
        this.scheduler = scheduler;
    }

    public void hang() {
        hung = true;
    }

    public boolean hung() {
        return hung;
    }

    /** The pty went away: every request fails with RADIO_UNAVAILABLE, and the radio reports DOWN. */
    public void unplug() {
        unplugged = true;
        listeners.forEach(l -> l.stateChanged(RadioState.DOWN, "serial link lost"));
    }

    /** The pty came back and the coordinator restored its network by itself: it reports UP. */
    public void replugAndRestore() {
        unplugged = false;
        listeners.forEach(l -> l.stateChanged(RadioState.UP, "link back: restored network"));
    }

    /** What a GPIO reset pulse does to the dongle: the firmware restarts, a hang is gone. */
    public void hardReset() {
        hardResets++;
        hung = false;
        inFlight = 0;
    }

    /** SYS_RESET_REQ over MT: answered only if the firmware still listens. */
    public CompletableFuture<Void> softReset() {
        softResets++;
        if (unplugged) {
            return later(srspDelay, () -> { throw unavailable(); });
        }
        if (hung && !softResetHelps) {
            return later(srspTimeout, () -> { throw timeout("SYS_RESET_REQ"); });
        }
        return later(Duration.ofMillis(100), () -> {
            hung = false;
            return null;
        });
    }

    /** Reopening the serial link: works once the pty is back. */
    public CompletableFuture<Void> reopen(boolean plugBackIn) {
        reopens++;
        if (plugBackIn) {
            unplugged = false;
        }
        if (unplugged) {
            return later(srspDelay, () -> { throw unavailable(); });
        }
        return later(Duration.ofMillis(50), () -> null);
    }

    /** A device sends us something (it is alive). */
    public void deviceSpeaks(int nwk) {
        IncomingMessage m = new IncomingMessage(nwk, 1, 1, 6, 0, false, 200, new byte[] {0x18, 1, 0x0A});
        listeners.forEach(l -> l.messageReceived(m));
    }

    public int inFlight() {
        return inFlight;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletableFuture<NetworkInfo> start() {
        return later(Duration.ofMillis(10), this::network);
    }

    @Override
    public RadioState state() {
        return hung || unplugged ? RadioState.DOWN : RadioState.UP;
    }

    @Override
    public NetworkInfo network() {
        return new NetworkInfo(0x1A62, 0xDDDDDDDDDDDDDDDDL, 11, 0x00124B0001020304L, firmware, false);
    }

    @Override
    public CompletableFuture<Void> send(OutgoingMessage message, SendOptions options) {
        boolean bcast = message.mode().isBroadcastLike();
        int addr = message.address();
        return request(addr, bcast, "AF_DATA_REQUEST", () -> null, message.payload());
    }

    private <T> CompletableFuture<T> request(int addr, boolean bcast, String what, Supplier<T> answer, byte[] payload) {
        attempts.merge(addr, 1, Integer::sum);
        long now = scheduler.clock().nanos();
        if (unplugged) {
            return later(Duration.ZERO, () -> { throw unavailable(); });
        }
        if (hung) {
            timeouts++;
            return later(srspTimeout, () -> { throw timeout(what); });
        }
        ArrayDeque<RadioException> scripted = failNext.get(addr);
        if (scripted != null && !scripted.isEmpty()) {
            RadioException e = scripted.poll();
            return later(srspDelay, () -> { throw e; });
        }
        if (!bcast && rejecting.contains(addr)) {
            return later(srspDelay, () -> { throw new RadioException(RadioError.REJECTED, 0x02, 0, "INVALID_PARAMETER", null); });
        }
        if (!bcast && alwaysCongested.contains(addr)) {
            refusedBufferFull++;
            return later(srspDelay, () -> { throw congested(); });
        }
        if (bcast) {
            while (!tableExpiry.isEmpty() && tableExpiry.peekFirst() <= now) {
                tableExpiry.pollFirst();
            }
            if (tableExpiry.size() >= broadcastTable) {
                refusedBroadcast++;
                return later(srspDelay, () -> { throw congested(); });
            }
        }
        if (inFlight >= afLimit) {
            refusedBufferFull++;
            return later(srspDelay, () -> { throw congested(); });
        }
        if (bcast) {
            tableExpiry.addLast(now + broadcastLife.toNanos());
            maxTableUsed = Math.max(maxTableUsed, tableExpiry.size());
        }
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        boolean dead = !bcast && unreachable.contains(addr);
        Duration d = dead ? unreachableDelay : latency.getOrDefault(addr, confirmLatency);
        CompletableFuture<T> f = new CompletableFuture<>();
        scheduler.schedule(() -> {
            inFlight = Math.max(0, inFlight - 1);
            if (dead) {
                f.completeExceptionally(new RadioException(RadioError.DEVICE_UNREACHABLE, 0xE9, 0, "MAC_NO_ACK", null));
            } else {
                deliveries.add(new Delivery(addr, bcast, payload, now, scheduler.clock().nanos()));
                f.complete(answer.get());
            }
        }, d.toNanos());
        return f;
    }

    private <T> CompletableFuture<T> later(Duration d, Supplier<T> s) {
        CompletableFuture<T> f = new CompletableFuture<>();
        scheduler.schedule(() -> {
            try {
                f.complete(s.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, d.toNanos());
        return f;
    }

    private static RadioException timeout(String what) {
        return new RadioException(RadioError.TIMEOUT, -1, 0, "no SRSP for " + what, null);
    }

    private static RadioException unavailable() {
        return new RadioException(RadioError.RADIO_UNAVAILABLE, -1, 0, "serial link down", null);
    }

    private static RadioException congested() {
        return new RadioException(RadioError.CONGESTED, 0x11, 0, "BUFFER_FULL", null);
    }

    @Override
    public CompletableFuture<Void> permitJoin(Duration duration, int viaRouter) {
        return request(viaRouter < 0 ? 0xFFFC : viaRouter, viaRouter < 0, "ZDO_MGMT_PERMIT_JOIN", () -> null, new byte[0]);
    }

    @Override
    public CompletableFuture<NodeDescriptor> nodeDescriptor(int nwk) {
        return request(nwk, false, "ZDO_NODE_DESC_REQ", () -> new NodeDescriptor(nwk, nwk == 0 ? 0 : 1, 0x1234, 0x8E),
                new byte[0]);
    }

    @Override
    public CompletableFuture<List<Integer>> activeEndpoints(int nwk) {
        return request(nwk, false, "ZDO_ACTIVE_EP_REQ", () -> List.of(1), new byte[0]);
    }

    @Override
    public CompletableFuture<SimpleDescriptor> simpleDescriptor(int nwk, int endpoint) {
        return request(nwk, false, "ZDO_SIMPLE_DESC_REQ",
                () -> new SimpleDescriptor(endpoint, 0x0104, 0x0100, List.of(0, 6), List.of()), new byte[0]);
    }

    @Override
    public CompletableFuture<Void> requestLeave(int nwk, long ieee) {
        return request(nwk, false, "ZDO_MGMT_LEAVE_REQ", () -> null, new byte[0]);
    }

    @Override
    public CompletableFuture<Void> bind(int nwk, long ieee, int endpoint, int clusterId) {
        return request(nwk, false, "ZDO_BIND_REQ", () -> null, new byte[0]);
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
    }
}
