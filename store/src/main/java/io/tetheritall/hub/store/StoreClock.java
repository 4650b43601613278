package io.tetheritall.hub.store;

/**
 * The store's source of time: wall-clock milliseconds since the epoch.
 *
 * <p>Wall clock rather than a monotonic one because expiry instants are written to disk (L2, outbox) and must
 * mean the same thing after a restart. The store does not depend on the radios module's {@code HubClock}; the
 * daemon adapts whichever clock it uses. Tests inject {@link ManualStoreClock} so that TTL, debounce and
 * deferral are exercised without sleeping. Implementations are thread-safe.
 */
@FunctionalInterface
public interface StoreClock {

    /** Milliseconds since 1970-01-01T00:00Z. */
    long millis();

    /** The system wall clock. */
    static StoreClock system() {
        return System::currentTimeMillis;
    }
}
