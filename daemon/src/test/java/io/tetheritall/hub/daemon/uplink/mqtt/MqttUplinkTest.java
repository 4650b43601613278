package io.tetheritall.hub.daemon.uplink.mqtt;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.uplink.ClientLimiter;
import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MQTT uplink against a real mosquitto and the fake hub. */
class MqttUplinkTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static Mosquitto broker;

    private FakeHub hub;
    private MqttUplink uplink;
    private TestClient user;
    private String base;

    @BeforeAll
    static void broker() throws Exception {
        Assumptions.assumeTrue(Mosquitto.binary() != null, "mosquitto is not installed");
        broker = new Mosquitto();
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void tearDown() {
        if (user != null) {
            user.close();
        }
        if (uplink != null) {
            uplink.stop();
        }
    }

    private MqttSettings.Builder settings() {
        base = "tetheritall/hub" + SEQ.incrementAndGet();
        return MqttSettings.builder("x").port(broker.port()).baseTopic(base).clientId("hub-" + base.replace('/', '-'))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    private void start(MqttSettings s, HubClock clock) throws Exception {
        start(s, clock, new InMemoryOutbox(10_000));
    }

    private void start(MqttSettings s, HubClock clock, Outbox outbox) throws Exception {
        hub = hub == null ? new FakeHub() : hub;
        user = new TestClient(broker.port(), "user-" + SEQ.incrementAndGet());
        user.subscribe(base + "/#");
        uplink = new MqttUplink(s, hub, outbox, clock);
        uplink.start();
        user.await(m -> m.topic().equals(base + "/bridge/state") && m.payload().equals("online"), 5000);
    }

    private Map<String, Object> response(String name) throws InterruptedException {
        return user.await(base + "/bridge/response/" + name).json();
    }

    @Test
    void connectPublishesBridgeStateDevicesAvailabilityAndState() throws Exception {
        start(settings().build(), HubClock.system());
        var devices = user.await(base + "/bridge/devices");
        assertTrue(devices.payload().contains("\"friendly_name\":\"kitchen/temp\""), devices.payload());
        assertTrue(devices.payload().contains("\"exposes\""), devices.payload());
        assertTrue(devices.payload().contains("\"value_max\":254.0"), devices.payload());
        assertEquals("{\"state\":\"online\"}", user.await(base + "/bulb/availability").payload());
        var temp = user.await(base + "/kitchen/temp").json();
        assertEquals(21.5, temp.get("temperature"));
        assertTrue(user.await(base + "/bridge/groups").payload().contains("\"living\""));
        assertTrue(user.await(base + "/bridge/info").payload().contains("\"base_topic\":\"" + base + "\""));

        // A late subscriber gets the retained state.
        try (TestClient late = new TestClient(broker.port(), "late-" + SEQ.incrementAndGet())) {
            late.subscribe(base + "/bulb");
            var m = late.await(base + "/bulb");
            assertTrue(m.retained());
            assertEquals("OFF", m.json().get("state"));
        }
        assertEquals("5", uplink.metrics().protocol());
    }

    @Test
    void setJsonAndPlainCapabilityAndGet() throws Exception {
        start(settings().build(), HubClock.system());
        user.publish(base + "/bulb/set", "{\"state\":\"ON\",\"brightness\":120}");
        var s = user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"brightness\":120"), 5000).json();
        assertEquals("ON", s.get("state"));
        user.publish(base + "/bulb/set/brightness", "77");
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"brightness\":77"), 5000);
        user.publish(base + "/bulb/set/state", "OFF"); // bare text, as Zigbee2MQTT accepts
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"state\":\"OFF\""), 5000);
        user.publish(base + "/bulb/set/color", "{\"x\":0.5,\"y\":0.4}");
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"x\":0.5"), 5000);
        user.publish(base + "/living/set", "{\"brightness\":66}"); // a group
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"brightness\":66"), 5000);
        user.publish(base + "/kitchen/temp/get", "{\"temperature\":\"\"}");
        user.await(m -> m.topic().equals(base + "/kitchen/temp") && m.payload().contains("21.5"), 5000);
        assertEquals("mqtt", hub.lastClient);
        // With a transaction the set is confirmed on bridge/response/device/set.
        user.publish(base + "/plug/set", "{\"state\":\"OFF\",\"transaction\":42}");
        var r = response("device/set");
        assertEquals("ok", r.get("status"));
        assertEquals(42, r.get("transaction"));
        assertEquals("OFF", ((Map<?, ?>) ((Map<?, ?>) r.get("data")).get("state")).get("state"));
    }

    @Test
    void badCommandsGetClearErrorsAndTheHubKeepsServing() throws Exception {
        start(settings().maxPayloadBytes(256).build(), HubClock.system());
        user.publish(base + "/bulb/set", "{\"state\":\"ON\",");
        assertErr(response("device/set"), "malformed JSON");
        user.publish(base + "/bulb/set", "{\"brightness\":\"" + "x".repeat(300) + "\"}");
        assertErr(response("device/set"), "exceeds the limit of 256 bytes");
        user.publish(base + "/nosuch/set", "{\"state\":\"ON\"}");
        assertErr(response("device/set"), "not_found: no device 'nosuch'");
        user.publish(base + "/bulb/set", "{\"flavour\":\"mint\"}");
        assertErr(response("device/set"), "no capability 'flavour'");
        user.publish(base + "/bulb/set", "{\"brightness\":\"high\"}");
        assertErr(response("device/set"), "brightness: expected a number 0..254");
        user.publish(base + "/bulb/set/brightness", "300");
        assertErr(response("device/set"), "brightness: 300 is out of range 0..254");
        user.publish(base + "/kitchen/temp/set", "{\"temperature\":20}");
        var ro = response("device/set");
        assertErr(ro, "not_allowed: temperature on 'kitchen/temp' is read-only");
        assertEquals("NOT_ALLOWED", ((Map<?, ?>) ro.get("data")).get("code"));
        user.publish(base + "/bulb/set", "[1,2]");
        assertErr(response("device/set"), "expected a JSON object");
        user.publish(base + "/bulb/set", "{}");
        assertErr(response("device/set"), "nothing to set");
        // Odd bytes in a topic: dropped with a counter, no answer, no crash.
        // mosquitto itself disconnects a client that puts control characters in a topic...
        try (TestClient rogue = new TestClient(broker.port(), "rogue-" + SEQ.incrementAndGet())) {
            assertThrows(RuntimeException.class, () -> rogue.publish(base + "/bu\u0001lb/set", "{\"state\":\"ON\"}"));
        }
        // ...but lets through U+FFFD, the mark of a bad decode upstream (not U+FFFF): the uplink drops those.
        user.publish(base + "/bu\uFFFDlb/set", "{\"state\":\"ON\"}");
        user.publish(base + "/bulb\uFFFD/set", "{\"state\":\"ON\"}");
        // ...and everyone is still served.
        user.publish(base + "/bulb/set", "{\"brightness\":5}");
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"brightness\":5"), 5000);
        assertEquals(2, uplink.metrics().droppedTopics());
        assertTrue(uplink.metrics().badPayloads() >= 4);
        assertEquals(1, hub.sets.get());
    }

    private static void assertErr(Map<String, Object> r, String text) {
        assertEquals("error", r.get("status"), r.toString());
        assertTrue(String.valueOf(r.get("error")).contains(text), "expected '" + text + "' in " + r);
    }

    @Test
    void bridgeRequestsEchoTransactions() throws Exception {
        start(settings().build(), HubClock.system());
        user.publish(base + "/bridge/request/permit_join", "{\"time\":60,\"transaction\":\"t1\"}");
        var r = response("permit_join");
        assertEquals("ok", r.get("status"));
        assertEquals("t1", r.get("transaction"));
        assertEquals(Map.of("value", true, "time", 60), r.get("data"));
        assertEquals(Duration.ofSeconds(60), hub.lastPermitJoin);
        user.await(m -> m.topic().equals(base + "/bridge/event") && m.payload().contains("permit_join"), 5000);

        user.publish(base + "/bridge/request/permit_join", "{\"time\":999,\"transaction\":\"t2\"}");
        assertErr(response("permit_join"), "time: must be an integer 0..254, got 999");

        user.publish(base + "/bridge/request/health_check", "");
        r = response("health_check");
        assertEquals("ok", r.get("status"));
        assertFalse(r.containsKey("transaction"), "no transaction asked, none echoed");
        assertEquals(true, ((Map<?, ?>) r.get("data")).get("healthy"));

        user.publish(base + "/bridge/request/device/rename", "{\"from\":\"bulb\",\"to\":\"lamp+1\",\"transaction\":3}");
        assertErr(response("device/rename"), "wildcards");
        user.publish(base + "/bridge/request/device/rename", "{\"from\":\"bulb\",\"to\":\"lamp\\u0000x\",\"transaction\":3}");
        assertErr(response("device/rename"), "control character U+0000");
        user.publish(base + "/bridge/request/device/rename", "{\"from\":\"bulb\",\"to\":\"living/lamp\",\"transaction\":4}");
        r = response("device/rename");
        assertEquals("ok", r.get("status"), r.toString());
        assertEquals(Map.of("from", "bulb", "to", "living/lamp"), r.get("data"));
        // Old retained state is cleared, the new name gets it.
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().isEmpty(), 5000);
        user.await(base + "/living/lamp");
        user.publish(base + "/living/lamp/set/brightness", "9");
        user.await(m -> m.topic().equals(base + "/living/lamp") && m.payload().contains("\"brightness\":9"), 5000);

        user.publish(base + "/bridge/request/device/options", "{\"id\":\"plug\",\"options\":{\"retain\":false}}");
        assertEquals("ok", response("device/options").get("status"));
        user.publish(base + "/bridge/request/group/add", "{\"friendly_name\":\"hall\",\"id\":7}");
        assertEquals(Map.of("friendly_name", "hall", "id", 7), response("group/add").get("data"));
        user.await(m -> m.topic().equals(base + "/bridge/groups") && m.payload().contains("hall"), 5000);
        user.publish(base + "/bridge/request/group/members/add", "{\"group\":\"hall\",\"device\":\"plug\"}");
        assertEquals("ok", response("group/members/add").get("status"));
        user.publish(base + "/bridge/request/group/members/remove", "{\"group\":\"hall\",\"device\":\"plug\"}");
        assertEquals("ok", response("group/members/remove").get("status"));
        user.publish(base + "/bridge/request/group/remove", "{\"id\":\"hall\"}");
        assertEquals("ok", response("group/remove").get("status"));
        user.publish(base + "/bridge/request/group/remove", "{\"id\":\"hall\"}");
        assertErr(response("group/remove"), "no group 'hall'");
        user.publish(base + "/bridge/request/device/remove", "{\"id\":\"plug\",\"force\":true}");
        assertEquals("ok", response("device/remove").get("status"));
        user.await(m -> m.topic().equals(base + "/bridge/event") && m.payload().contains("device_removed"), 5000);

        user.publish(base + "/bridge/request/device/rename", "{\"from\":\"bulb\"");
        assertErr(response("device/rename"), "malformed JSON");
        user.publish(base + "/bridge/request/device/rename", "{\"to\":\"x\",\"transaction\":5}");
        assertErr(response("device/rename"), "from: missing");
        user.publish(base + "/bridge/request/reboot_the_moon", "{}");
        assertErr(response("reboot_the_moon"), "unknown request 'reboot_the_moon'");
    }

    @Test
    void requestWithoutTransactionIsRefusedWhenRequired() throws Exception {
        start(settings().requireTransaction(true).build(), HubClock.system());
        user.publish(base + "/bridge/request/health_check", "{}");
        assertErr(response("health_check"), "missing 'transaction'");
        user.publish(base + "/bridge/request/health_check", "{\"transaction\":1}");
        assertEquals("ok", response("health_check").get("status"));
    }

    @Test
    void mqtt5ResponseTopicAndCorrelationDataAreHonoured() throws Exception {
        start(settings().build(), HubClock.system());
        user.subscribe("replies/me");
        byte[] corr = {1, 2, 3, 4};
        user.publishWithResponse(base + "/bridge/request/health_check", "{\"transaction\":\"a\"}", "replies/me", corr);
        var m = user.await("replies/me");
        assertArrayEquals(corr, m.correlation());
        assertEquals("a", m.json().get("transaction"));
        user.publishWithResponse(base + "/bulb/set", "{\"brightness\":3}", "replies/me", new byte[]{9});
        m = user.await("replies/me");
        assertEquals("ok", m.json().get("status"));
        assertArrayEquals(new byte[]{9}, m.correlation());
    }

    @Test
    void commandsWhileTheRadioIsDownAreAnsweredAtOnce() throws Exception {
        start(settings().commandTimeout(Duration.ofMillis(300)).build(), HubClock.system());
        hub.failWith(CommandError.RADIO_UNAVAILABLE, "zigbee radio is resetting", 2000);
        user.publish(base + "/bulb/set", "{\"state\":\"ON\"}");
        var r = response("device/set");
        assertErr(r, "radio_unavailable: zigbee radio is resetting; retry after 2000 ms");
        assertEquals(2000, ((Map<?, ?>) r.get("data")).get("retry_after_ms"));
        hub.failWith(CommandError.RATE_LIMITED, "zigbee queue full", 500);
        user.publish(base + "/bulb/set", "{\"state\":\"ON\"}");
        assertErr(response("device/set"), "rate_limited: zigbee queue full; retry after 500 ms");
        hub.clearFailure();
        hub.hang();
        user.publish(base + "/bulb/set", "{\"state\":\"ON\"}");
        assertErr(response("device/set"), "timeout: not confirmed within 300 ms");
        hub.clearFailure();
        user.publish(base + "/bulb/set", "{\"state\":\"ON\"}");
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"state\":\"ON\""), 5000);
    }

    @Test
    void perClientLimitAnswersWithRetryAfter() throws Exception {
        ManualClock clock = new ManualClock();
        start(settings().clientLimits(new ClientLimiter.Limits(0, 1, 2)).build(), clock);
        for (int i = 1; i <= 3; i++) {
            user.publish(base + "/bulb/set", "{\"brightness\":" + i + ",\"transaction\":" + i + "}");
        }
        assertEquals("ok", response("device/set").get("status"));
        assertEquals("ok", response("device/set").get("status"));
        var r = response("device/set");
        assertErr(r, "rate_limited: client 'mqtt' is over its limit");
        assertEquals(3, r.get("transaction"));
        assertEquals(1000, ((Map<?, ?>) r.get("data")).get("retry_after_ms"));
        clock.advance(Duration.ofSeconds(1));
        user.publish(base + "/bulb/set", "{\"brightness\":4,\"transaction\":4}");
        assertEquals("ok", response("device/set").get("status"));
        assertEquals(1, uplink.metrics().rateLimited());
    }

    @Test
    void homeAssistantDiscoveryIsRepublishedWhenHaComesBack() throws Exception {
        base = "tetheritall/hub" + SEQ.incrementAndGet();
        String prefix = "ha" + SEQ.get();
        var s = MqttSettings.builder("x").port(broker.port()).baseTopic(base).clientId("hub-ha-" + SEQ.get())
                .homeAssistant(true).haDiscoveryPrefix(prefix).haStatusTopic(prefix + "/status").build();
        hub = new FakeHub();
        try (TestClient ha = new TestClient(broker.port(), "ha-" + SEQ.get())) {
            ha.subscribe(prefix + "/#");
            uplink = new MqttUplink(s, hub, new InMemoryOutbox(1000), HubClock.system());
            uplink.start();
            var cfg = ha.await(prefix + "/number/00124b0000000001/brightness/config").json();
            assertEquals(base + "/bulb/set/brightness", cfg.get("command_topic"));
            assertEquals(254.0, cfg.get("max"));
            assertEquals("{{ value_json.brightness }}", cfg.get("value_template"));
            var t = ha.await(prefix + "/sensor/00124b0000000002/temperature/config").json();
            assertEquals("°C", t.get("unit_of_measurement"));
            assertNull(t.get("command_topic"));
            ha.await(prefix + "/switch/00124b0000000003/state/config");
            ha.collect(300);
            ha.publish(prefix + "/status", "online");
            ha.await(prefix + "/number/00124b0000000001/brightness/config");
            // One config per capability: bulb 4, sensor 1, plug 2; the rest of the republish follows.
            assertEquals(6, ha.collect(500).stream().filter(x -> x.topic().endsWith("/config")).count());
            ha.publish(prefix + "/status", "offline"); // only "online" triggers a republish
            assertTrue(ha.collect(500).stream().noneMatch(x -> x.topic().endsWith("/config")));
        }
        // Discovery is retained, so Home Assistant finds it after a restart of its own.
        try (TestClient late = new TestClient(broker.port(), "ha-late-" + SEQ.incrementAndGet())) {
            late.subscribe(prefix + "/switch/00124b0000000003/state/config");
            var m = late.await(prefix + "/switch/00124b0000000003/state/config");
            assertTrue(m.retained());
            assertEquals(base + "/plug/set/state", m.json().get("command_topic"));
        }
    }

    @Test
    void publishRateLimitHoldsMessagesInTheOutboxUntilTokensArrive() throws Exception {
        ManualClock clock = new ManualClock();
        // Burst large enough for the connect snapshot, then 1/s on a clock that does not move.
        start(settings().publishRate(1, 12).build(), clock);
        user.collect(300);
        for (int i = 0; i < 5; i++) {
            hub.fire(new HubEvent(HubEvent.Type.DEVICE_ANNOUNCE, "plug", "0x00124b0000000003", Map.of("n", i)));
        }
        List<TestClient.Msg> got = user.collect(500);
        long events = got.stream().filter(m -> m.topic().endsWith("/bridge/event")).count();
        assertTrue(events < 5, "rate limit let " + events + " of 5 through");
        assertTrue(uplink.metrics().queued() > 0);
        clock.advance(Duration.ofSeconds(10));
        for (long i = events; i < 5; i++) {
            user.await(m -> m.topic().endsWith("/bridge/event"), 5000);
        }
    }

    @Test
    void cleanStopPublishesOfflineRetained() throws Exception {
        start(settings().build(), HubClock.system());
        uplink.stop();
        uplink = null;
        assertEquals("offline", user.await(m -> m.topic().equals(base + "/bridge/state") && m.payload().equals("offline"), 5000).payload());
    }

    @Test
    void lastWillSaysOfflineWhenTheConnectionDiesAndReconnectSaysOnline() throws Exception {
        MqttSettings s = settings().build();
        start(s, HubClock.system());
        // Another client taking over our client id makes the broker drop our connection without a
        // DISCONNECT: the broker publishes our will, then we reconnect with backoff.
        TestClient thief = new TestClient(broker.port(), s.clientId());
        user.await(m -> m.topic().equals(base + "/bridge/state") && m.payload().equals("offline"), 5000);
        user.await(m -> m.topic().equals(base + "/bridge/state") && m.payload().equals("online"), 10_000);
        thief.close();
        assertTrue(uplink.metrics().connects() >= 2, uplink.metrics().toString());
        // And it serves again.
        user.publish(base + "/bulb/set/brightness", "12");
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"brightness\":12"), 5000);
    }

    @Test
    void retainedCommandsAreNotReplayedAtStart() throws Exception {
        MqttSettings s = settings().build();
        try (TestClient prankster = new TestClient(broker.port(), "prank-" + SEQ.incrementAndGet())) {
            prankster.publishRetained(base + "/bulb/set", "{\"state\":\"ON\"}");
            start(s, HubClock.system());
            user.collect(500);
            assertEquals(0, hub.sets.get(), "a retained /set must not run");
            assertEquals(1, uplink.metrics().droppedTopics());
            prankster.publishRetained(base + "/bulb/set", "");
        }
    }

    @Test
    void radioEventsGoToBridgeEventAndHealthAvailabilityIsRetained() throws Exception {
        start(settings().build(), HubClock.system());
        hub.fire(new HubEvent(HubEvent.Type.RADIO_STATE, null, null, Map.of("radio", "zigbee", "state", "DOWN", "reason", "serial lost")));
        var ev = user.await(m -> m.topic().equals(base + "/bridge/event") && m.payload().contains("radio_state"), 5000).json();
        assertEquals("serial lost", ((Map<?, ?>) ev.get("data")).get("reason"));
        var health = user.await(base + "/bridge/health").json();
        assertTrue(health.containsKey("mqtt") && health.containsKey("radios"), health.toString());
        hub.setAvailable("plug", false);
        user.await(m -> m.topic().equals(base + "/plug/availability") && m.payload().equals("{\"state\":\"offline\"}"), 5000);
        try (TestClient late = new TestClient(broker.port(), "late-" + SEQ.incrementAndGet())) {
            late.subscribe(base + "/plug/availability");
            var m = late.await(base + "/plug/availability");
            assertTrue(m.retained());
            assertEquals("{\"state\":\"offline\"}", m.payload());
        }
        hub.fire(new HubEvent(HubEvent.Type.DEVICE_JOINED, "new", "0x00124b00000000ff", Map.of()));
        var joined = user.await(m -> m.topic().equals(base + "/bridge/event") && m.payload().contains("device_joined"), 5000).json();
        assertEquals(Map.of("friendly_name", "new", "ieee_address", "0x00124b00000000ff"), joined.get("data"));
    }

    @Test
    void mqtt311Works() throws Exception {
        start(settings().protocol(MqttSettings.Protocol.V3).build(), HubClock.system());
        assertEquals("3.1.1", uplink.metrics().protocol());
        user.publish(base + "/bulb/set", "{\"brightness\":33}");
        user.await(m -> m.topic().equals(base + "/bulb") && m.payload().contains("\"brightness\":33"), 5000);
        // Without noLocal the uplink hears its own state publishes; they must not be taken for commands.
        user.collect(300);
        assertEquals(1, hub.sets.get());
        assertEquals(0, new String(new byte[0], StandardCharsets.UTF_8).length());
    }
}
