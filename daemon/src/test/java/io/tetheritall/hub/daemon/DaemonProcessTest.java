package io.tetheritall.hub.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real launcher in its own JVM, as systemd runs it: READY=1 on the notify socket once started,
 * SIGTERM stops the components (their lines reach the log file through tinylog's writing thread),
 * STOPPING=1 is sent, and the exit status is 143.
 */
class DaemonProcessTest {

    private static String mainClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // Without test-classes: the child must use the shipped tinylog.properties, not tinylog-test.properties.
        return Arrays.stream(cp.split(File.pathSeparator)).filter(e -> !e.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Test
    void notifiesReadyStopsOnSigtermAndExits143() throws Exception {
        Assumptions.assumeTrue(io.tetheritall.hub.radios.link.pty.SocatPty.available(), "needs socat");
        String cp = mainClassPath();
        Assumptions.assumeTrue(cp.contains("tinylog-impl"), "needs the real test class path, got " + cp);
        Files.createDirectories(Path.of("target/tmp"));
        Path dir = Files.createTempDirectory(Path.of("target/tmp"), "proc").toAbsolutePath();
        Path sock = Files.createTempDirectory(Path.of("/tmp"), "hubproc").resolve("notify.sock");
        try (SystemdNotifierTest.Receiver notify = new SystemdNotifierTest.Receiver(sock.toString())) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx96m", "-XX:+UseSerialGC"));
            // The flags the launcher gives the JVM (Chronicle Map's opens, no analytics), as this test JVM has them.
            java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle.")).forEach(cmd::add);
            cmd.addAll(List.of("-cp", cp, "io.tetheritall.hub.daemon.Main", "run", "--simulate"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("console.txt").toFile());
            pb.environment().put("HUB_PROFILE", "testing");
            pb.environment().put("HUB_ID", "proc-test");
            // The production wiring, simulated stick included: socat pty, jssc, coordinator, core, store.
            pb.environment().put("SIMULATE_DEVICES", "2");
            pb.environment().put("COAP_BIND", "off");
            pb.environment().put("HTTP_BIND", "127.0.0.1:" + freePort());
            pb.environment().put("HUB_STATE_DIR", dir.resolve("state").toString());
            pb.environment().put("HUB_LOG_DIR", dir.resolve("log").toString());
            pb.environment().put("HUB_CONFIG", Files.writeString(dir.resolve("hub.conf"), "# empty\n").toString());
            pb.environment().put("NOTIFY_SOCKET", sock.toString());
            pb.environment().put("JOURNAL_STREAM", "0:0");
            Process p = pb.start();
            try {
                // Generous: a JVM start on a loaded 2-core machine can take many seconds.
                String ready;
                try {
                    ready = notify.receive(Duration.ofSeconds(90));
                } catch (AssertionError e) {
                    throw new AssertionError("no READY=1; alive=" + p.isAlive() + ", console:\n"
                            + Files.readString(dir.resolve("console.txt")), e);
                }
                assertTrue(ready.startsWith("READY=1\nSTATUS=running"), ready);
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not stop");
                assertEquals(ExitCodes.SIGTERM, p.exitValue());
                assertTrue(notify.receive(Duration.ofSeconds(30)).startsWith("STOPPING=1"));
            } finally {
                p.destroyForcibly();
            }
            String console = Files.readString(dir.resolve("console.txt"), StandardCharsets.UTF_8);
            String file = Files.readString(dir.resolve("log").resolve("hub.log"), StandardCharsets.UTF_8);
            assertTrue(file.contains("http: stopped"), "last lines drained to the file:\n" + file);
            assertTrue(file.matches("(?s)^\\d{4}-\\d{2}-\\d{2} .*"), "file lines carry timestamps");
            assertTrue(console.lines().anyMatch(l -> l.startsWith("INFO  [main] RunCommand: tetheritall-hub")),
                    "journald format: no timestamp on the console:\n" + console);
        } finally {
            Files.deleteIfExists(sock);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
