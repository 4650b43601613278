package io.tetheritall.hub.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.config.HubConfigLoader;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class LoggingSetupTest {

    private static HubConfig config(String... kv) throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("HUB_ID", "t");
        env.put("HUB_STATE_DIR", "target/tmp/logging-state");
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return new HubConfigLoader().env(env).defaultConfigFile(Path.of("target/tmp/none.conf")).load();
    }

    @Test
    void fileWriterFollowsHubLogDirAndLevelFollowsHubLogLevel() throws Exception {
        Map<String, String> m = LoggingSetup.overrides(config("HUB_LOG_DIR", "/srv/hub-logs", "HUB_LOG_LEVEL", "debug"),
                Map.of(), true);
        assertEquals("/srv/hub-logs/hub-{date:yyyy-MM-dd}-{count}.log", m.get("writer2.file"));
        assertEquals("/srv/hub-logs/hub.log", m.get("writer2.latest"));
        assertEquals("debug", m.get("level@io.tetheritall"));
        assertFalse(m.containsKey("writer1.format"), "timestamps kept outside systemd");
    }

    @Test
    void underJournaldTheConsoleDropsTimestamps() throws Exception {
        Map<String, String> m = LoggingSetup.overrides(config(), Map.of("JOURNAL_STREAM", "8:12345"), true);
        assertEquals(LoggingSetup.JOURNAL_FORMAT, m.get("writer1.format"));
        assertFalse(LoggingSetup.JOURNAL_FORMAT.contains("{date"));
    }

    @Test
    void anUnusableLogDirSwitchesOffOnlyTheFileWriter() throws Exception {
        Map<String, String> m = LoggingSetup.overrides(config(), Map.of(), false);
        assertEquals("true", m.get(LoggingSetup.DROP_FILE_WRITER));
        assertFalse(m.containsKey("writer2.file"));
    }

    @Test
    void shippedTinylogPropertiesHaveTheAgreedWriters() throws Exception {
        Properties p = new Properties();
        try (InputStream in = LoggingSetup.class.getResourceAsStream("/tinylog.properties")) {
            assertNotNull(in, "tinylog.properties on the class path");
            p.load(in);
        }
        assertEquals("true", p.getProperty("writingthread"));
        assertEquals("false", p.getProperty("autoshutdown"));
        assertEquals("info", p.getProperty("level"));
        assertEquals("console", p.getProperty("writer1"));
        assertEquals("rolling file", p.getProperty("writer2"));
        assertTrue(p.getProperty("writer2.policies").contains("daily"));
        assertTrue(p.getProperty("writer2.policies").contains("size:"));
        assertEquals("7", p.getProperty("writer2.backups"));
        for (String noisy : new String[] {"io.netty", "com.hivemq", "org.eclipse.californium", "net.openhft"}) {
            assertEquals("warn", p.getProperty("level@" + noisy), noisy);
        }
    }
}
