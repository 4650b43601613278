package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.FakeZigbeeRadio.FakeDevice;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.core.registry.InMemoryDeviceRepository;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.radios.time.ManualClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A {@link ZigbeeHub} on a {@link FakeZigbeeRadio} and a manual clock, with every event it publishes recorded. */
abstract class HubCoreFixture {
    final ManualClock clock = new ManualClock();
    final FakeZigbeeRadio radio = new FakeZigbeeRadio();
    final List<HubEvent> events = new CopyOnWriteArrayList<>();
    final CoreConfig config = CoreConfig.defaults();
    ZigbeeHub hub;

    @BeforeEach
    void startHub() {
        hub = new ZigbeeHub(radio, clock, () -> 1_700_000_000_000L, new InMemoryDeviceRepository(),
                DefinitionRegistry.builtIn(), config);
        hub.subscribe(events::add);
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    /** A fake device of {@code kind} joins and is interviewed. */
    FakeDevice join(String kind, int index) {
        FakeDevice d = FakeZigbeeRadio.of(kind, index);
        radio.join(d);
        return d;
    }

    static String ieee(FakeDevice d) {
        return String.format("0x%016x", d.ieee);
    }
}
