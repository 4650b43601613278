package io.tetheritall.hub.store.l1;

/**
 * How L1 picks a victim when it is full ({@code CACHE_EVICTION_POLICY}). Expired entries are always evicted first,
 * whatever the policy. The choice is approximate (sampled), see {@link TieredCache} for the algorithm.
 */
public enum EvictionPolicy {
    /** Least recently used. */
    LRU,
    /** Least frequently used, with a logarithmic counter that decays over time. */
    LFU,
    /** Soonest to expire. */
    TTL;

    /** Parses {@code lru}, {@code LFU}, ... as found in the {@code CACHE_EVICTION_POLICY} environment variable. */
    public static EvictionPolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("evictionPolicy must be one of lru, lfu, ttl, but was " + s, e);
        }
    }
}
