package io.tetheritall.hub.daemon.config;

/** {@code CACHE_EVICTION_POLICY}: what the L1 cache drops first when it is full. */
public enum EvictionPolicy {
    /** Least recently used. */
    LRU,
    /** Least frequently used. */
    LFU,
    /** Soonest to expire. */
    TTL
}
