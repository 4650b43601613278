package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.FakeZigbeeRadio.FakeDevice;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.registry.JsonFileDeviceRepository;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.radios.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tetheritall.hub.daemon.core.FakeZigbeeRadio.av;
import static org.junit.jupiter.api.Assertions.*;

/** A restart of the hub keeps every device, its definition, state and groups, without re-pairing. */
class HubRestartTest {
    private static <T> T ok(CompletableFuture<T> f) {
        assertTrue(f.isDone());
        return f.join();
    }

    @Test
    void restartKeepsDevicesWithoutReinterview() throws IOException {
        Files.createDirectories(Path.of("target/tmp"));
        Path dir = Files.createTempDirectory(Path.of("target/tmp"), "state");
        ManualClock clock = new ManualClock();
        FakeZigbeeRadio radio = new FakeZigbeeRadio();
        ZigbeeHub hub = new ZigbeeHub(radio, clock, new JsonFileDeviceRepository(dir), DefinitionRegistry.builtIn(),
                CoreConfig.defaults());
        FakeDevice bulb = FakeZigbeeRadio.of("colour-bulb", 1);
        FakeDevice plug = FakeZigbeeRadio.of("plug", 2);
        FakeDevice contact = FakeZigbeeRadio.of("contact", 3);
        radio.join(bulb);
        radio.join(plug);
        radio.join(contact);
        String bulbIeee = String.format("0x%016x", bulb.ieee);
        ok(hub.rename(bulbIeee, "hall/lamp"));
        ok(hub.set("hall/lamp", Map.of("brightness", 99), null));
        radio.report(plug, 0x0702, av(0, ZclDataType.UINT48, 2500L));
        ok(hub.addGroup("all", 7));
        ok(hub.addGroupMember("all", "hall/lamp", null));
        List<DeviceView> before = hub.devices();
        hub.close();

        // a new process: new radio object with the same network, new hub on the same state dir
        FakeZigbeeRadio radio2 = new FakeZigbeeRadio();
        radio2.add(bulb);
        radio2.add(plug);
        radio2.add(contact);
        ZigbeeHub hub2 = new ZigbeeHub(radio2, new ManualClock(), new JsonFileDeviceRepository(dir),
                DefinitionRegistry.builtIn(), CoreConfig.defaults());
        try {
            List<DeviceView> after = hub2.devices();
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++) {
                DeviceView b = before.get(i);
                DeviceView a = after.get(i);
                assertEquals(b.ieee(), a.ieee());
                assertEquals(b.friendlyName(), a.friendlyName());
                assertEquals(b.definition(), a.definition());
                assertEquals(b.capabilities(), a.capabilities());
                assertEquals(b.state(), a.state(), b.friendlyName());
                assertEquals("SUCCESSFUL", a.interview());
            }
            assertEquals(99L, hub2.device("hall/lamp").orElseThrow().state().get("brightness"));
            assertEquals(2.5, hub2.device(String.format("0x%016x", plug.ieee)).orElseThrow().state().get("energy"));
            assertEquals(List.of(bulbIeee + "/1"), hub2.group("all").orElseThrow().members());
            // usable at once, without any ZDO interview traffic
            ok(hub2.set("hall/lamp", Map.of("state", "OFF"), null));
            assertEquals(false, bulb.value(6, 0));
            assertTrue(radio2.zdo.isEmpty(), radio2.zdo.toString());
            // the IAS zone type cached at interview still maps the contact sensor
            radio2.deliver(contact, 0x0500, java.util.HexFormat.of().parseHex("1905000000000000"));
            assertEquals(true, hub2.device(String.format("0x%016x", contact.ieee)).orElseThrow().state()
                    .get("contact"));
        } finally {
            hub2.close();
        }
    }
}
