package io.tetheritall.hub.radios.znp;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropertiesNetworkParamsStoreTest {
    private static Path dir(String name) throws Exception {
        Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        return Files.createTempDirectory(tmp, name);
    }

    @Test
    void roundTripsAndKeepsTheKeyOutOfToString() throws Exception {
        Path d = dir("params");
        PropertiesNetworkParamsStore s = new PropertiesNetworkParamsStore(d.resolve("state"), "zb0");
        assertTrue(s.load().isEmpty());
        NetworkParams p = NetworkParams.generate(new SecureRandom());
        s.save(p);
        assertEquals(p, new PropertiesNetworkParamsStore(d.resolve("state"), "zb0").load().orElseThrow());
        assertFalse(p.toString().contains(java.util.HexFormat.of().formatHex(p.networkKey())));
        assertFalse(Files.exists(s.file().resolveSibling(s.file().getFileName() + ".tmp")));
    }

    @Test
    void damagedFileIsNotSilentlyReplaced() throws Exception {
        Path d = dir("damaged");
        PropertiesNetworkParamsStore s = new PropertiesNetworkParamsStore(d, "zb0");
        Files.writeString(s.file(), "channel=15\npanId=zz\n");
        assertThrows(IllegalStateException.class, s::load);
    }

    @Test
    void generatedParamsAreValid() {
        SecureRandom r = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            NetworkParams p = NetworkParams.generate(r);
            assertTrue(java.util.Set.of(11, 15, 20, 25).contains(p.channel()));
            assertTrue(p.panId() >= 1 && p.panId() <= 0xFFFE);
            assertEquals(16, p.networkKey().length);
        }
        assertThrows(IllegalArgumentException.class, () -> new NetworkParams(10, 1, 1, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> new NetworkParams(11, 0xFFFF, 1, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> new NetworkParams(11, 1, 0, new byte[16]));
    }
}
