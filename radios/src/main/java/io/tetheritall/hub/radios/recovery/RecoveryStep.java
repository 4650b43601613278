package io.tetheritall.hub.radios.recovery;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One rung of the recovery ladder: soft reset over MT, hard reset over GPIO, reopen the serial link.
 * A step only acts; the supervisor then waits {@link #settle()} and asks the health probe whether the
 * radio answers. Steps must not block: they return a future.
 */
public interface RecoveryStep {

    /** A short name for logs and metrics, e.g. {@code soft-reset}. */
    String name();

    /** Performs the step; fails if the step itself could not be done (a reset request that timed out). */
    CompletableFuture<?> run();

    /** How long the radio needs after the step before it can answer (firmware boot, network restore). */
    Duration settle();

    /** A step from a name, a settle time and an action. */
    static RecoveryStep of(String name, Duration settle, Supplier<? extends CompletableFuture<?>> action) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(action, "action");
        return new RecoveryStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletableFuture<?> run() {
                return action.get();
            }

            @Override
            public Duration settle() {
                return settle;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
