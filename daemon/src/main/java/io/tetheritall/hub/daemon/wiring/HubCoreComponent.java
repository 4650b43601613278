package io.tetheritall.hub.daemon.wiring;

import io.tetheritall.hub.daemon.Component;
import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.core.CoreConfig;
import io.tetheritall.hub.daemon.core.ZigbeeHub;
import io.tetheritall.hub.daemon.core.api.HubApi;
import io.tetheritall.hub.daemon.core.registry.JsonFileDeviceRepository;
import io.tetheritall.hub.daemon.health.HealthContributor;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.radios.time.HubClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The hub core: device registry, commissioning, commands, availability, groups, behind {@link HubApi}.
 * It loads the paired devices from the state directory at start, so their last known state is served
 * at once, before the radio is up.
 */
public final class HubCoreComponent implements Component {
    private final HubConfig config;
    private final Supplier<ZigbeeRadioComponent> radio;
    private final MeterRegistry meters;
    private final boolean joinWhenEmpty;
    private ZigbeeHub hub;

    /**
     * @param joinWhenEmpty open joining for a minute when no device is paired yet (simulate mode: a
     *                      newcomer sees the simulated devices join without doing anything)
     */
    public HubCoreComponent(HubConfig config, Supplier<ZigbeeRadioComponent> radio, MeterRegistry meters,
                            boolean joinWhenEmpty) {
        this.config = config;
        this.radio = radio;
        this.meters = meters;
        this.joinWhenEmpty = joinWhenEmpty;
    }

    @Override
    public String name() {
        return "core";
    }

    /** The API the uplinks call; valid after {@link #start()}. */
    public HubApi api() {
        return hub;
    }

    @Override
    public void start() {
        long t0 = System.nanoTime();
        CoreConfig core = CoreConfig.defaults();
        hub = new ZigbeeHub(radio.get().radio(), HubClock.system(), new JsonFileDeviceRepository(config.stateDir()),
                DefinitionRegistry.builtIn(), core);
        hub.startTimer(Duration.ofMillis(250));
        if (joinWhenEmpty && hub.devices().isEmpty()) {
            // permitJoin goes through the scheduler, which queues it until the network is up.
            radio.get().radio().start().thenCompose(net -> hub.permitJoin(Duration.ofSeconds(60), null))
                    .whenComplete((v, err) -> {
                        if (err == null) {
                            Logger.info("no device paired yet: joining is open for 60 s");
                        } else {
                            Logger.warn("could not open joining: {}", err.toString());
                        }
                    });
        }
        Logger.info("hub core up with {} devices in {} ms", hub.devices().size(), (System.nanoTime() - t0) / 1_000_000);
        Gauge.builder("hub_devices", hub, h -> h.devices().size()).register(meters);
        Gauge.builder("hub_devices_available", hub, h -> h.devices().stream().filter(d -> d.available()).count())
                .register(meters);
        FunctionCounter.builder("hub_frames_dropped_total", hub, h -> h.metrics().snapshot().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("frames.dropped")).mapToLong(Map.Entry::getValue).sum())
                .register(meters);
    }

    @Override
    public void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Override
    public Optional<HealthContributor> health() {
        return Optional.of(HealthContributor.of("core", () -> Map.of("core", hub.health())));
    }
}
