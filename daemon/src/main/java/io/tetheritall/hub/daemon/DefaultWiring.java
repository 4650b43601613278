package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.config.RadioPort;
import io.tetheritall.hub.daemon.health.HealthServer;
import io.tetheritall.hub.daemon.wiring.HubCoreComponent;
import io.tetheritall.hub.daemon.wiring.SimulatedStickComponent;
import io.tetheritall.hub.daemon.wiring.StoreComponent;
import io.tetheritall.hub.daemon.wiring.UplinkComponents;
import io.tetheritall.hub.daemon.wiring.ZigbeeRadioComponent;

import java.util.Optional;

/**
 * The production component order. Start order matters: the health server first (so {@code /health}
 * answers and {@code /readyz} says "starting ..." while the rest comes up), then store, radios,
 * core, uplinks; stop runs in reverse, so uplinks go quiet before the radios close and the store
 * flushes last.
 */
public final class DefaultWiring implements RuntimeWiring {

    @Override
    public Optional<String> configProblem(HubConfig config, boolean simulate) {
        if (!simulate && config.zigbeePort().isEmpty()) {
            return Optional.of("ZIGBEE_PORT is not set: set it to the coordinator (/dev/ttyUSB0, "
                    + "/dev/serial/by-id/..., tcp://host:port), or run with --simulate for a simulated one");
        }
        return Optional.empty();
    }

    @Override
    public void wire(Context ctx) {
        ctx.config().httpBind().ifPresent(bind ->
                ctx.runtime().add(new HealthHttpComponent(new HealthServer(bind, ctx.health(), ctx.metrics()))));
        ctx.runtime().add(new ConfigHealthComponent(ctx.config()));
        HubConfig config = ctx.config();
        ZigbeeRadioComponent radio;
        if (ctx.simulate()) {
            SimulatedStickComponent stick = new SimulatedStickComponent(config.stateDir(), config.simulateDevices(),
                    config.simulateSeed());
            ctx.runtime().add(stick);
            radio = new ZigbeeRadioComponent(config, stick::hostPath, true, ctx.runtime(), ctx.metrics().registry());
        } else {
            RadioPort port = config.zigbeePort().orElseThrow(() -> new IllegalStateException(
                    "ZIGBEE_PORT is not set: set it to the coordinator (/dev/ttyUSB0, /dev/serial/by-id/..., "
                            + "tcp://host:port) or run with --simulate"));
            radio = new ZigbeeRadioComponent(config, port::toString, false, ctx.runtime(), ctx.metrics().registry());
        }
        ctx.runtime().add(radio);
        HubCoreComponent core = new HubCoreComponent(config, () -> radio, ctx.metrics().registry(), ctx.simulate());
        ctx.runtime().add(core);
        StoreComponent store = new StoreComponent(config, core::api, ctx.metrics().registry());
        ctx.runtime().add(store);
        // The uplinks (MQTT, CoAP) are added after the store: they need the hub core and the outbox.
        addUplinks(ctx, core, store);
    }

    /** MQTT and CoAP, where configured. */
    private static void addUplinks(Context ctx, HubCoreComponent core, StoreComponent store) {
        if (ctx.config().mqttUrl().isPresent()) {
            ctx.runtime().add(new UplinkComponents.Mqtt(ctx.config(), core::api, () -> store));
        }
        if (ctx.config().coapBind().isPresent() || ctx.config().coapsBind().isPresent()) {
            ctx.runtime().add(new UplinkComponents.Coap(ctx.config(), core::api));
        }
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
