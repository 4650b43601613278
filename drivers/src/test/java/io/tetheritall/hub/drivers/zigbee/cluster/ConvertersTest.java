package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConvertersTest {
    /** A context with an attribute cache and a drop log. */
    static final class Ctx implements ConverterContext {
        final Map<Long, ZclValue> attrs = new HashMap<>();
        final Map<String, Object> state = new HashMap<>();
        final List<String> drops = new ArrayList<>();
        ClusterOptions options = ClusterOptions.NONE;

        public int endpoint() {
            return 1;
        }

        public ClusterOptions options() {
            return options;
        }

        public ZclValue attribute(int c, int a) {
            return attrs.get(((long) c << 16) | a);
        }

        Ctx put(int c, int a, ZclDataType t, Object v) {
            attrs.put(((long) c << 16) | a, ZclValue.of(t, v));
            return this;
        }

        public Map<String, Object> state() {
            return state;
        }

        public void drop(String reason, String message) {
            drops.add(reason);
        }
    }

    private static AttributeValue av(int id, ZclDataType t, Object v) {
        return new AttributeValue(id, ZclValue.of(t, v));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void everyClusterOfTheIssueHasAConverter() {
        for (int c : new int[]{0x0000, 0x0001, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300, 0x0400, 0x0402,
                0x0403, 0x0405, 0x0406, 0x0500, 0x0702, 0x0B04}) {
            assertNotNull(Converters.forCluster(c), String.format("0x%04x", c));
            assertEquals(c, Converters.forCluster(c).clusterId());
        }
        assertNull(Converters.forCluster(0xFC00));
    }

    @Test
    void onOffBothWays() {
        Ctx ctx = new Ctx();
        ClusterConverter c = Converters.forCluster(0x0006);
        assertEquals(Map.of("state", "ON"), c.fromAttributes(List.of(av(0, ZclDataType.BOOLEAN, true)), ctx));
        ZclRequest on = c.toZcl("state", "ON", Map.of("state", "ON"), ctx).get(0);
        assertEquals(0x01, on.commandId());
        assertTrue(on.clusterSpecific());
        assertEquals(Map.of("state", "ON"), on.expectedState());
        ctx.state.put("state", "ON");
        assertEquals(Map.of("state", "OFF"), c.toZcl("state", "TOGGLE", Map.of(), ctx).get(0).expectedState());
        // ON together with brightness is left to level's move-to-level-with-on/off
        assertTrue(c.toZcl("state", "ON", Map.of("state", "ON", "brightness", 10L), ctx).isEmpty());
        ctx.options = ClusterOptions.of("contact", true);
        assertEquals(Map.of("contact", true), c.fromAttributes(List.of(av(0, ZclDataType.BOOLEAN, false)), ctx));
    }

    @Test
    void levelSendsMoveToLevelWithOnOffAndTransition() {
        Ctx ctx = new Ctx();
        ClusterConverter c = Converters.forCluster(0x0008);
        ZclRequest r = c.toZcl("brightness", 120L, Map.of("brightness", 120L, "transition", 1.5), ctx).get(0);
        assertEquals(0x04, r.commandId());
        assertEquals("780f00", hex(r.payload()));
        assertEquals("ON", r.expectedState().get("state"));
        assertEquals(Map.of("brightness", 7L), c.fromAttributes(List.of(av(0, ZclDataType.UINT8, 7L)), ctx));
        assertEquals(Map.of(), c.fromAttributes(List.of(av(0, ZclDataType.UINT8, 0xFFL)), ctx), "non-value");
    }

    @Test
    void colorXyHsAndTemperature() {
        Ctx ctx = new Ctx();
        ClusterConverter c = Converters.forCluster(0x0300);
        ZclRequest xy = c.toZcl("color", Map.of("x", 0.5, "y", 0.25), Map.of(), ctx).get(0);
        assertEquals(0x07, xy.commandId());
        assertEquals("008000400000", hex(xy.payload()), "x 0.5 → 0x8000, y 0.25 → 0x4000, tt 0");
        ZclRequest hs = c.toZcl("color", Map.of("hue", 180.0, "saturation", 100.0), Map.of(), ctx).get(0);
        assertEquals(0x06, hs.commandId());
        assertEquals("7ffe0000", hex(hs.payload()));
        ZclRequest ct = c.toZcl("color_temp", 300L, Map.of(), ctx).get(0);
        assertEquals("2c010000", hex(ct.payload()));
        ctx.state.put("color", Map.of("x", 0.1, "y", 0.2));
        Map<String, Object> s = c.fromAttributes(List.of(av(3, ZclDataType.UINT16, 32768L)), ctx);
        assertEquals(Map.of("x", 0.5, "y", 0.2), s.get("color"), "partial report merges into current colour");
    }

    @Test
    void colorCapabilitiesFollowModesOption() {
        Ctx ctx = new Ctx();
        ctx.options = ClusterOptions.of("modes", "ct", "ctMin", 250, "ctMax", 454);
        List<Capability> caps = Converters.forCluster(0x0300).capabilities(ctx);
        assertEquals(1, caps.size());
        assertEquals("color_temp", caps.get(0).name());
        assertThrows(IllegalArgumentException.class, () -> caps.get(0).validate(200));
        // from the colorCapabilities attribute: xy only
        Ctx ctx2 = new Ctx().put(0x0300, 0x400A, ZclDataType.BITMAP16, 0x08L);
        assertEquals(List.of("color"), Converters.forCluster(0x0300).capabilities(ctx2).stream().map(Capability::name)
                .toList());
    }

    @Test
    void measurements() {
        Ctx ctx = new Ctx();
        assertEquals(Map.of("temperature", 21.5),
                Converters.forCluster(0x0402).fromAttributes(List.of(av(0, ZclDataType.INT16, 2150L)), ctx));
        assertEquals(Map.of("humidity", 45.12),
                Converters.forCluster(0x0405).fromAttributes(List.of(av(0, ZclDataType.UINT16, 4512L)), ctx));
        assertEquals(Map.of("pressure", 1013.0),
                Converters.forCluster(0x0403).fromAttributes(List.of(av(0, ZclDataType.INT16, 1013L)), ctx));
        assertEquals(Map.of("illuminance", 1000.0),
                Converters.forCluster(0x0400).fromAttributes(List.of(av(0, ZclDataType.UINT16, 30001L)), ctx));
        assertEquals(Map.of(), Converters.forCluster(0x0402).fromAttributes(
                List.of(av(0, ZclDataType.INT16, -32768L)), ctx), "0x8000 = no measurement");
        assertEquals(Map.of("occupancy", true),
                Converters.forCluster(0x0406).fromAttributes(List.of(av(0, ZclDataType.BITMAP8, 1L)), ctx));
        assertEquals(Map.of("battery", 87.5), Converters.forCluster(0x0001).fromAttributes(
                List.of(av(0x21, ZclDataType.UINT8, 175L)), ctx));
    }

    @Test
    void attributeOfWrongTypeIsDroppedWithReason() {
        Ctx ctx = new Ctx();
        Map<String, Object> s = Converters.forCluster(0x0402).fromAttributes(
                List.of(av(0, ZclDataType.CHAR_STRING, "warm")), ctx);
        assertTrue(s.isEmpty());
        assertEquals(List.of("wrong_type"), ctx.drops);
    }

    @Test
    void iasZoneByType() {
        Ctx ctx = new Ctx().put(0x0500, 0x0001, ZclDataType.ENUM16, 0x0015L);
        ClusterConverter c = Converters.forCluster(0x0500);
        // zone status change notification: status 0x0001 (alarm1 = open), ext 0, zone 1, delay 0
        Map<String, Object> s = c.fromCommand(0x00, HexFormat.of().parseHex("0100000100 00"
                .replace(" ", "")), ctx);
        assertEquals(false, s.get("contact"));
        assertEquals(false, s.get("tamper"));
        ctx.options = ClusterOptions.of("zoneType", "water");
        assertEquals(true, c.fromAttributes(List.of(av(2, ZclDataType.BITMAP16, 0x09L)), ctx).get("water_leak"));
        assertEquals(true, c.fromAttributes(List.of(av(2, ZclDataType.BITMAP16, 0x09L)), ctx).get("battery_low"));
        assertEquals("water_leak", c.capabilities(ctx).get(0).name());
    }

    @Test
    void meteringAndElectricalUseDivisors() {
        Ctx ctx = new Ctx().put(0x0702, 0x0302, ZclDataType.UINT24, 100L)
                .put(0x0B04, 0x0605, ZclDataType.UINT16, 10L);
        assertEquals(Map.of("energy", 12.34), Converters.forCluster(0x0702)
                .fromAttributes(List.of(av(0, ZclDataType.UINT48, 1234L)), ctx));
        assertEquals(Map.of("power", 123.4), Converters.forCluster(0x0B04)
                .fromAttributes(List.of(av(0x050B, ZclDataType.INT16, 1234L)), ctx));
        assertEquals(Map.of("energy", 1.5), Converters.forCluster(0x0702)
                .fromAttributes(List.of(av(0, ZclDataType.UINT48, 1500L)), new Ctx()), "default divisor 1000 (Wh)");
    }

    @Test
    void groupsScenesIdentifyCommands() {
        GroupsConverter g = Converters.GROUPS;
        assertEquals("050000", hex(g.addGroup(5, "").payload()));
        assertEquals(0x03, g.removeGroup(5).commandId());
        assertEquals(new GroupsConverter.GroupResponse(0, 0, 5), g.parseResponse(0, HexFormat.of().parseHex("000500")));
        ZclRequest recall = Converters.forCluster(0x0005).toZcl("scene_recall", 3L, Map.of("scene_group", 7L), new Ctx())
                .get(0);
        assertEquals(0x05, recall.commandId());
        assertEquals("070003", hex(recall.payload()));
        assertEquals("0a00", hex(Converters.forCluster(0x0003).toZcl("identify", 10L, Map.of(), new Ctx()).get(0)
                .payload()));
        assertThrows(UnsupportedOperationException.class,
                () -> Converters.forCluster(0x0402).toZcl("temperature", 1.0, Map.of(), new Ctx()));
    }

    @Test
    void basicIdentityStripsPaddingAndDropsWrongTypes() {
        Ctx ctx = new Ctx();
        Map<String, Object> id = Converters.BASIC.identity(List.of(
                av(4, ZclDataType.CHAR_STRING, "LUMI"), av(5, ZclDataType.CHAR_STRING, "lumi.weather\u0000\u0000"),
                av(7, ZclDataType.ENUM8, 0x03L), av(0x4000, ZclDataType.UINT8, 5L)), ctx);
        assertEquals("lumi.weather", id.get("model"));
        assertEquals("Battery", id.get("powerSource"));
        assertEquals(List.of("wrong_type"), ctx.drops);
    }
}
