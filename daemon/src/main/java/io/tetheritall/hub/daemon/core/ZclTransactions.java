package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.radios.time.HubClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The one table of ZCL requests waiting for an answer, keyed by (network address, cluster, TSN),
 * each with a deadline on the injected clock. Answers complete the entry's future with the
 * answering frame; {@link #expire()} fails overdue entries with {@link ZclTimeoutException}.
 */
public final class ZclTransactions {
    /** A ZCL request that was not answered before its deadline. */
    public static final class ZclTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ZclTimeoutException(String message) {
            super(message, null, false, false);
        }
    }

    /** One waiting request. {@code expectedState}, if not empty, lets a matching attribute report confirm it. */
    public record Pending(int nwk, int clusterId, int tsn, long deadlineNanos, String what,
                          Map<String, Object> expectedState, CompletableFuture<ZclFrame> future) {
    }

    private record Key(int nwk, int clusterId, int tsn) {
    }

    private final HubClock clock;
    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger tsn = new AtomicInteger();

    public ZclTransactions(HubClock clock) {
        this.clock = clock;
    }

    /** The next transaction sequence number (0..255, wrapping). */
    public int nextTsn() {
        return tsn.getAndIncrement() & 0xFF;
    }

    /**
     * Registers a request before it is sent (a fast device may answer before {@code send} returns).
     * A stale entry with the same key (a TSN reused after 256 requests) is failed first.
     */
    public Pending register(int nwk, int clusterId, int tsn, Duration timeout, String what,
                            Map<String, Object> expectedState) {
        Pending p = new Pending(nwk, clusterId, tsn, clock.nanos() + timeout.toNanos(), what,
                expectedState == null ? Map.of() : expectedState, new CompletableFuture<>());
        Pending old = pending.put(new Key(nwk, clusterId, tsn), p);
        if (old != null) {
            old.future().completeExceptionally(new ZclTimeoutException(old.what() + ": TSN reused"));
        }
        return p;
    }

    /** Completes the request this frame answers; false if none was waiting. */
    public boolean answer(int nwk, int clusterId, ZclFrame frame) {
        Pending p = pending.remove(new Key(nwk, clusterId, frame.header().tsn()));
        if (p == null) {
            return false;
        }
        p.future().complete(frame);
        return true;
    }

    /** Completes, with a null frame, every request for {@code nwk} whose expected state the predicate accepts. */
    public int confirmByState(int nwk, Predicate<Map<String, Object>> matches) {
        int n = 0;
        for (Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            if (p.nwk() == nwk && !p.expectedState().isEmpty() && matches.test(p.expectedState())) {
                it.remove();
                p.future().complete(null);
                n++;
            }
        }
        return n;
    }

    /** Removes a request without completing it (its sender failed it already). */
    public void forget(Pending p) {
        pending.remove(new Key(p.nwk(), p.clusterId(), p.tsn()), p);
    }

    /** Fails every request for {@code nwk} with {@code cause} (the device left or was removed). */
    public void failAll(int nwk, RuntimeException cause) {
        for (Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            if (p.nwk() == nwk) {
                it.remove();
                p.future().completeExceptionally(cause);
            }
        }
    }

    /** Fails every overdue request; returns how many. */
    public int expire() {
        long now = clock.nanos();
        List<Pending> overdue = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            if (now - p.deadlineNanos() >= 0) {
                it.remove();
                overdue.add(p);
            }
        }
        for (Pending p : overdue) {
            p.future().completeExceptionally(new ZclTimeoutException(p.what() + ": no answer in time"));
        }
        return overdue.size();
    }

    public int size() {
        return pending.size();
    }
}
