package io.tetheritall.hub.daemon.core.registry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonFileDeviceRepositoryTest {
    private static Path dir() throws IOException {
        Files.createDirectories(Path.of("target/tmp"));
        return Files.createTempDirectory(Path.of("target/tmp"), "repo");
    }

    private static StoredDevice device(String ieee, String name) {
        return new StoredDevice(ieee, 0x1234, name, "Router", 0x117C, "Mains", "IKEA of Sweden", "M",
                List.of(new StoredDevice.StoredEndpoint(1, 0x0104, 0x0102, List.of(0, 6), List.of())), "SUCCESSFUL",
                Map.of("0x0006/0x0000", new StoredDevice.StoredAttribute(0x10, true)), Map.of("state", "ON"),
                List.of(), Map.of(), 42L, true);
    }

    @Test
    void savesFlushesAndReloads() throws IOException {
        Path dir = dir();
        JsonFileDeviceRepository r = new JsonFileDeviceRepository(dir);
        r.saveDevice(device("0x0000000000000001", "a"));
        r.saveGroup(new StoredGroup("g", 3, List.of("0x0000000000000001/1")));
        assertFalse(Files.exists(dir.resolve("devices.json")), "buffered until flush");
        r.flush();
        assertTrue(Files.exists(dir.resolve("devices.json")));
        assertFalse(Files.exists(dir.resolve("devices.json.tmp")), "temporary file renamed over");
        r.deleteDevice("0x0000000000000001");
        r.saveDevice(device("0x0000000000000002", "b"));
        r.close();
        JsonFileDeviceRepository again = new JsonFileDeviceRepository(dir);
        assertEquals(List.of("b"), again.loadDevices().stream().map(StoredDevice::friendlyName).toList());
        StoredDevice b = again.loadDevices().get(0);
        assertEquals("ON", b.state().get("state"));
        assertEquals(true, b.attributes().get("0x0006/0x0000").value());
        assertEquals(List.of(0, 6), b.endpoints().get(0).inputClusters());
        assertEquals(3, again.loadGroups().get(0).groupId());
    }

    @Test
    void corruptFileIsMovedAsideNotOverwrittenSilently() throws IOException {
        Path dir = dir();
        Files.writeString(dir.resolve("devices.json"), "{\"devices\": [ {\"ieee\": ");
        JsonFileDeviceRepository r = new JsonFileDeviceRepository(dir);
        assertTrue(r.loadDevices().isEmpty());
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("devices.json.corrupt-")));
        }
    }
}
