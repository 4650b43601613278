package io.tetheritall.hub.daemon;

import java.util.Optional;

import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.health.HealthRegistry;
import io.tetheritall.hub.daemon.health.HubMetrics;

/**
 * Decides which {@link Component}s {@code run} starts, in which order. {@link DefaultWiring} is the
 * production wiring; tests pass their own.
 */
@FunctionalInterface
public interface RuntimeWiring {

    /**
     * What a wiring gets to build components from.
     *
     * @param config   the effective configuration
     * @param simulate {@code run --simulate}: simulated radio and mock GPIO instead of hardware
     * @param health   where components' health contributions go (the runtime registers them)
     * @param metrics  the meter registry components register meters on
     * @param runtime  the runtime, for {@link HubRuntime#requestExit} (e.g. radio recovery exhausted)
     */
    record Context(HubConfig config, boolean simulate, HealthRegistry health, HubMetrics metrics,
                   HubRuntime runtime) {
    }

    /**
     * A setting this wiring cannot run without, checked before anything starts (exit code 2 with the
     * message), e.g. no radio and no {@code --simulate}.
     */
    default Optional<String> configProblem(HubConfig config, boolean simulate) {
        return Optional.empty();
    }

    /** Adds the components to {@code ctx.runtime()} in start order. */
    void wire(Context ctx) throws Exception;
}
