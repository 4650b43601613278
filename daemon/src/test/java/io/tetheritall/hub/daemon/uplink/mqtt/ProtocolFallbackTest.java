package io.tetheritall.hub.daemon.uplink.mqtt;

import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.radios.time.HubClock;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An MQTT 3.1.1-only broker answers an MQTT 5 CONNECT with the 3.1.1 CONNACK "unacceptable protocol
 * version" (MQTT 3.1.1 §3.2.2.3, return code 0x01): the uplink must then speak 3.1.1.
 */
class ProtocolFallbackTest {

    @Test
    void fallsBackTo311WhenTheBrokerRefusesMqtt5() throws Exception {
        List<Integer> levels = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        int type = in.read();
                        int len = remainingLength(in);
                        byte[] body = new byte[len];
                        new DataInputStream(in).readFully(body);
                        // Variable header: protocol name (2-byte length + "MQTT"), then the level.
                        int level = body[6] & 0xff;
                        levels.add(level);
                        if ((type & 0xf0) == 0x10 && level == 5) {
                            s.getOutputStream().write(new byte[]{0x20, 0x02, 0x00, 0x01});
                        } else {
                            s.getOutputStream().write(new byte[]{0x20, 0x02, 0x00, 0x00});
                            in.read(); // hold the connection until the client goes
                        }
                        s.getOutputStream().flush();
                        Thread.sleep(50);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "fake-mqtt311");
            t.setDaemon(true);
            t.start();
            MqttSettings s = MqttSettings.builder("fb").port(server.getLocalPort())
                    .reconnect(Duration.ofMillis(50), Duration.ofMillis(100)).build();
            MqttUplink up = new MqttUplink(s, new FakeHub(), new InMemoryOutbox(10), HubClock.system());
            up.start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!up.connected() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(up.connected(), "connected after fallback; CONNECT levels seen: " + levels);
            assertEquals(5, levels.get(0));
            assertEquals(4, levels.get(levels.size() - 1));
            assertEquals("3.1.1", up.metrics().protocol());
            up.stop();
        }
    }

    private static int remainingLength(InputStream in) throws IOException {
        int value = 0;
        int mult = 1;
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("eof");
            }
            value += (b & 0x7f) * mult;
            mult *= 128;
        } while ((b & 0x80) != 0);
        return value;
    }
}
