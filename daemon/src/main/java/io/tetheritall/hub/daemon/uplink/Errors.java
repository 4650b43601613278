package io.tetheritall.hub.daemon.uplink;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;

import java.util.concurrent.CancellationException;

/** Turns failures of {@link io.tetheritall.hub.daemon.core.api.HubApi} calls into what a client reads. */
public final class Errors {
    private Errors() {
    }

    /** The {@link CommandException} inside {@code t}, or an INTERNAL one wrapping it. */
    public static CommandException of(Throwable t) {
        CommandException ce = CommandException.find(t);
        if (ce != null) {
            return ce;
        }
        if (t instanceof CancellationException) {
            return new CommandException(CommandError.TIMEOUT, "cancelled");
        }
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new CommandException(CommandError.INTERNAL, "internal error: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()), 0, t);
    }

    /** e.g. {@code "radio_unavailable: zigbee radio is resetting; retry after 2000 ms"}. */
    public static String text(CommandException e) {
        String s = e.error().name().toLowerCase() + ": " + e.getMessage();
        if (e.retryAfterMillis() > 0) {
            s += "; retry after " + e.retryAfterMillis() + " ms";
        }
        return s;
    }

    /** Whole seconds, rounded up, at least 1: for CoAP Max-Age. */
    public static long retrySeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
