package io.tetheritall.hub.daemon.uplink.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.daemon.wiring.StoreOutbox;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.store.StoreClock;
import io.tetheritall.hub.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store-and-forward through the production pieces: the real {@link MqttUplink}, the {@link StoreOutbox} on the
 * store's MapDB outbox file, a real mosquitto. The broker is down, messages go to disk, the hub restarts (uplink
 * and outbox closed, new ones opened on the same file), the broker comes back, and everything is delivered in
 * order with only the newest state per device.
 */
class DurableStoreAndForwardTest {
    @TempDir
    Path dir;

    private static volatile Object last;

    private static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + " " + last);
            }
            Thread.sleep(10);
        }
    }

    private io.tetheritall.hub.store.outbox.Outbox openStore() throws Exception {
        return io.tetheritall.hub.store.outbox.Outbox.open(StoreConfig.builder().stateDir(dir).outboxMaxCount(10_000).build(),
                StoreClock.system());
    }

    @Test
    void brokerDownHubRestartBrokerBackDeliversEverythingInOrderNewestStateOnly() throws Exception {
        Assumptions.assumeTrue(Mosquitto.binary() != null, "mosquitto is not installed");
        String base = "dsf";
        try (Mosquitto broker = new Mosquitto(); LinkCutter link = new LinkCutter(broker.port())) {
            // The broker is not running, and the hub's path to it stays cut until the test's subscriber is ready.
            link.cut();
            MqttSettings s = MqttSettings.builder("dsf").port(link.port()).baseTopic(base).clientId("hub-dsf")
                    .reconnect(Duration.ofMillis(50), Duration.ofMillis(200)).build();
            FakeHub hub = new FakeHub();

            io.tetheritall.hub.store.outbox.Outbox store1 = openStore();
            StoreOutbox outbox1 = new StoreOutbox(store1);
            MqttUplink first = new MqttUplink(s, hub, outbox1, HubClock.system());
            first.start();
            // start() subscribes before it returns: events fired right after it are not missed (they were, when the
            // subscription happened later on the uplink's thread).
            assertEquals(1, hub.listeners());
            long snapshot = first.metrics().outboxAppended();
            for (int i = 1; i <= 20; i++) {
                hub.report("bulb", "brightness", i);
                if (i <= 10) {
                    hub.fire(new HubEvent(HubEvent.Type.DEVICE_ANNOUNCE, "plug", "0x00124b0000000003", Map.of("n", i)));
                }
            }
            waitFor(() -> { last = first.metrics() + " size " + outbox1.size(); return first.metrics().outboxAppended() >= snapshot + 30; }, "queueing on disk");
            assertTrue(!first.connected());
            first.stop();
            store1.close();

            // Hub restart: a new outbox on the same file, a new uplink.
            io.tetheritall.hub.store.outbox.Outbox store2 = openStore();
            StoreOutbox outbox2 = new StoreOutbox(store2);
            List<Outbox.Entry> onDisk = outbox2.peekBatch(10_000);
            assertEquals(10, onDisk.stream().filter(e -> e.topic().equals(base + "/bridge/event")).count());
            List<Outbox.Entry> bulbOnDisk = onDisk.stream().filter(e -> e.topic().equals(base + "/bulb"))
                    .collect(Collectors.toList());
            assertEquals(1, bulbOnDisk.size(), "one state per device waits on disk");
            assertTrue(new String(bulbOnDisk.get(0).payload(), StandardCharsets.UTF_8).contains("\"brightness\":20"));
            assertTrue(bulbOnDisk.get(0).retain());

            MqttUplink second = new MqttUplink(s, hub, outbox2, HubClock.system());
            second.start();
            assertEquals(1, hub.listeners());
            // Still down after the restart: more events queue behind the old ones.
            for (int i = 11; i <= 15; i++) {
                hub.fire(new HubEvent(HubEvent.Type.DEVICE_ANNOUNCE, "plug", "0x00124b0000000003", Map.of("n", i)));
            }
            waitFor(() -> second.metrics().outboxAppended() >= 5, "queueing");

            broker.start();
            try (TestClient user = new TestClient(broker.port(), "dsf-user")) {
                user.subscribe(base + "/#");
                link.restore();
                waitFor(() -> second.connected() && outbox2.size() == 0, "drain after the broker is back");
                List<TestClient.Msg> got = user.collect(1000);
                List<Object> ns = got.stream().filter(m -> m.topic().equals(base + "/bridge/event"))
                        .map(m -> ((Map<?, ?>) m.json().get("data")).get("n"))
                        .collect(Collectors.toList());
                assertEquals(IntStream.rangeClosed(1, 15).boxed().collect(Collectors.toList()), ns,
                        "every event once, in order, across the restart");
                List<TestClient.Msg> bulb = got.stream().filter(m -> m.topic().equals(base + "/bulb"))
                        .collect(Collectors.toList());
                // The 19 older states never leave the disk, and the newest goes out once: from the outbox, where it
                // waits in the position of its change (after event 10, before the events fired after the restart).
                // The connect snapshot adds no second copy of it.
                assertEquals(1, bulb.size(), "the newest bulb state, once: " + bulb);
                assertTrue(bulb.get(0).payload().contains("\"brightness\":20"), bulb.toString());
                List<String> order = got.stream().filter(m -> m.topic().equals(base + "/bulb")
                        || m.topic().equals(base + "/bridge/event"))
                        .map(m -> m.topic().endsWith("/bulb") ? "bulb"
                                : String.valueOf(((Map<?, ?>) m.json().get("data")).get("n")))
                        .collect(Collectors.toList());
                assertEquals(10, order.indexOf("bulb"), "the state in the position of its change: " + order);
                assertEquals(0, store2.size());
                assertTrue(second.metrics().drained() >= 16, second.metrics().toString());
            } finally {
                second.stop();
                store2.close();
            }
        }
    }
}
