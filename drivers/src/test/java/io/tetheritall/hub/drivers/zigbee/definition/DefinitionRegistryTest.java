package io.tetheritall.hub.drivers.zigbee.definition;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.cluster.ConverterContext;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class DefinitionRegistryTest {
    private final DefinitionRegistry reg = DefinitionRegistry.builtIn();

    private static Set<String> names(DeviceDefinition d) {
        return d.capabilities(ec -> ConverterContext.simple(ec.endpoint(), ec.options(), new HashMap<>())).stream()
                .map(b -> b.capability().name()).collect(Collectors.toSet());
    }

    @Test
    void everySimulatedModelMatches() {
        String[][] sim = {{"IKEA of Sweden", "TRADFRI bulb E27 CWS opal 600lm"},
                {"IKEA of Sweden", "TRADFRI bulb E27 WS opal 980lm"}, {"Signify Netherlands B.V.", "LCT015"},
                {"innr", "SP 120"}, {"LUMI", "lumi.weather"}, {"Signify Netherlands B.V.", "SML001"},
                {"eWeLink", "DS01"}, {"LUMI", "lumi.sensor_wleak.aq1"}};
        for (String[] s : sim) {
            assertTrue(reg.lookup(s[0], s[1]).isPresent(), s[1]);
        }
        assertTrue(names(reg.lookup("IKEA of Sweden", "TRADFRI bulb E27 CWS opal 600lm").get())
                .containsAll(Set.of("state", "brightness", "color", "color_temp")));
        assertEquals(Set.of("state", "brightness", "color_temp", "identify", "scene_store", "scene_recall"),
                names(reg.lookup("IKEA of Sweden", "TRADFRI bulb E27 WS opal 980lm").get()));
        assertTrue(names(reg.lookup("innr", "SP 120").get()).containsAll(Set.of("state", "power", "energy")));
        assertTrue(names(reg.lookup("LUMI", "lumi.weather").get())
                .containsAll(Set.of("temperature", "humidity", "pressure", "battery")));
        assertTrue(names(reg.lookup("eWeLink", "DS01").get()).contains("contact"));
        assertTrue(names(reg.lookup("LUMI", "lumi.sensor_wleak.aq1").get()).contains("water_leak"));
        assertTrue(reg.lookup("LUMI", "lumi.weather").get().has(Quirk.NO_CONFIGURE));
    }

    @Test
    void atLeastTwelveRealModelsBeyondTheSimulatedOnes() {
        List<String> real = List.of("TRADFRI bulb E14 WS opal 400lm", "TRADFRI control outlet", "LWB010", "LCT001",
                "LTW010", "lumi.sensor_magnet.aq2", "lumi.sensor_motion.aq2", "lumi.sensor_ht", "lumi.plug.maeu01",
                "BASICZBR3", "S31 Lite zb", "TH01", "MS01");
        for (String m : real) {
            assertTrue(reg.lookup(null, m).isPresent(), m);
        }
        assertTrue(names(reg.lookup("LUMI", "lumi.sensor_magnet.aq2").get()).contains("contact"));
    }

    @Test
    void lookupTrimsPaddingAndMissesUnknown() {
        assertTrue(reg.lookup("LUMI", "lumi.weather\u0000").isPresent());
        assertTrue(reg.lookup("X", "nope").isEmpty());
        assertTrue(reg.lookup("X", null).isEmpty());
    }

    @Test
    void manufacturerRestrictionIsHonoured() {
        DeviceDefinition a = DeviceDefinition.builder("A", "a", "", "M").manufacturer("Acme").cluster(6).build();
        DeviceDefinition b = DeviceDefinition.builder("B", "b", "", "M").cluster(8).build();
        DefinitionRegistry r = new DefinitionRegistry(List.of(a, b));
        assertEquals("a", r.lookup("Acme", "M").get().model());
        assertEquals("b", r.lookup("Other", "M").get().model());
    }

    @Test
    void genericFallbackFromClusters() {
        List<SimpleDescriptor> eps = List.of(new SimpleDescriptor(1, 0x0104, 0x0302, List.of(0x0000, 0x0402, 0xFC00),
                List.of()), new SimpleDescriptor(2, 0x0104, 0x0302, List.of(0x0405, 0x0402), List.of()));
        DeviceDefinition g = reg.resolve("Foo", "bar-1", eps);
        assertTrue(g.generic());
        assertEquals("generic", g.displayName());
        assertEquals(Set.of("temperature", "humidity"), names(g));
        assertEquals(2, g.exposed(2, 0x0405).endpoint());
        assertNull(g.exposed(2, 0x0402), "first endpoint with a cluster wins");
        assertEquals(2, g.reporting().size());
    }

    @Test
    void definitionEndpointsAdaptToTheDevice() {
        // SML001 is endpoint 2 in the table; a device numbering its endpoints differently gets them moved
        DeviceDefinition d = reg.resolve("Signify Netherlands B.V.", "SML001", List.of(new SimpleDescriptor(1, 0x0104,
                0x0107, List.of(0x0000, 0x0001, 0x0003, 0x0400, 0x0402, 0x0406), List.of())));
        assertNotNull(d.exposed(1, 0x0406));
        for (var b : d.capabilities(ec -> ConverterContext.simple(ec.endpoint(), ec.options(), Map.of()))) {
            assertEquals(1, b.capability().endpoint(), b.name());
        }
    }

    @Test
    void hueMotionSensorReadsAndConfiguresItsSensorsOnEndpoint2() {
        // the real SML001: endpoint 2 HA occupancy sensor with the sensors, endpoint 1 ZLL with Basic only
        List<SimpleDescriptor> real = List.of(
                new SimpleDescriptor(2, 0x0104, 0x0107, List.of(0x0000, 0x0001, 0x0003, 0x0400, 0x0402, 0x0406),
                        List.of(0x0019)),
                new SimpleDescriptor(1, 0xC05E, 0x0850, List.of(0x0000),
                        List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300)));
        DeviceDefinition d = reg.resolve("Signify Netherlands B.V.", "SML001", real);
        assertFalse(d.generic());
        for (int c : new int[] {0x0406, 0x0400, 0x0402, 0x0001}) {
            assertNotNull(d.exposed(2, c), String.format("cluster 0x%04x on endpoint 2", c));
            assertNull(d.exposed(1, c));
        }
        assertEquals(Set.of(0x0406, 0x0400, 0x0402, 0x0001),
                d.reporting().stream().map(Reporting::clusterId).collect(Collectors.toSet()));
        assertTrue(d.reporting().stream().allMatch(r -> r.endpoint() == 2), d.reporting().toString());
        for (var b : d.capabilities(ec -> ConverterContext.simple(ec.endpoint(), ec.options(), Map.of()))) {
            assertEquals(2, b.capability().endpoint(), b.name());
        }
    }

    @Test
    void builderRefusesUnknownCluster() {
        assertThrows(IllegalArgumentException.class, () -> DeviceDefinition.builder("A", "a", "", "M").cluster(0xFC00));
        Capability unused = null;
        assertNull(unused);
    }

    @Test
    void colourTemperatureOnlyLightsDoNotAskForXyReporting() {
        java.util.function.Function<String, java.util.Set<Integer>> colourReports = model -> {
            DeviceDefinition d = reg.lookup(model.startsWith("LCT") ? "Signify Netherlands B.V." : "IKEA of Sweden",
                    model).orElseThrow();
            java.util.Set<Integer> ids = new java.util.TreeSet<>();
            d.reporting().stream().filter(r -> r.clusterId() == 0x0300).forEach(r -> ids.add(r.record().attributeId()));
            return ids;
        };
        // the simulator (like a real WS bulb) refuses CurrentX/CurrentY reporting with UNSUPPORTED_ATTRIBUTE
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(0x0007),
                colourReports.apply("TRADFRI bulb E27 WS opal 980lm"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(0x0003, 0x0004, 0x0007),
                colourReports.apply("TRADFRI bulb E27 CWS opal 600lm"));
    }
}
