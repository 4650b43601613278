package io.tetheritall.hub.radios.link;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff with jitter, as a pure function so that it is tested without
 * sleeping: the delay before retry {@code attempt} (0 = the first retry) is
 * {@code min(max, initial * multiplier^attempt)}, then shortened by a random fraction of at most
 * {@code jitter}. Jitter only ever shortens the delay, so {@code max} is a hard cap, and hubs that
 * lost the same ser2net server do not all come back in the same millisecond.
 *
 * @param initial    delay before the first retry; positive
 * @param max        cap; at least {@code initial}
 * @param multiplier growth per attempt; at least 1
 * @param jitter     fraction 0..1 by which a delay may be shortened
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    /** 200 ms, doubling, capped at 10 s, up to 20 % shorter. A re-plugged USB stick is back within seconds. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive, but was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be at least initial (" + initial + "), but was " + max);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1, but was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be 0..1, but was " + jitter);
        }
    }

    /**
     * The delay before retry number {@code attempt}.
     *
     * @param attempt 0 for the first retry after a failure, then 1, 2, ...
     * @param random  a uniform random number in [0, 1); 0 gives the full (capped) delay
     * @return nanoseconds, in {@code [(1 - jitter) * capped, capped]}, never above {@code max}
     */
    public long delayNanos(int attempt, double random) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, but was " + attempt);
        }
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException("random must be in [0, 1), but was " + random);
        }
        double capNanos = max.toNanos();
        // Math.pow overflows to infinity for large attempts; min() then picks the cap.
        double base = Math.min(capNanos, initial.toNanos() * Math.pow(multiplier, attempt));
        return (long) (base * (1.0 - jitter * random));
    }

    /** {@link #delayNanos(int, double)} as a Duration. */
    public Duration delay(int attempt, double random) {
        return Duration.ofNanos(delayNanos(attempt, random));
    }
}
