package io.tetheritall.hub.radios.recovery;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits of a recovery.
 *
 * @param budget       if the radio does not answer within this time after the recovery started, exit
 * @param stepTimeout  a step that has not finished by then counts as failed
 * @param probeTimeout a health probe that has not answered by then counts as failed
 * @param exitStatus   the process exit status for the last rung (non-zero)
 */
public record RecoveryConfig(Duration budget, Duration stepTimeout, Duration probeTimeout, int exitStatus) {
    public static final RecoveryConfig DEFAULT = new RecoveryConfig(Duration.ofMinutes(2), Duration.ofSeconds(10),
            Duration.ofSeconds(5), 75);

    public RecoveryConfig {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(stepTimeout, "stepTimeout");
        Objects.requireNonNull(probeTimeout, "probeTimeout");
        if (budget.isNegative() || budget.isZero() || stepTimeout.isNegative() || stepTimeout.isZero()
                || probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("recovery times must be positive");
        }
        if (exitStatus == 0) {
            throw new IllegalArgumentException("exit status must be non-zero so that systemd restarts the hub");
        }
    }
}
