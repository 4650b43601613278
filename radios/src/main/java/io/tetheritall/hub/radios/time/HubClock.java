package io.tetheritall.hub.radios.time;

/**
 * The one source of time for everything that limits, times out or backs off.
 *
 * <p>Injected everywhere instead of {@link System#nanoTime()} so that tests of token buckets,
 * deadlines and breakers advance time by hand and never sleep. Implementations are thread-safe.
 */
public interface HubClock {

    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanos();

    /** Monotonic milliseconds derived from {@link #nanos()}. */
    default long millis() {
        return nanos() / 1_000_000L;
    }

    /** The system's monotonic clock. */
    static HubClock system() {
        return System::nanoTime;
    }
}
