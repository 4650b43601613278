package io.tetheritall.hub.radios.scheduler;

import io.tetheritall.hub.radios.time.HubClock;

/**
 * A non-blocking token bucket on the injected clock: {@code burst} tokens at most, refilled
 * continuously at {@code ratePerSecond}.
 *
 * <p>Why not resilience4j's RateLimiter: it hands out permits per fixed refresh period (a cycle
 * limiter, not a bucket with continuous refill and a separate burst), and its atomic implementation
 * reads {@code System.nanoTime()} itself, so virtual-time tests could not drive it. Callers never wait
 * here: {@link #tryTake()} answers "taken" or "wait N ns", and the dispatcher turns that into a timer.
 * Thread-safe (the dispatcher uses it on one thread; metrics read it from others).
 */
public final class TokenBucket {
    private final HubClock clock;
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(HubClock clock, double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1, but were " + ratePerSecond + "/" + burst);
        }
        this.clock = clock;
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = clock.nanos();
    }

    /** Takes one token if there is one: returns 0, else the nanoseconds until one will be there. */
    public synchronized long tryTake() {
        long wait = nanosUntilAvailable();
        if (wait == 0) {
            tokens -= 1;
        }
        return wait;
    }

    /** Nanoseconds until one token is available; 0 if one is available now. Takes nothing. */
    public synchronized long nanosUntilAvailable() {
        refill();
        if (tokens >= 1) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano));
    }

    /** Tokens available now (fractional). */
    public synchronized double available() {
        refill();
        return tokens;
    }

    /** Whether the bucket is full (an idle client whose bucket can be forgotten). */
    public synchronized boolean full() {
        refill();
        return tokens >= burst;
    }

    private void refill() {
        long now = clock.nanos();
        long dt = now - last;
        if (dt > 0) {
            tokens = Math.min(burst, tokens + dt * ratePerNano);
            last = now;
        }
    }
}
