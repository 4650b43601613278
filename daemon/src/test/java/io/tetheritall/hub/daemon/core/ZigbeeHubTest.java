package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.FakeZigbeeRadio.FakeDevice;
import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.radios.api.AddressMode;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.tetheritall.hub.daemon.core.FakeZigbeeRadio.av;
import static org.junit.jupiter.api.Assertions.*;

class ZigbeeHubTest extends HubCoreFixture {

    private DeviceView view(FakeDevice d) {
        return hub.device(ieee(d)).orElseThrow();
    }

    private static CommandException failure(CompletableFuture<?> f) {
        assertTrue(f.isDone(), "future should be done");
        CompletionException e = assertThrows(CompletionException.class, f::join);
        CommandException ce = CommandException.find(e);
        assertNotNull(ce, "expected a CommandException but got " + e.getCause());
        return ce;
    }

    /** The future's value; fails (instead of blocking) if it is not complete: everything here is synchronous. */
    private static <T> T ok(CompletableFuture<T> f) {
        assertTrue(f.isDone(), "future should be complete");
        return f.join();
    }

    private List<HubEvent.Type> types() {
        return events.stream().map(HubEvent::type).toList();
    }

    @Test
    void bulbJoinsIsInterviewedConfiguredAndReady() {
        FakeDevice bulb = join("colour-bulb", 1);
        DeviceView v = view(bulb);
        assertEquals("SUCCESSFUL", v.interview());
        assertEquals("IKEA of Sweden", v.manufacturer());
        assertEquals("TRADFRI bulb E27 CWS opal 600lm", v.model());
        assertEquals("IKEA LED1624G9", v.definition());
        assertEquals("Router", v.type());
        assertEquals("Mains", v.powerSource());
        List<String> caps = v.capabilities().stream().map(c -> c.name()).toList();
        assertTrue(caps.containsAll(List.of("state", "brightness", "color", "color_temp", "linkquality")), caps.toString());
        // initial state read during the interview
        assertEquals("OFF", v.state().get("state"));
        assertEquals(254L, v.state().get("brightness"));
        // reporting configured after binding, per cluster
        assertTrue(radio.zdo.contains("bind 6 " + bulb.nwk) && radio.zdo.contains("bind 8 " + bulb.nwk));
        assertTrue(radio.sent.stream().anyMatch(m -> m.clusterId() == 6 && ZclFrame.decode(m.payload()).header()
                .commandId() == 0x06), "configure reporting for On/Off");
        assertEquals(List.of(HubEvent.Type.DEVICE_JOINED, HubEvent.Type.DEVICES_CHANGED,
                HubEvent.Type.INTERVIEW_STARTED), types().subList(0, 3));
        assertTrue(types().contains(HubEvent.Type.INTERVIEW_SUCCESSFUL));
    }

    @Test
    void twentyDevicesOfEveryKindJoinAndAreUsable() {
        String[] kinds = {"colour-bulb", "ws-bulb", "hue-bulb", "plug", "weather", "motion", "contact", "leak"};
        for (int i = 0; i < 20; i++) {
            join(kinds[i % kinds.length], i);
        }
        assertEquals(20, hub.devices().size());
        for (DeviceView v : hub.devices()) {
            assertEquals("SUCCESSFUL", v.interview(), v.friendlyName());
            assertNotEquals("generic", v.definition(), v.model());
            assertTrue(v.available());
        }
        assertEquals(20, hub.metrics().get("interview.successful"));
    }

    @Test
    void bulbIsSwitchedDimmedAndColouredAndTheDeviceShowsIt() {
        FakeDevice bulb = join("colour-bulb", 1);
        Map<String, Object> s = ok(hub.set(ieee(bulb), Map.of("state", "ON", "brightness", 120), "c1"));
        assertEquals("ON", s.get("state"));
        assertEquals(120L, s.get("brightness"));
        assertEquals(true, bulb.value(6, 0));
        assertEquals(120L, bulb.value(8, 0));
        assertEquals(0, radio.sent.stream().filter(m -> m.clusterId() == 6
                && ZclFrame.decode(m.payload()).header().clusterSpecific()).count(), "ON folded into level w/ on-off");

        ok(hub.set(ieee(bulb), Map.of("color", Map.of("x", 0.5, "y", 0.25)), null));
        assertEquals(32768L, bulb.value(0x300, 3));
        assertEquals(16384L, bulb.value(0x300, 4));
        Map<String, Object> ct = ok(hub.set(ieee(bulb), Map.of("color_temp", 370), null));
        assertEquals(370L, bulb.value(0x300, 7));
        assertEquals(370L, ct.get("color_temp"));
        ok(hub.set(ieee(bulb), Map.of("state", "OFF"), null));
        assertEquals(false, bulb.value(6, 0));
        assertTrue(view(bulb).optimistic().isEmpty(), "confirmed by default responses");
        assertTrue(types().contains(HubEvent.Type.STATE));
    }

    @Test
    void confirmationByAttributeReportInsteadOfDefaultResponse() {
        FakeDevice bulb = join("ws-bulb", 2);
        bulb.confirmByReport = true;
        Map<String, Object> s = ok(hub.set(ieee(bulb), Map.of("brightness", 10), null));
        assertEquals(10L, s.get("brightness"));
        assertTrue(view(bulb).optimistic().isEmpty());
    }

    @Test
    void optimisticStateWhereTheDeviceDoesNotConfirm() {
        FakeDevice plug = join("plug", 3);
        ok(hub.setOptions(ieee(plug), Map.of("optimistic", true)));
        Map<String, Object> s = ok(hub.set(ieee(plug), Map.of("state", "OFF"), null));
        assertEquals("OFF", s.get("state"));
        assertEquals(List.of("state"), view(plug).optimistic());
        assertEquals(false, plug.value(6, 0));
        // a report from the device makes it confirmed again
        radio.report(plug, 6, av(0, ZclDataType.BOOLEAN, false));
        assertTrue(view(plug).optimistic().isEmpty());
    }

    @Test
    void invalidValuesAreRefusedBeforeAnythingIsSent() {
        FakeDevice bulb = join("colour-bulb", 1);
        FakeDevice sensor = join("weather", 2);
        int before = radio.sent.size();
        CommandException e = failure(hub.set(ieee(bulb), Map.of("brightness", 300), null));
        assertEquals(CommandError.INVALID_VALUE, e.error());
        assertTrue(e.getMessage().contains("brightness") && e.getMessage().contains("0..254"), e.getMessage());
        assertEquals(CommandError.INVALID_VALUE, failure(hub.set(ieee(bulb), Map.of("state", 5), null)).error());
        CommandException col = failure(hub.set(ieee(bulb), Map.of("color", Map.of("x", 2, "y", 0.1)), null));
        assertTrue(col.getMessage().contains("color.x"), col.getMessage());
        assertEquals(CommandError.NOT_FOUND, failure(hub.set(ieee(bulb), Map.of("volume", 3), null)).error());
        assertEquals(CommandError.NOT_ALLOWED, failure(hub.set(ieee(sensor), Map.of("temperature", 3), null)).error());
        assertEquals(CommandError.NOT_FOUND, failure(hub.set("nobody", Map.of("state", "ON"), null)).error());
        assertEquals(CommandError.INVALID_VALUE, failure(hub.set(ieee(bulb), Map.of(), null)).error());
        assertEquals(before, radio.sent.size());
    }

    @Test
    void deviceRejectionIsATypedError() {
        FakeDevice bulb = join("colour-bulb", 1);
        bulb.commandStatus = 0x87; // INVALID_VALUE
        CommandException e = failure(hub.set(ieee(bulb), Map.of("state", "ON"), null));
        assertEquals(CommandError.INVALID_VALUE, e.error());
        assertTrue(e.getMessage().contains("INVALID_VALUE"));
        assertNotEquals("ON", view(bulb).state().get("state"));
    }

    @Test
    void silentDeviceTimesOutOnTheClockWithoutSleeping() {
        FakeDevice bulb = join("colour-bulb", 1);
        bulb.ignoreZcl = true;
        CompletableFuture<Map<String, Object>> f = hub.set(ieee(bulb), Map.of("state", "ON"), null);
        hub.tick();
        assertFalse(f.isDone());
        clock.advance(config.commandTimeout());
        hub.tick();
        assertEquals(CommandError.TIMEOUT, failure(f).error());
    }

    @Test
    void radioFailuresMapToCommandErrors() {
        FakeDevice bulb = join("colour-bulb", 1);
        radio.sendFailure = new RadioException(RadioError.BUSY, -1, 500, "queue full", null);
        CommandException busy = failure(hub.set(ieee(bulb), Map.of("state", "ON"), null));
        assertEquals(CommandError.RATE_LIMITED, busy.error());
        assertEquals(500, busy.retryAfterMillis());
        radio.sendFailure = new RadioException(RadioError.CIRCUIT_OPEN, -1, 2000, "breaker open", null);
        CommandException open = failure(hub.set(ieee(bulb), Map.of("state", "ON"), null));
        assertEquals(CommandError.RADIO_UNAVAILABLE, open.error());
        assertEquals(2000, open.retryAfterMillis());
        radio.sendFailure = new RadioException(RadioError.DEVICE_UNREACHABLE, "MAC_NO_ACK");
        assertEquals(CommandError.DEVICE_UNAVAILABLE, failure(hub.set(ieee(bulb), Map.of("state", "ON"), null))
                .error());
        radio.sendFailure = new RadioException(RadioError.TIMEOUT, "SRSP timeout");
        assertEquals(CommandError.TIMEOUT, failure(hub.get(ieee(bulb), List.of("brightness"), null)).error());
        assertEquals(0, hub.metrics().get("errors.message"));
    }

    @Test
    void getReadsNow() {
        FakeDevice bulb = join("colour-bulb", 1);
        bulb.attr(8, 0, ZclDataType.UINT8, 77L);
        assertEquals(Map.of("brightness", 77L), ok(hub.get(ieee(bulb), List.of("brightness"), null)));
        FakeDevice plug = join("plug", 2);
        plug.attr(0x0B04, 0x050B, ZclDataType.INT16, 55L);
        assertEquals(55.0, ok(hub.get(ieee(plug), List.of("power"), null)).get("power"));
        assertEquals(CommandError.NOT_ALLOWED, failure(hub.get(ieee(bulb), List.of("identify"), null)).error());
        assertEquals(CommandError.NOT_FOUND, failure(hub.get(ieee(bulb), List.of("nope"), null)).error());
    }

    @Test
    void sensorReportsReachTheRegistry() {
        FakeDevice w = join("weather", 1);
        radio.report(w, 0x0402, av(0, ZclDataType.INT16, 2150L));
        radio.report(w, 0x0405, av(0, ZclDataType.UINT16, 4512L));
        radio.report(w, 0x0403, av(0, ZclDataType.INT16, 1013L));
        radio.report(w, 0x0001, av(0x21, ZclDataType.UINT8, 200L));
        Map<String, Object> s = view(w).state();
        assertEquals(21.5, s.get("temperature"));
        assertEquals(45.12, s.get("humidity"));
        assertEquals(1013.0, s.get("pressure"));
        assertEquals(100.0, s.get("battery"));
        assertEquals(120L, s.get("linkquality"));
        FakeDevice m = join("motion", 2);
        radio.report(m, 0x0406, av(0, ZclDataType.BITMAP8, 1L));
        assertEquals(true, view(m).state().get("occupancy"));
        FakeDevice c = join("contact", 3);
        radio.deliver(c, 0x0500, HexFormat.of().parseHex("1905000100000000"));
        assertEquals(false, view(c).state().get("contact"), "alarm1 = open");
        // the CIE address was written at interview; an enroll request is answered with an enroll response
        assertEquals(FakeZigbeeRadio.COORDINATOR_IEEE, c.value(0x0500, 0x0010));
        int before = radio.sent.size();
        radio.deliver(c, 0x0500, HexFormat.of().parseHex("1907011500117c"));
        OutgoingMessage enroll = radio.sent.get(before);
        assertEquals("1107000001", HexFormat.of().formatHex(enroll.payload()));
        FakeDevice leak = join("leak", 4);
        radio.deliver(leak, 0x0500, HexFormat.of().parseHex("1906000100000000"));
        assertEquals(true, view(leak).state().get("water_leak"));
        FakeDevice plug = join("plug", 5);
        radio.report(plug, 0x0702, av(0, ZclDataType.UINT48, 12345L));
        assertEquals(12.345, view(plug).state().get("energy"));
    }

    @Test
    void unknownModelGetsAGenericDefinition() {
        FakeDevice d = join("unknown", 1);
        DeviceView v = view(d);
        assertEquals("SUCCESSFUL", v.interview());
        assertEquals("generic", v.definition());
        radio.report(d, 0x0402, av(0, ZclDataType.INT16, 1900L));
        assertEquals(19.0, view(d).state().get("temperature"));
    }

    @Test
    void badFramesAreDroppedCountedAndLoseNoState() {
        FakeDevice w = join("weather", 1);
        radio.report(w, 0x0402, av(0, ZclDataType.INT16, 2000L));
        Map<String, Object> before = view(w).state();
        radio.deliverFrom(0x7777, 0x0402, HexFormat.of().parseHex("18010a00002900"));
        assertEquals(1, hub.metrics().get("frames.dropped.unknown_device"));
        radio.deliver(w, 0x0402, HexFormat.of().parseHex("18020a000029f3"));   // truncated mid-attribute
        assertEquals(1, hub.metrics().get("frames.dropped.truncated"));
        radio.deliver(w, 0x0402, HexFormat.of().parseHex("18"));               // truncated header
        assertEquals(2, hub.metrics().get("frames.dropped.truncated"));
        radio.report(w, 0x0402, av(0, ZclDataType.CHAR_STRING, "hot"));        // wrong type
        assertEquals(1, hub.metrics().get("frames.dropped.wrong_type"));
        radio.report(w, 0xFC00, av(0, ZclDataType.UINT8, 1L));                 // unsupported cluster
        assertEquals(1, hub.metrics().get("frames.dropped.unsupported_cluster"));
        radio.deliver(w, 0x0402, HexFormat.of().parseHex("18030a0000ee01"));   // unknown data type
        assertEquals(1, hub.metrics().get("frames.dropped.unknown_type"));
        assertEquals(before.get("temperature"), view(w).state().get("temperature"));
        assertEquals("SUCCESSFUL", view(w).interview());
        assertEquals(0, hub.metrics().get("errors.message"));
    }

    @Test
    void deviceThatLeavesMidInterviewIsDroppedWithAReason() {
        FakeDevice d = FakeZigbeeRadio.of("motion", 1);
        d.leaveOnSimpleDescriptor = true;
        radio.join(d);
        assertTrue(hub.device(ieee(d)).isEmpty(), "removed after leaving");
        HubEvent failed = events.stream().filter(e -> e.type() == HubEvent.Type.INTERVIEW_FAILED).findFirst()
                .orElseThrow();
        assertTrue(String.valueOf(failed.data().get("reason")).contains("left"), failed.toString());
        assertTrue(types().contains(HubEvent.Type.DEVICE_LEAVE));
        clock.advance(Duration.ofHours(1));
        hub.tick();
        assertEquals(1, events.stream().filter(e -> e.type() == HubEvent.Type.INTERVIEW_STARTED).count(), "no retry");
    }

    @Test
    void silentDeviceFailsInterviewIsRetriedWithBackoffAndCanBeRestarted() {
        FakeDevice d = FakeZigbeeRadio.of("plug", 1);
        d.ignoreZdo = true;
        radio.join(d);
        assertEquals("IN_PROGRESS", view(d).interview());
        clock.advance(config.stepTimeout());
        hub.tick();
        assertEquals("FAILED", view(d).interview());
        HubEvent failed = events.stream().filter(e -> e.type() == HubEvent.Type.INTERVIEW_FAILED).findFirst()
                .orElseThrow();
        assertTrue(String.valueOf(failed.data().get("reason")).contains("node descriptor"), failed.toString());
        assertEquals(30L, failed.data().get("retryInSeconds"));
        // retries at +30 s, +60 s, +120 s, then gives up
        long[] backoff = {30, 60, 120};
        for (long b : backoff) {
            clock.advance(Duration.ofSeconds(b));
            hub.tick();
            assertEquals("IN_PROGRESS", view(d).interview());
            clock.advance(config.stepTimeout());
            hub.tick();
            assertEquals("FAILED", view(d).interview());
        }
        clock.advance(Duration.ofHours(1));
        hub.tick();
        assertEquals(4, hub.metrics().get("interview.failed"));
        assertEquals("FAILED", view(d).interview());
        // the device wakes up; a restart on request succeeds
        d.ignoreZdo = false;
        DeviceView v = ok(hub.reinterview(ieee(d)));
        assertEquals("SUCCESSFUL", v.interview());
        assertEquals("SP 120", v.model());
    }

    @Test
    void deviceThatAnswersNoZclFailsInterviewAtBasic() {
        FakeDevice d = FakeZigbeeRadio.of("colour-bulb", 1);
        d.ignoreZcl = true;
        radio.join(d);
        clock.advance(config.stepTimeout());
        hub.tick();
        assertEquals("FAILED", view(d).interview());
        assertEquals(0, hub.metrics().get("interview.successful"));
    }

    @Test
    void devicesBehindASickRadioAreUnavailableWithTheReasonAndComeBackWithIt() {
        FakeDevice bulb = join("colour-bulb", 1);
        FakeDevice sensor = join("weather", 2);
        events.clear();
        radio.radioState(io.tetheritall.hub.radios.api.RadioState.DOWN, "breaker open: 5 SREQ timeouts");
        assertFalse(view(bulb).available());
        assertFalse(view(sensor).available());
        HubEvent down = events.stream().filter(e -> e.type() == HubEvent.Type.AVAILABILITY).findFirst().orElseThrow();
        assertEquals(false, down.data().get("available"));
        assertEquals("radio down: breaker open: 5 SREQ timeouts", down.data().get("reason"));
        events.clear();
        radio.radioState(io.tetheritall.hub.radios.api.RadioState.UP, "breaker closed");
        assertTrue(view(bulb).available());
        assertTrue(view(sensor).available());
        assertEquals(2, events.stream().filter(e -> e.type() == HubEvent.Type.AVAILABILITY).count());
    }

    @Test
    void mainsDevicesArePingedAfterTenMinutesAndBatteryDevicesExpireAfter25Hours() {
        FakeDevice bulb = join("colour-bulb", 1);
        FakeDevice sensor = join("weather", 2);
        events.clear();
        clock.advance(Duration.ofMinutes(9));
        hub.tick();
        assertEquals(0, hub.metrics().get("availability.ping"));
        clock.advance(Duration.ofMinutes(1));
        bulb.ignoreZcl = true;
        hub.tick();
        assertEquals(1, hub.metrics().get("availability.ping"));
        assertTrue(view(bulb).available());
        clock.advance(config.stepTimeout());
        hub.tick();
        assertFalse(view(bulb).available());
        assertEquals(HubEvent.Type.AVAILABILITY, events.get(events.size() - 1).type());
        assertEquals(Map.of("available", false), events.get(events.size() - 1).data());
        // it answers the next ping, 10 minutes later, and is back
        bulb.ignoreZcl = false;
        clock.advance(Duration.ofMinutes(10));
        hub.tick();
        assertTrue(view(bulb).available());
        // the sensor is fine for 25 h of silence, then unavailable
        assertTrue(view(sensor).available());
        clock.advance(Duration.ofHours(25).minusMinutes(21));
        hub.tick();
        assertTrue(view(sensor).available());
        clock.advance(Duration.ofMinutes(1));
        hub.tick();
        assertFalse(view(sensor).available());
        radio.report(sensor, 0x0402, av(0, ZclDataType.INT16, 100L));
        assertTrue(view(sensor).available());
    }

    @Test
    void groupCommandIsOneGroupSend() {
        FakeDevice a = join("colour-bulb", 1);
        FakeDevice b = join("ws-bulb", 2);
        ok(hub.addGroup("living", null));
        ok(hub.addGroupMember("living", ieee(a), null));
        assertEquals(List.of(ieee(a) + "/1", ieee(b) + "/1"), ok(hub.addGroupMember("living", ieee(b), 1))
                .members());
        assertTrue(a.groups.contains(1) && b.groups.contains(1));
        int before = radio.sent.size();
        Map<String, Object> s = ok(hub.setGroup("living", Map.of("state", "ON"), null));
        assertEquals("ON", s.get("state"));
        List<OutgoingMessage> after = radio.sent.subList(before, radio.sent.size());
        assertEquals(1, after.size());
        assertEquals(AddressMode.GROUP, after.get(0).mode());
        assertEquals(1, after.get(0).address());
        assertEquals(true, a.value(6, 0));
        assertEquals(true, b.value(6, 0));
        assertEquals(List.of("state"), view(a).optimistic());
        assertEquals(CommandError.INVALID_VALUE, failure(hub.setGroup("living", Map.of("brightness", -1), null))
                .error());
        assertEquals(CommandError.NOT_FOUND, failure(hub.setGroup("nope", Map.of("state", "ON"), null)).error());
        ok(hub.removeGroupMember("living", ieee(a), null));
        assertFalse(a.groups.contains(1));
        ok(hub.removeGroup("living"));
        assertTrue(hub.groups().isEmpty());
        assertFalse(b.groups.contains(1));
    }

    @Test
    void renameAndRemove() {
        FakeDevice a = join("colour-bulb", 1);
        FakeDevice b = join("plug", 2);
        assertEquals("kitchen/ceiling", ok(hub.rename(ieee(a), "kitchen/ceiling")).friendlyName());
        assertTrue(hub.device("kitchen/ceiling").isPresent());
        assertEquals(CommandError.INVALID_VALUE, failure(hub.rename(ieee(b), "kitchen/ceiling")).error());
        assertEquals(CommandError.INVALID_VALUE, failure(hub.rename(ieee(b), "a/+/b")).error());
        assertTrue(types().contains(HubEvent.Type.DEVICE_RENAMED));

        ok(hub.remove("kitchen/ceiling", false));
        assertTrue(hub.device("kitchen/ceiling").isEmpty());
        assertTrue(radio.zdo.contains("leave " + a.nwk));
        assertEquals(CommandError.NOT_FOUND, failure(hub.set("kitchen/ceiling", Map.of("state", "ON"), null))
                .error());
        // a frame from the removed device is dropped
        radio.deliverFrom(a.nwk, 6, new byte[]{0x18, 1, 0x0a, 0, 0, 0x10, 1});
        assertEquals(1, hub.metrics().get("frames.dropped.unknown_device"));

        radio.leaveFails = true;
        assertEquals(CommandError.DEVICE_UNAVAILABLE, failure(hub.remove(ieee(b), false)).error());
        assertTrue(hub.device(ieee(b)).isPresent());
        ok(hub.remove(ieee(b), true));
        assertTrue(hub.device(ieee(b)).isEmpty());
    }

    @Test
    void permitJoinOpensAndClosesOnTheClock() {
        ok(hub.permitJoin(Duration.ofSeconds(60), null));
        assertTrue(radio.zdo.contains("permitJoin 60 -1"));
        HubEvent open = events.get(events.size() - 1);
        assertEquals(Map.of("value", true, "time", 60L), open.data());
        clock.advance(Duration.ofSeconds(60));
        hub.tick();
        assertEquals(Map.of("value", false, "time", 0L), events.get(events.size() - 1).data());
        assertEquals(CommandError.INVALID_VALUE, failure(hub.permitJoin(Duration.ofSeconds(300), null)).error());
        assertEquals(CommandError.NOT_FOUND, failure(hub.permitJoin(Duration.ofSeconds(10), "ghost")).error());
    }

    @Test
    void announceWithANewAddressIsFollowedAndHealthReports() {
        FakeDevice a = join("colour-bulb", 1);
        // the bulb rejoins elsewhere with a new network address and announces itself
        FakeDevice moved = new FakeDevice(a.ieee, 0x2222, 1, true, a.clusters);
        moved.attrs.putAll(a.attrs);
        radio.add(moved);
        events.clear();
        radio.announce(moved);
        assertEquals(List.of(HubEvent.Type.DEVICE_ANNOUNCE), types(), "known and interviewed: no new interview");
        assertEquals(0x2222, view(a).nwk());
        ok(hub.set(ieee(a), Map.of("state", "ON"), null));
        assertEquals(true, moved.value(6, 0));
        assertEquals(1_700_000_000_000L, view(a).lastSeenMillis());
        Map<String, Object> health = hub.health();
        assertEquals(1, health.get("devices"));
        assertEquals(1L, health.get("available"));
        assertNotNull(hub.info().get("coordinator"));
    }
}
