package io.tetheritall.hub.bench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Helpers shared by the store benchmarks. */
final class BenchStores {
    private BenchStores() {
    }

    /** A Zigbee2MQTT-like device state of about 200 bytes. */
    static byte[] deviceState(int device, int counter) {
        String s = "{\"state\":\"" + (counter % 2 == 0 ? "ON" : "OFF") + "\",\"brightness\":" + (counter % 255)
                + ",\"color_temp\":370,\"linkquality\":" + (90 + device % 100) + ",\"power_on_behavior\":\"previous\","
                + "\"update\":{\"state\":\"idle\"},\"last_seen\":\"2026-11-27T06:00:" + (10 + counter % 50) + "Z\","
                + "\"device\":" + device + "}";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String key(int device) {
        return "state:0x00124b00" + String.format("%08x", device);
    }

    static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("bench-store-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field of /proc/self/status (kB) or /proc/self/io (bytes); -1 where not available. */
    static long proc(String file, String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/" + file))) {
                if (l.startsWith(field + ":")) {
                    return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
