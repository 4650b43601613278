package io.tetheritall.hub.store;

/** Produces the value of a missing key for {@link TieredCache#getOrLoad}; may block (it asks a device). */
@FunctionalInterface
public interface CacheLoader {
    /** The value for {@code key}, or null if there is none (nothing is cached then). */
    byte[] load(String key) throws Exception;
}
