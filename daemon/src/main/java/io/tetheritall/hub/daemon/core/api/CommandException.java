package io.tetheritall.hub.daemon.core.api;

/** A command the hub refused or could not complete; futures of {@link HubApi} fail with this. */
public class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final CommandError error;
    private final long retryAfterMillis;

    public CommandException(CommandError error, String message) {
        this(error, message, 0, null);
    }

    public CommandException(CommandError error, String message, long retryAfterMillis, Throwable cause) {
        super(message, cause);
        this.error = error;
        this.retryAfterMillis = retryAfterMillis;
    }

    public CommandError error() {
        return error;
    }

    /** For RATE_LIMITED and RADIO_UNAVAILABLE: when the caller may retry; 0 if unknown. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** Unwraps CompletionException and friends. */
    public static CommandException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CommandException ce) {
                return ce;
            }
        }
        return null;
    }
}
