package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.FakeZigbeeRadio.FakeDevice;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tetheritall.hub.daemon.core.FakeZigbeeRadio.av;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many STATE events one command yields (each becomes a {@code <base>/<name>} MQTT message and a CoAP
 * notification): one, carrying the confirmed state, whether the device confirms by default response, by
 * attribute report, or both in either order; while reports the device sends by itself are each published.
 */
class CommandStatePublicationTest extends HubCoreFixture {
    /** Joins as the fixture does, then forgets the interview's events: only the command's count. */
    @Override
    FakeDevice join(String kind, int index) {
        FakeDevice d = super.join(kind, index);
        events.clear();
        return d;
    }

    private List<Map<String, Object>> states(FakeDevice d) {
        return events.stream().filter(e -> e.type() == HubEvent.Type.STATE && ieee(d).equals(e.ieee()))
                .map(HubEvent::data).toList();
    }

    private static <T> T ok(CompletableFuture<T> f) {
        assertTrue(f.isDone(), "future should be complete");
        return f.join();
    }

    /** Sets {@code values} and returns the STATE events it produced. */
    private List<Map<String, Object>> command(FakeDevice d, Map<String, Object> values) {
        events.clear();
        ok(hub.set(ieee(d), values, "c1"));
        return states(d);
    }

    @Test
    void reportThenDefaultResponsePublishesOnce() {
        FakeDevice bulb = join("colour-bulb", 1);
        bulb.reportBeforeDefaultResponse = true;
        List<Map<String, Object>> s = command(bulb, Map.of("brightness", 120));
        assertEquals(1, s.size(), s.toString());
        assertEquals(120L, s.get(0).get("brightness"));
        assertTrue(hub.device(ieee(bulb)).orElseThrow().optimistic().isEmpty());
    }

    @Test
    void defaultResponseThenReportPublishesOnce() {
        FakeDevice bulb = join("colour-bulb", 1);
        bulb.reportAfterDefaultResponse = true;
        bulb.lqi = 90; // the echo's link quality differs from the last frame's: still not a second event
        List<Map<String, Object>> s = command(bulb, Map.of("brightness", 120));
        assertEquals(1, s.size(), s.toString());
        assertEquals(120L, s.get(0).get("brightness"));
        assertEquals(1, hub.metrics().get("state.merged_into_command"));
        // the echo was merged: the new link quality is in the state and goes out with the next event
        assertEquals(90L, hub.device(ieee(bulb)).orElseThrow().state().get("linkquality"));

        List<Map<String, Object>> again = command(bulb, Map.of("state", "OFF", "color_temp", 300));
        assertEquals(1, again.size(), again.toString());
        assertEquals("OFF", again.get(0).get("state"));
        assertEquals(300L, again.get(0).get("color_temp"));
        assertEquals(90L, again.get(0).get("linkquality"));
    }

    @Test
    void eachConfirmationStyleAloneStillPublishesOnce() {
        FakeDevice byDefaultResponse = join("colour-bulb", 1);
        assertEquals(1, command(byDefaultResponse, Map.of("brightness", 50)).size());
        FakeDevice byReport = join("ws-bulb", 2);
        byReport.confirmByReport = true;
        List<Map<String, Object>> s = command(byReport, Map.of("brightness", 60));
        assertEquals(1, s.size(), s.toString());
        assertEquals(60L, s.get(0).get("brightness"));
    }

    @Test
    void twoRequestsOfOneSetArePublishedTogether() {
        FakeDevice bulb = join("colour-bulb", 1);
        bulb.reportAfterDefaultResponse = true;
        List<Map<String, Object>> s = command(bulb, Map.of("brightness", 80, "color", Map.of("x", 0.5, "y", 0.25)));
        assertEquals(1, s.size(), s.toString());
        assertEquals(80L, s.get(0).get("brightness"));
        assertNotNull(s.get(0).get("color"));
    }

    @Test
    void aCommandThatChangesNothingIsAnsweredWithOneEvent() {
        FakeDevice bulb = join("colour-bulb", 1);
        command(bulb, Map.of("brightness", 120));
        for (boolean before : new boolean[]{false, true}) {
            bulb.reportBeforeDefaultResponse = before;
            bulb.reportAfterDefaultResponse = !before;
            List<Map<String, Object>> s = command(bulb, Map.of("brightness", 120));
            assertEquals(1, s.size(), "report before default response: " + before + " " + s);
            assertEquals(120L, s.get(0).get("brightness"));
        }
        bulb.reportBeforeDefaultResponse = false;
        bulb.reportAfterDefaultResponse = false;
        assertEquals(1, command(bulb, Map.of("brightness", 120)).size());
    }

    @Test
    void aRejectedCommandPublishesNothing() {
        FakeDevice bulb = join("colour-bulb", 1);
        bulb.commandStatus = ZclStatus.UNSUP_CLUSTER_COMMAND;
        events.clear();
        CompletableFuture<Map<String, Object>> f = hub.set(ieee(bulb), Map.of("brightness", 10), null);
        assertTrue(f.isDone());
        assertNotNull(CommandException.find(assertThrows(Exception.class, f::join)));
        assertEquals(List.of(), states(bulb));
    }

    @Test
    void aReportThatDiffersFromTheConfirmedValueIsPublished() {
        FakeDevice bulb = join("colour-bulb", 1);
        command(bulb, Map.of("brightness", 120));
        // the device settles on another level than it confirmed: that is news
        radio.report(bulb, 8, av(0, ZclDataType.UINT8, 118L));
        List<Map<String, Object>> s = states(bulb);
        assertEquals(2, s.size(), s.toString());
        assertEquals(118L, s.get(1).get("brightness"));
    }

    @Test
    void optimisticStateIsPublishedOnceAndTheDevicesEchoClearsTheFlagSilently() {
        FakeDevice plug = join("plug", 3);
        ok(hub.setOptions(ieee(plug), Map.of("optimistic", true)));
        List<Map<String, Object>> s = command(plug, Map.of("state", "OFF"));
        assertEquals(1, s.size(), s.toString());
        assertEquals("OFF", s.get(0).get("state"));
        assertEquals(List.of("state"), hub.device(ieee(plug)).orElseThrow().optimistic());
        // an optimistic command that changes nothing is still answered with one event, and stays optimistic
        assertEquals(1, command(plug, Map.of("state", "OFF")).size());
        assertEquals(List.of("state"), hub.device(ieee(plug)).orElseThrow().optimistic());

        events.clear();
        radio.report(plug, 6, av(0, ZclDataType.BOOLEAN, false));
        assertEquals(List.of(), states(plug), "the device's echo of the assumed value");
        assertTrue(hub.device(ieee(plug)).orElseThrow().optimistic().isEmpty(), "confirmed by the device");
    }

    @Test
    void reportsTheDeviceSendsByItselfArePublishedEveryTime() {
        FakeDevice bulb = join("colour-bulb", 1);
        command(bulb, Map.of("state", "ON"));
        events.clear();
        clock.advance(config.commandTimeout().plus(Duration.ofMillis(1)));
        // after the echo window, the same value again is a heartbeat, published as before
        radio.report(bulb, 6, av(0, ZclDataType.BOOLEAN, true));
        radio.report(bulb, 6, av(0, ZclDataType.BOOLEAN, true));
        assertEquals(2, states(bulb).size());
        // a motion sensor's repeated occupancy is each time news
        FakeDevice motion = join("motion", 2);
        radio.report(motion, 0x0406, av(0, ZclDataType.BITMAP8, 1L));
        radio.report(motion, 0x0406, av(0, ZclDataType.BITMAP8, 1L));
        assertEquals(2, states(motion).size());
    }

    @Test
    void aGroupCommandPublishesEachMemberOnceAndTheirEchoesFoldIn() {
        FakeDevice a = join("colour-bulb", 1);
        FakeDevice b = join("ws-bulb", 2);
        ok(hub.addGroup("living", null));
        ok(hub.addGroupMember("living", ieee(a), null));
        ok(hub.addGroupMember("living", ieee(b), null));
        events.clear();
        ok(hub.setGroup("living", Map.of("brightness", 40), null));
        assertEquals(1, states(a).size());
        assertEquals(1, states(b).size());
        // each bulb reports its new level and on/off afterwards (move to level with on/off)
        for (FakeDevice d : List.of(a, b)) {
            radio.report(d, 8, av(0, ZclDataType.UINT8, 40L));
            radio.report(d, 6, av(0, ZclDataType.BOOLEAN, true));
        }
        assertEquals(1, states(a).size());
        assertEquals(1, states(b).size());
        assertTrue(hub.device(ieee(a)).orElseThrow().optimistic().isEmpty());
    }
}
