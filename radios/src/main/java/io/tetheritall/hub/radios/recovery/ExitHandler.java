package io.tetheritall.hub.radios.recovery;

import org.tinylog.Logger;

/**
 * The last rung: end the process with a non-zero status so that systemd ({@code Restart=on-failure})
 * starts a fresh hub. Injected so that tests observe the call instead of dying.
 */
@FunctionalInterface
public interface ExitHandler {

    void exit(int status, String reason);

    /** Logs and calls {@link System#exit(int)}. */
    static ExitHandler system() {
        return (status, reason) -> {
            Logger.error("exiting with status {} so that the service manager restarts the hub: {}", status, reason);
            System.exit(status);
        };
    }
}
