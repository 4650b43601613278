package io.tetheritall.hub.daemon.uplink.mqtt;

import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.radios.time.HubClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT over TLS with a CA file and a client certificate, against mosquitto with require_certificate. */
class MqttTlsTest {
    private static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        Assumptions.assumeTrue(Mosquitto.binary() != null, "mosquitto is not installed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        dir = Files.createDirectories(Path.of("target", "tmp", "tls-" + System.nanoTime())).toAbsolutePath();
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        for (String ca : List.of("ca", "other-ca")) {
            sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt",
                    "-days", "1", "-subj", "/CN=" + ca);
        }
        for (String who : List.of("server", "client")) {
            sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + (who.equals("server") ? "localhost" : "hub"));
            sh("openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".crt", "-days", "1", "-extfile", "san.ext");
        }
        // mosquitto started as root drops to its own user, which must be able to read the (throw-away) keys.
        for (String k : List.of("server.key", "client.key")) {
            dir.resolve(k).toFile().setReadable(true, false);
        }
        sh("openssl", "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
                "-passout", "pass:secret");
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "failed: " + String.join(" ", cmd));
    }

    private static Mosquitto tlsBroker() throws Exception {
        return new Mosquitto(List.of("cafile " + dir.resolve("ca.crt"), "certfile " + dir.resolve("server.crt"),
                "keyfile " + dir.resolve("server.key"), "require_certificate true"));
    }

    /** Waits up to {@code millis}: a cold TLS handshake on a loaded 2-core box takes seconds. */
    private static boolean connects(MqttSettings s, long millis) throws InterruptedException {
        MqttUplink up = new MqttUplink(s, new FakeHub(), new InMemoryOutbox(100), HubClock.system());
        up.start();
        try {
            long deadline = System.currentTimeMillis() + millis;
            while (!up.connected() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            return up.connected();
        } finally {
            up.stop();
        }
    }

    @Test
    void connectsWithCaAndClientCertificateOnly() throws Exception {
        try (Mosquitto broker = tlsBroker()) {
            broker.start();
            MqttSettings.Builder b = MqttSettings.builder("tls").port(broker.port()).tls(true)
                    .reconnect(Duration.ofMillis(100), Duration.ofMillis(300));
            assertTrue(connects(b.tlsCaFile(dir.resolve("ca.crt")).tlsClientKeystore(dir.resolve("client.p12"), "secret").build(), 20_000),
                    "CA + client certificate");
            assertFalse(connects(b.tlsCaFile(dir.resolve("other-ca.crt")).build(), 3000), "a broker signed by another CA is not trusted");
            assertFalse(connects(b.tlsCaFile(dir.resolve("ca.crt")).tlsClientKeystore(null, null).build(), 3000),
                    "the broker requires a client certificate");
        }
    }
}
