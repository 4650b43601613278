package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.radios.api.RadioException;

import java.util.concurrent.CompletableFuture;

/** Maps failures from the radio and the ZCL layer to the uplinks' {@link CommandError}s. */
final class Errors {
    /** A step or request that did not finish before its deadline on the hub clock. */
    static final class StepTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepTimeoutException(String message) {
            super(message, null, false, false);
        }
    }

    /** An interview stopped because the device left, was removed or a newer interview started. */
    static final class AbandonedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbandonedException(String message) {
            super(message, null, false, false);
        }
    }

    private Errors() {
    }

    static <T> CompletableFuture<T> failed(CommandError error, String message) {
        return CompletableFuture.failedFuture(new CommandException(error, message));
    }

    /**
     * RADIO_UNAVAILABLE / CIRCUIT_OPEN → RADIO_UNAVAILABLE (with retry-after), BUSY / CONGESTED →
     * RATE_LIMITED, DEVICE_UNREACHABLE → DEVICE_UNAVAILABLE, TIMEOUT / DEADLINE_EXCEEDED and ZCL
     * timeouts → TIMEOUT, SUPERSEDED → RATE_LIMITED (a newer command for the same thing won).
     */
    static CommandException toCommand(Throwable t, String device) {
        CommandException ce = CommandException.find(t);
        if (ce != null) {
            return ce;
        }
        RadioException re = RadioException.find(t);
        if (re != null) {
            String msg = device + ": " + re.getMessage();
            return switch (re.error()) {
                case RADIO_UNAVAILABLE, CIRCUIT_OPEN -> new CommandException(CommandError.RADIO_UNAVAILABLE, msg,
                        re.retryAfterMillis(), re);
                case BUSY, CONGESTED -> new CommandException(CommandError.RATE_LIMITED, msg, re.retryAfterMillis(), re);
                case SUPERSEDED -> new CommandException(CommandError.RATE_LIMITED,
                        device + ": superseded by a newer command", 0, re);
                case DEVICE_UNREACHABLE -> new CommandException(CommandError.DEVICE_UNAVAILABLE, msg, 0, re);
                case TIMEOUT, DEADLINE_EXCEEDED -> new CommandException(CommandError.TIMEOUT, msg, 0, re);
                case REJECTED -> new CommandException(CommandError.INTERNAL, msg, 0, re);
            };
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ZclTransactions.ZclTimeoutException || c instanceof StepTimeoutException) {
                return new CommandException(CommandError.TIMEOUT, device + ": " + c.getMessage(), 0, c);
            }
            if (c instanceof AbandonedException) {
                return new CommandException(CommandError.NOT_FOUND, device + ": " + c.getMessage(), 0, c);
            }
        }
        return new CommandException(CommandError.INTERNAL, device + ": " + t, 0, t);
    }

    /** The innermost meaningful message, for interview failure reasons. */
    static String reason(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
