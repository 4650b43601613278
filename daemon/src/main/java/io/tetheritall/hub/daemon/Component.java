package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.health.HealthContributor;

import java.util.Optional;

/**
 * A part of the running hub that {@link HubRuntime} starts in order and stops in reverse order:
 * the store, each radio and its supervisor, the hub core, each uplink, the health server.
 *
 * <p>{@link #start()} returns once the component can be used by the components started after it
 * (it may keep connecting in the background: an MQTT uplink whose broker is down still starts, and
 * reports not-ready). {@link #stop()} releases everything (threads, ports, files) and must be
 * idempotent; it is called even if {@link #start()} failed half-way.
 */
public interface Component {

    /** Short name for logs and readiness reasons, e.g. {@code store}, {@code znp}, {@code mqtt}. */
    String name();

    /**
     * Starts the component.
     *
     * @throws Exception if it cannot start; the runtime stops what was started and exits with
     *                   {@link ExitCodes#START_FAILED}
     */
    void start() throws Exception;

    /** Stops the component; idempotent, bounded in time (the runtime waits at most a few seconds). */
    void stop() throws Exception;

    /** The component's health contribution, registered after {@link #start()} succeeds. */
    default Optional<HealthContributor> health() {
        return Optional.empty();
    }
}
