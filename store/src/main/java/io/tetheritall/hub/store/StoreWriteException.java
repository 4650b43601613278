package io.tetheritall.hub.store;

/**
 * A write that could not be made durable: disk full, I/O error, or the store closed. The write did not happen
 * (for write-through and the outbox) and {@link StoreMetrics#l2WriteFailures()} counts it; reads keep working.
 */
public final class StoreWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
