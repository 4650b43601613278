package io.tetheritall.hub.radios.znp.sim;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Zigbee2MQTT's own stack against the simulator: zigbee-herdsman's zstack adapter forms the
 * network, interviews all 8 devices (sleepy ones through their polls, IAS enrolment included),
 * switches and colours a bulb, binds, configures reporting, sends a group command, reads LQI,
 * writes a coordinator backup, then stops. Real time, about a minute and a half; skipped unless
 * {@code ZH_HERDSMAN_DIR} names a directory with {@code node_modules/zigbee-herdsman}.
 */
class HerdsmanInteropTest {

    @Test
    void zigbeeHerdsmanFormsInterviewsAndControls() throws Exception {
        String dir = System.getenv("ZH_HERDSMAN_DIR");
        assumeTrue(dir != null && new File(dir, "node_modules/zigbee-herdsman").isDirectory(),
                "set ZH_HERDSMAN_DIR to a directory with node_modules/zigbee-herdsman");
        Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        Path data = Files.createTempDirectory(tmp, "zh");
        TcpServerLink link = new TcpServerLink(0);
        ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(42).deviceCount(8).nvFile(data.resolve("nv.txt")).build();
        try (ZnpSimulator sim = ZnpSimulator.realTime(cfg, link)) {
            sim.start();
            Path script = Path.of("src/test/herdsman/hm-interop.js").toAbsolutePath();
            Path log = data.resolve("hm.log");
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), String.valueOf(link.port()),
                    data.resolve("zh").toString(), "8").directory(new File(dir)).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("NODE_PATH", new File(dir, "node_modules").getAbsolutePath());
            Process p = pb.start();
            boolean done = p.waitFor(240, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(done, "herdsman run timed out:\n" + out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("interviewed 8"), out);
            assertTrue(out.contains("bulb onOff after on {\"onOff\":1}"), out);
            assertTrue(out.contains("stopped OK"), out);
            assertEquals(8, sim.counters().joins());
            assertEquals(0, sim.counters().bufferFull(), "herdsman stayed within the in-flight limit");
            assertTrue(sim.counters().maxInFlight() <= 12);
        }
    }
}
