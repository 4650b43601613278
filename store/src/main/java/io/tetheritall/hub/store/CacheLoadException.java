package io.tetheritall.hub.store;

/** A {@link CacheLoader} failed with a checked exception (its cause); every caller sharing that load gets it. */
public final class CacheLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CacheLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
