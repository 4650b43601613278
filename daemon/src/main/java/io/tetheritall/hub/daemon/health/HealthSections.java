package io.tetheritall.hub.daemon.health;

/** Top-level section names of the origin document's {@code /performance/*} JSON, for contributors. */
public final class HealthSections {
    private HealthSections() {
    }

    /** {@code {"enabled": true, ...}}: the uplink command rate limiter. */
    public static final String RATE_LIMITER = "rate_limiter";
    /** {@code {"l1_cache": {"items", "size_bytes", "max_size"}, "l2_cache": {...}}}. */
    public static final String CACHE = "cache";
    /** {@code L1 cache} sub-section of {@link #CACHE}. */
    public static final String L1_CACHE = "l1_cache";
    /** {@code L2 store} sub-section of {@link #CACHE}. */
    public static final String L2_CACHE = "l2_cache";
    /** {@code {name: {"state", "failure_count", "last_failure_time"}}}, one per radio. */
    public static final String CIRCUIT_BREAKERS = "circuit_breakers";
    /** {@code {name: {"max_in_flight", "in_flight", "timeout_seconds", "retry_attempts"}}}: radio windows. */
    public static final String POOLS = "pools";
}
