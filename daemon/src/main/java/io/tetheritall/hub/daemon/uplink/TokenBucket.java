package io.tetheritall.hub.daemon.uplink;

import io.tetheritall.hub.radios.time.HubClock;

/**
 * A non-blocking token bucket on an injected clock: {@link #tryTake()} either takes a token or says
 * how long until one is available, and never sleeps. Thread-safe (a bucket belongs to one client, so
 * the monitor is uncontended in practice).
 */
public final class TokenBucket {
    private final HubClock clock;
    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long lastNanos;

    /**
     * @param capacity        burst size, at least 1
     * @param tokensPerSecond refill rate, greater than 0
     */
    public TokenBucket(HubClock clock, double capacity, double tokensPerSecond) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
        }
        if (!(tokensPerSecond > 0)) {
            throw new IllegalArgumentException("tokensPerSecond must be > 0, but was " + tokensPerSecond);
        }
        this.clock = clock;
        this.capacity = capacity;
        this.tokensPerNano = tokensPerSecond / 1e9;
        this.tokens = capacity;
        this.lastNanos = clock.nanos();
    }

    /** Takes one token: returns 0 on success, else the nanoseconds until a token will be there. */
    public synchronized long tryTake() {
        long wait = waitNanos();
        if (wait == 0) {
            tokens -= 1;
        }
        return wait;
    }

    /** Nanoseconds until one token is available, without taking it (0: available now). */
    public synchronized long waitNanos() {
        refill();
        if (tokens >= 1) {
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / tokensPerNano);
    }

    /** Takes one token that {@link #waitNanos()} just said was available. */
    synchronized void take() {
        tokens -= 1;
    }

    /** The tokens there now, for metrics and tests. */
    public synchronized double available() {
        refill();
        return tokens;
    }

    private void refill() {
        long now = clock.nanos();
        long elapsed = now - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            lastNanos = now;
        }
    }
}
