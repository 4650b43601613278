package io.tetheritall.hub.radios.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test tells it to. Thread-safe. */
public final class ManualClock implements HubClock {
    private final AtomicLong nanos;

    public ManualClock() {
        this(1_000_000_000L);
    }

    public ManualClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** Moves time forward by {@code d} and returns the new reading. */
    public long advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, but was " + d);
        }
        return nanos.addAndGet(d.toNanos());
    }
}
