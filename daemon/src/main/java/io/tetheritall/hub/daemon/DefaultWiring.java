package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.health.HealthServer;

import java.util.Optional;

/**
 * The production component order. Start order matters: the health server first (so {@code /health}
 * answers and {@code /readyz} says "starting ..." while the rest comes up), then store, radios,
 * core, uplinks; stop runs in reverse, so uplinks go quiet before the radios close and the store
 * flushes last.
 */
public final class DefaultWiring implements RuntimeWiring {

    @Override
    public void wire(Context ctx) {
        ctx.config().httpBind().ifPresent(bind ->
                ctx.runtime().add(new HealthHttpComponent(new HealthServer(bind, ctx.health(), ctx.metrics()))));
        ctx.runtime().add(new ConfigHealthComponent(ctx.config()));
        // TODO(lead): add, in this order, once their packages are merged:
        //   1. store (L1 Chronicle + L2 MapDB + outbox) under ctx.config().stateDir()
        //   2. GPIO (mock provider when ctx.simulate()), radio link + ZNP radio + RadioSupervisor
        //      (supervisor calls ctx.runtime().requestExit(ExitCodes.RADIO_RECOVERY_EXHAUSTED, reason)
        //      after ctx.config().recoveryExitAfter() failed rounds); in --simulate the ZNP simulator on an
        //      InMemoryLink instead of ctx.config().zigbeePort()
        //   3. hub core (daemon.core, implements HubApi)
        //   4. uplinks (daemon.uplink): MQTT when ctx.config().mqttUrl() is present, CoAP when coapBind() is
    }

    /** Adapts {@link HealthServer} to the {@link Component} lifecycle. */
    static final class HealthHttpComponent implements Component {
        private final HealthServer server;

        HealthHttpComponent(HealthServer server) {
            this.server = server;
        }

        @Override
        public String name() {
            return "http";
        }

        @Override
        public void start() throws Exception {
            server.start();
        }

        @Override
        public void stop() {
            server.stop();
        }

        int port() {
            return server.port();
        }
    }

    /** Publishes the configured limits into the {@code /performance/*} sections. */
    static final class ConfigHealthComponent implements Component {
        private final io.tetheritall.hub.daemon.config.HubConfig config;

        ConfigHealthComponent(io.tetheritall.hub.daemon.config.HubConfig config) {
            this.config = config;
        }

        @Override
        public String name() {
            return "config";
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public Optional<io.tetheritall.hub.daemon.health.HealthContributor> health() {
            return Optional.of(new ConfigHealthContributor(config));
        }
    }
}
