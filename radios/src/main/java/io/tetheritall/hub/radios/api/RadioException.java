package io.tetheritall.hub.radios.api;

/**
 * A radio request that failed, with a typed reason and, where the radio gave one, its status byte.
 * Futures returned by {@link ZigbeeRadio} complete exceptionally with this type.
 */
public class RadioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final RadioError error;
    private final int status;
    private final long retryAfterMillis;

    public RadioException(RadioError error, String message) {
        this(error, -1, 0, message, null);
    }

    public RadioException(RadioError error, int status, long retryAfterMillis, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
    }

    public RadioError error() {
        return error;
    }

    /** The radio's status byte, or -1 if there was none. */
    public int status() {
        return status;
    }

    /** For {@link RadioError#BUSY} and {@link RadioError#CIRCUIT_OPEN}: when to try again; 0 otherwise. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** Unwraps {@link java.util.concurrent.CompletionException} and friends to find a RadioException. */
    public static RadioException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RadioException re) {
                return re;
            }
        }
        return null;
    }
}
