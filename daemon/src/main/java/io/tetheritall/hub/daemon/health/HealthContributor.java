package io.tetheritall.hub.daemon.health;

import java.util.List;
import java.util.Map;

/**
 * A component's share of {@code /readyz}, {@code /performance/health} and {@code /performance/metrics}.
 *
 * <p>{@link #health()} returns a map whose top-level keys are sections of the origin document's
 * JSON shape ({@link HealthSections}): {@code rate_limiter}, {@code cache}, {@code circuit_breakers},
 * {@code pools}, plus any section of the component's own (e.g. {@code radios}, {@code uplinks}).
 * Contributions are deep-merged, so a radio returning
 * {@code {"circuit_breakers": {"znp": {"state": "CLOSED", "failure_count": 0, "last_failure_time": 0}}}}
 * and the store returning {@code {"cache": {"l1_cache": {"items": 1250, "size_bytes": 52428800}}}}
 * both land in one document. Values must be JSON-friendly: maps with string keys, lists, strings,
 * numbers, booleans, null.
 *
 * <p>Methods are called on the HTTP server's threads, possibly concurrently: they must be cheap,
 * thread-safe and never block on I/O (read counters and atomics, not the radio).
 */
public interface HealthContributor {

    /** Short stable name used in readiness reasons, e.g. {@code znp}, {@code mqtt}, {@code store}. */
    String name();

    /** This component's sections (see the class comment); may be empty. */
    Map<String, Object> health();

    /** Whether the hub may be called ready as far as this component is concerned. */
    default boolean ready() {
        return notReadyReasons().isEmpty();
    }

    /** Why it is not ready, one short sentence each (e.g. "radio /dev/ttyUSB0 is DOWN"); empty when ready. */
    default List<String> notReadyReasons() {
        return List.of();
    }

    /** A contributor that is always ready and reports {@code health} under {@code name}'s sections. */
    static HealthContributor of(String name, java.util.function.Supplier<Map<String, Object>> health) {
        return new HealthContributor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, Object> health() {
                return health.get();
            }
        };
    }
}
