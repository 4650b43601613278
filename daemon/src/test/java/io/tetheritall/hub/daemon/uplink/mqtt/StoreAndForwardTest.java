package io.tetheritall.hub.daemon.uplink.mqtt;

import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.radios.time.HubClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broker outages: messages wait in the outbox, newest state wins, order is kept, nothing is lost. */
class StoreAndForwardTest {

    @BeforeEach
    void needMosquitto() {
        Assumptions.assumeTrue(Mosquitto.binary() != null, "mosquitto is not installed");
    }

    private static MqttSettings settings(Mosquitto b, String base) {
        return MqttSettings.builder("sf").port(b.port()).baseTopic(base).clientId("hub-" + base.replace('/', '-'))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200)).build();
    }

    private static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void outageQueuesInOrderSupersedesStateAndDrainsOnReconnect() throws Exception {
        try (Mosquitto broker = new Mosquitto()) {
            broker.start();
            try (LinkCutter link = new LinkCutter(broker.port());
                 TestClient user = new TestClient(broker.port(), "sf-user")) {
                String base = "sf/a";
                user.subscribe(base + "/#");
                FakeHub hub = new FakeHub();
                InMemoryOutbox outbox = new InMemoryOutbox(1000);
                MqttSettings s = settings(broker, base).toBuilder().port(link.port()).build();
                MqttUplink up = new MqttUplink(s, hub, outbox, HubClock.system());
                up.start();
                waitFor(up::connected, "connect");
                waitFor(() -> outbox.size() == 0, "initial snapshot out");
                link.cut();
                waitFor(() -> !up.connected(), "disconnect");
                user.collect(200);

                for (int i = 1; i <= 20; i++) {
                    hub.report("bulb", "brightness", i);
                    hub.fire(new HubEvent(HubEvent.Type.DEVICE_ANNOUNCE, "plug", "0x00124b0000000003", Map.of("n", i)));
                    if (i == 5) {
                        hub.setAvailable("plug", false);
                    }
                }
                waitFor(() -> up.metrics().outboxAppended() >= 41, "queueing");
                List<Outbox.Entry> queued = outbox.peekBatch(1000);
                assertEquals(20, queued.stream().filter(e -> e.topic().equals(base + "/bridge/event")).count());
                assertEquals(1, queued.stream().filter(e -> e.topic().equals(base + "/bulb")).count(),
                        "of the 20 bulb states only the newest waits");
                assertTrue(outbox.superseded() >= 19);
                assertTrue(user.collect(300).stream().noneMatch(m -> m.topic().endsWith("/bridge/event")),
                        "nothing reaches the broker during the outage");

                link.restore();
                waitFor(() -> outbox.size() == 0 && up.connected(), "drain");
                List<TestClient.Msg> got = user.collect(500);
                List<Object> ns = got.stream().filter(m -> m.topic().equals(base + "/bridge/event"))
                        .map(m -> ((Map<?, ?>) m.json().get("data")).get("n")).collect(Collectors.toList());
                assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).boxed().collect(Collectors.toList()), ns,
                        "events in order, none lost");
                List<Object> bulb = got.stream().filter(m -> m.topic().equals(base + "/bulb"))
                        .map(m -> m.json().get("brightness")).collect(Collectors.toList());
                assertEquals(List.of(20), bulb, "the newest bulb state, once, after the outage");
                // Each device's newest state and availability once per connect: the queued ones from the outbox,
                // in the position of their change (bulb 20 before event 20, plug offline after event 5), the
                // others from the connect snapshot.
                List<String> order = got.stream().filter(m -> m.topic().equals(base + "/bulb")
                        || m.topic().equals(base + "/plug/availability") || m.topic().equals(base + "/bridge/event"))
                        .map(m -> m.topic().endsWith("/bulb") ? "bulb" : m.topic().endsWith("/availability")
                                ? "plug:" + m.json().get("state")
                                : String.valueOf(((Map<?, ?>) m.json().get("data")).get("n")))
                        .collect(Collectors.toList());
                assertEquals(List.of("plug:offline"), order.stream().filter(o -> o.startsWith("plug:")).toList(),
                        order.toString());
                assertEquals(order.indexOf("5") + 1, order.indexOf("plug:offline"), order.toString());
                assertEquals(order.indexOf("20") - 1, order.indexOf("bulb"), order.toString());
                assertEquals(1, got.stream().filter(m -> m.topic().equals(base + "/kitchen/temp")).count(),
                        "a device with nothing queued gets its state from the snapshot");
                assertTrue(up.metrics().drained() >= 21);
                assertTrue(up.metrics().disconnects() >= 1);
                up.stop();
            }
        }
    }

    @Test
    void queuedMessagesSurviveAnUplinkRestart() throws Exception {
        try (Mosquitto broker = new Mosquitto()) {
            String base = "sf/b";
            FakeHub hub = new FakeHub();
            Outbox outbox = new InMemoryOutbox(1000); // stands in for the store's durable outbox
            MqttUplink first = new MqttUplink(settings(broker, base), hub, outbox, HubClock.system());
            first.start(); // broker not running: never connects
            Thread.sleep(100);
            for (int i = 1; i <= 5; i++) {
                hub.fire(new HubEvent(HubEvent.Type.DEVICE_JOINED, "dev" + i, "0x0000000000000" + i + "00", Map.of()));
            }
            waitFor(() -> outbox.size() == 5, "queueing");
            first.stop();
            assertEquals(5, outbox.size());

            broker.start();
            try (TestClient user = new TestClient(broker.port(), "sf-user2")) {
                user.subscribe(base + "/bridge/event");
                MqttUplink second = new MqttUplink(settings(broker, base), hub, outbox, HubClock.system());
                second.start();
                for (int i = 1; i <= 5; i++) {
                    var m = user.await(base + "/bridge/event").json();
                    assertEquals("device_joined", m.get("type"));
                    assertEquals("dev" + i, ((Map<?, ?>) m.get("data")).get("friendly_name"));
                }
                waitFor(() -> outbox.size() == 0, "drain");
                second.stop();
            }
        }
    }

    @Test
    void fullOutboxRefusesAndCounts() {
        InMemoryOutbox o = new InMemoryOutbox(2);
        assertEquals(1, o.append("event", null, "t", new byte[]{1}, 1, false));
        assertEquals(2, o.append("state", "s:a", "t", new byte[]{2}, 1, true));
        assertEquals(-1, o.append("event", null, "t", new byte[]{3}, 1, false));
        // A superseding state still fits: it replaces its predecessor.
        assertEquals(3, o.append("state", "s:a", "t", new byte[]{4}, 1, true));
        assertEquals(List.of(1L, 3L), o.peekBatch(10).stream().map(Outbox.Entry::id).collect(Collectors.toList()));
        o.ack(1);
        assertEquals(1, o.size());
        o.ack(3);
        assertEquals(0, o.size());
        assertEquals(1, o.refused());
    }
}
