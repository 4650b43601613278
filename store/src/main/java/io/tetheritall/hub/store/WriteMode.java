package io.tetheritall.hub.store;

/** How a write reaches L2. */
public enum WriteMode {
    /**
     * Buffered in memory and written by the writer thread once the key has been quiet for the debounce, or at the
     * latest after the maximum deferral; many keys share one commit. A crash loses at most that window.
     */
    WRITE_BEHIND,
    /** Written and committed before the call returns (device registry, anything that must survive a power cut). */
    WRITE_THROUGH
}
