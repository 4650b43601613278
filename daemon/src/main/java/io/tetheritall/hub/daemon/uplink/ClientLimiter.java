package io.tetheritall.hub.daemon.uplink;

import io.tetheritall.hub.radios.scheduler.TokenBucket;

import io.tetheritall.hub.radios.time.HubClock;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-client request limits for the uplinks: a per-second bucket (rate {@code perSecond}, burst
 * {@code burst}) and a per-minute bucket ({@code perMinute}), both of which must have a token.
 * Clients are keyed by DTLS identity, peer address or MQTT client id. Never blocks: a refused
 * request gets the time after which it may retry, which the uplink turns into CoAP 4.29 + Max-Age or
 * an MQTT error response.
 *
 * <p>The table of clients is bounded ({@code maxClients}); when full, idle buckets (full again) are
 * evicted first, so a scan from many spoofed addresses cannot grow the heap without bound.
 */
public final class ClientLimiter {

    /** Limits; any value {@code <= 0} disables that bucket. */
    public record Limits(int perMinute, double perSecond, int burst) {
        public static final Limits NONE = new Limits(0, 0, 0);

        public boolean enabled() {
            return perMinute > 0 || perSecond > 0;
        }
    }

    private record Buckets(TokenBucket second, TokenBucket minute) {
    }

    private final HubClock clock;
    private final Limits limits;
    private final int maxClients;
    private final Map<String, Buckets> clients = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    public ClientLimiter(HubClock clock, Limits limits, int maxClients) {
        this.clock = clock;
        this.limits = limits;
        this.maxClients = Math.max(16, maxClients);
    }

    /**
     * Counts one request by {@code client}.
     *
     * @return 0 if allowed, else milliseconds (at least 1) until the client may retry
     */
    public long tryAcquire(String client) {
        if (!limits.enabled()) {
            return 0;
        }
        Buckets b = clients.get(client);
        if (b == null) {
            if (clients.size() >= maxClients) {
                evictIdle();
            }
            b = clients.computeIfAbsent(client, k -> newBuckets());
        }
        long wait;
        // Check both before taking from either, so a refusal by one does not drain the other.
        synchronized (b) {
            long w1 = b.second == null ? 0 : b.second.nanosUntilAvailable();
            long w2 = b.minute == null ? 0 : b.minute.nanosUntilAvailable();
            wait = Math.max(w1, w2);
            if (wait == 0) {
                if (b.second != null) {
                    b.second.tryTake();
                }
                if (b.minute != null) {
                    b.minute.tryTake();
                }
                return 0;
            }
        }
        refused.incrementAndGet();
        return Math.max(1, (wait + 999_999) / 1_000_000);
    }

    /** Requests refused so far. */
    public long refused() {
        return refused.get();
    }

    /** Clients tracked now. */
    public int clients() {
        return clients.size();
    }

    private Buckets newBuckets() {
        TokenBucket sec = limits.perSecond() > 0
                ? new TokenBucket(clock, limits.perSecond(),
                (int) Math.max(1, limits.burst() > 0 ? limits.burst() : Math.ceil(limits.perSecond())))
                : null;
        TokenBucket min = limits.perMinute() > 0
                ? new TokenBucket(clock, limits.perMinute() / 60.0, limits.perMinute())
                : null;
        return new Buckets(sec, min);
    }

    private void evictIdle() {
        for (Iterator<Map.Entry<String, Buckets>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Buckets b = it.next().getValue();
            boolean full = (b.second == null || b.second.available() >= limits.burst())
                    && (b.minute == null || b.minute.available() >= limits.perMinute());
            if (full) {
                it.remove();
            }
        }
        if (clients.size() >= maxClients) {
            // Everyone is busy: drop an arbitrary one rather than grow; it restarts with a full bucket.
            Iterator<String> it = clients.keySet().iterator();
            if (it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }
}
