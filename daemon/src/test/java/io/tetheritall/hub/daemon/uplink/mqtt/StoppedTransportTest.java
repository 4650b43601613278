package io.tetheritall.hub.daemon.uplink.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A transport stopped while it waits between two reconnect attempts must never connect again: its next attempt
 * would take the session (same client id) from the uplink that replaced it, which would then drop, reconnect and
 * republish its snapshot. Real mosquitto; the first transport's path to it is cut, then restored right after
 * {@code stop()}, inside its reconnect delay.
 */
class StoppedTransportTest {
    private static final class Counting implements MqttTransport.Listener {
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger disconnected = new AtomicInteger();

        @Override
        public void connected() {
            connected.incrementAndGet();
        }

        @Override
        public void disconnected(Throwable cause, boolean wrongProtocol) {
            disconnected.incrementAndGet();
        }

        @Override
        public void message(MqttTransport.Inbound m) {
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @ParameterizedTest(name = "MQTT 5: {0}")
    @ValueSource(booleans = {true, false})
    void stoppedBetweenAttemptsItNeverTakesTheSessionFromItsSuccessor(boolean v5) throws Exception {
        Assumptions.assumeTrue(Mosquitto.binary() != null, "mosquitto is not installed");
        try (Mosquitto broker = new Mosquitto(); LinkCutter link = new LinkCutter(broker.port())) {
            broker.start();
            link.cut();
            String id = "hub-stopped-" + v5;
            Counting old = new Counting();
            MqttTransport first = HiveTransports.create(MqttSettings.builder("st").port(link.port()).clientId(id)
                    .reconnect(Duration.ofMillis(150), Duration.ofMillis(150)).build(), v5, "st/bridge/state", old);
            first.start();
            waitFor(() -> old.disconnected.get() >= 2, "two failed attempts");
            first.stop();
            link.restore(); // the next attempt, had it been made, would now get through

            Counting successor = new Counting();
            MqttTransport second = HiveTransports.create(MqttSettings.builder("st").port(broker.port()).clientId(id)
                    .build(), v5, "st/bridge/state", successor);
            second.start();
            try {
                waitFor(() -> successor.connected.get() == 1, "the successor to connect");
                Thread.sleep(1_000); // several of the stopped transport's reconnect delays
                assertEquals(0, successor.disconnected.get(), "the successor lost its session");
                assertEquals(0, old.connected.get(), "the stopped transport connected");
            } finally {
                second.stop().get(5, TimeUnit.SECONDS);
            }
        }
    }
}
