package io.tetheritall.hub.store.codec;

/**
 * A stored value that no longer decodes: unknown codec version, wrong magic, truncated or garbage. The cache
 * treats it as a miss, counts it ({@link StoreMetrics#decodeFailures()}) and drops the entry.
 */
public final class CorruptValueException extends Exception {
    private static final long serialVersionUID = 1L;

    public CorruptValueException(String message) {
        super(message);
    }

    public CorruptValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
