package io.tetheritall.hub.daemon;

/** Bad command-line arguments; {@link Main} prints the message and the usage and exits with 64. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
