package io.tetheritall.hub.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link StoreClock} that moves only when told to; for tests and simulated-time benchmarks. Thread-safe. */
public final class ManualStoreClock implements StoreClock {
    private final AtomicLong millis;

    /** Starts at 2026-01-01T00:00Z, an arbitrary but realistic epoch value. */
    public ManualStoreClock() {
        this(1_767_225_600_000L);
    }

    public ManualStoreClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    /** Moves time forward by {@code d} and returns the new reading. */
    public long advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, but was " + d);
        }
        return millis.addAndGet(d.toMillis());
    }
}
