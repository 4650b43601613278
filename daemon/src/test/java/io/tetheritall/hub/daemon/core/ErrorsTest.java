package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.*;

class ErrorsTest {
    private static CommandException map(RadioError e, long retry) {
        return Errors.toCommand(new CompletionException(new RadioException(e, -1, retry, "x", null)), "dev");
    }

    @Test
    void everyRadioErrorHasATypedCommandError() {
        Map<RadioError, CommandError> expected = Map.of(
                RadioError.RADIO_UNAVAILABLE, CommandError.RADIO_UNAVAILABLE,
                RadioError.CIRCUIT_OPEN, CommandError.RADIO_UNAVAILABLE,
                RadioError.BUSY, CommandError.RATE_LIMITED,
                RadioError.CONGESTED, CommandError.RATE_LIMITED,
                RadioError.DEVICE_UNREACHABLE, CommandError.DEVICE_UNAVAILABLE,
                RadioError.TIMEOUT, CommandError.TIMEOUT,
                RadioError.DEADLINE_EXCEEDED, CommandError.TIMEOUT,
                RadioError.SUPERSEDED, CommandError.RATE_LIMITED,
                RadioError.REJECTED, CommandError.INTERNAL);
        assertEquals(RadioError.values().length, expected.size());
        expected.forEach((r, c) -> assertEquals(c, map(r, 0).error(), r.name()));
        assertEquals(750, map(RadioError.CIRCUIT_OPEN, 750).retryAfterMillis());
        assertEquals(250, map(RadioError.BUSY, 250).retryAfterMillis());
    }

    @Test
    void zclAndStepTimeoutsAreTimeouts() {
        assertEquals(CommandError.TIMEOUT, Errors.toCommand(new CompletionException(
                new ZclTransactions.ZclTimeoutException("t")), "d").error());
        assertEquals(CommandError.TIMEOUT, Errors.toCommand(new Errors.StepTimeoutException("s"), "d").error());
        CommandException same = new CommandException(CommandError.NOT_ALLOWED, "n");
        assertSame(same, Errors.toCommand(new CompletionException(same), "d"));
        assertEquals(CommandError.INTERNAL, Errors.toCommand(new IllegalStateException("bug"), "d").error());
        assertEquals("inner", Errors.reason(new CompletionException(new IllegalStateException("inner"))));
    }
}
