package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Joining, ZDO descriptors and ZCL behaviour of the simulated devices. */
class ZnpSimulatorDeviceTest {

    private static SimFixture joined() throws Exception {
        SimFixture fx = new SimFixture();
        fx.form();
        fx.joinAll();
        return fx;
    }

    @Test
    void permitJoinLetsEightDevicesJoinWithTcDevIndAndAnnounce() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            assertTrue(fx.sim.devices().stream().noneMatch(DeviceView::joined));
            List<UnpiFrame> ind = fx.joinAll();
            assertEquals(8, ind.size());
            Set<Long> ieees = new HashSet<>();
            for (UnpiFrame f : ind) {
                long ieee = new SimBytes.R(f.data(), 2).u64();
                ieees.add(ieee);
                DeviceView d = fx.sim.device(ieee);
                assertNotNull(d, "TC_DEV_IND names a simulated device");
                assertEquals(d.nwk(), f.u16(0));
                assertEquals(0x00124B00L, ieee >>> 32, "IEEE prefix from DEVICES.md");
                assertTrue(d.nwk() > 0 && d.nwk() < 0xFFF8);
            }
            assertEquals(8, ieees.size());
            assertTrue(fx.sim.devices().stream().allMatch(DeviceView::joined));
            assertEquals(8, fx.sim.counters().joins());
        }
    }

    @Test
    void populationIsDeterministicPerSeed() throws Exception {
        try (SimFixture a = new SimFixture(); SimFixture b = new SimFixture()) {
            assertEquals(a.sim.devices().stream().map(DeviceView::ieee).toList(),
                    b.sim.devices().stream().map(DeviceView::ieee).toList());
        }
        try (SimFixture c = new SimFixture(ZnpSimulatorConfig.builder().seed(43).baud(0).build());
             SimFixture d = new SimFixture()) {
            assertNotEquals(c.sim.devices().get(0).ieee(), d.sim.devices().get(0).ieee());
        }
    }

    @Test
    void bulbDescriptors() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView bulb = fx.first(DeviceKind.COLOUR_BULB);
            int nwk = bulb.nwk();
            ZnpTestHost h = fx.host;
            assertEquals(0, h.sreq(0x25, 0x02, new SimBytes.W().u16(nwk).u16(nwk)).u8(0));
            fx.advance(200);
            UnpiFrame node = h.await(f -> f.cmd0() == 0x45 && f.command() == 0x82 && f.u16(0) == nwk);
            assertEquals(0, node.u8(2));
            assertEquals(nwk, node.u16(3));
            assertEquals(1, node.u8(5) & 0x07, "router");
            assertEquals(0x8E, node.u8(7), "mains router, rx on when idle");
            assertEquals(0x117C, node.u16(8), "IKEA manufacturer code");

            h.sreq(0x25, 0x05, new SimBytes.W().u16(nwk).u16(nwk));
            fx.advance(200);
            UnpiFrame ep = h.await(f -> f.cmd0() == 0x45 && f.command() == 0x85 && f.u16(0) == nwk);
            assertArrayEquals(new byte[] {(byte) nwk, (byte) (nwk >> 8), 0, (byte) nwk, (byte) (nwk >> 8), 1, 1}, ep.data());

            h.sreq(0x25, 0x04, new SimBytes.W().u16(nwk).u16(nwk).u8(1));
            fx.advance(200);
            UnpiFrame sd = h.await(f -> f.cmd0() == 0x45 && f.command() == 0x84 && f.u16(0) == nwk);
            SimBytes.R r = new SimBytes.R(sd.data(), 5);
            assertEquals(sd.length() - 6, r.u8(), "descriptor length");
            assertEquals(1, r.u8());
            assertEquals(0x0104, r.u16());
            assertEquals(0x010D, r.u16());
            r.u8();
            int nIn = r.u8();
            assertEquals(List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300),
                    java.util.stream.IntStream.range(0, nIn).map(i -> r.u16()).boxed().toList());
        }
    }

    /** AF_DATA_REQUEST to endpoint {@code dstEp} of {@code nwk} from the host's endpoint 1. */
    private static void afTo(SimFixture fx, int nwk, int dstEp, int cluster, byte[] zcl, int trans) throws Exception {
        UnpiFrame r = fx.host.sreq(0x24, 0x01, new SimBytes.W().u16(nwk).u8(dstEp).u8(1).u16(cluster).u8(trans)
                .u8(0x30).u8(30).u8(zcl.length).bytes(zcl));
        assertEquals(0, r.u8(0));
    }

    private static List<Integer> u16s(SimBytes.R r, int n) {
        return java.util.stream.IntStream.range(0, n).map(i -> r.u16()).boxed().toList();
    }

    @Test
    void hueMotionSensorHasZllEndpoint1AndItsSensorsOnEndpoint2() throws Exception {
        try (SimFixture fx = joined()) {
            int nwk = fx.first(DeviceKind.MOTION_SENSOR).nwk();
            ZnpTestHost h = fx.host;
            // sleepy: every answer waits for the next poll (5 s)
            h.sreq(0x25, 0x05, new SimBytes.W().u16(nwk).u16(nwk));
            fx.advance(6000);
            UnpiFrame active = h.await(f -> f.cmd0() == 0x45 && f.command() == 0x85 && f.u16(0) == nwk);
            assertArrayEquals(new byte[] {(byte) nwk, (byte) (nwk >> 8), 0, (byte) nwk, (byte) (nwk >> 8), 2, 2, 1},
                    active.data(), "two active endpoints, listed 2 then 1 as a real SML001 does");

            h.sreq(0x25, 0x04, new SimBytes.W().u16(nwk).u16(nwk).u8(1));
            fx.advance(6000);
            UnpiFrame sd1 = h.await(f -> f.cmd0() == 0x45 && f.command() == 0x84 && f.u16(0) == nwk);
            SimBytes.R r = new SimBytes.R(sd1.data(), 6);
            assertEquals(1, r.u8());
            assertEquals(0xC05E, r.u16(), "ZLL profile");
            assertEquals(0x0850, r.u16(), "ZLL on/off sensor");
            r.u8();
            assertEquals(List.of(0x0000), u16s(r, r.u8()), "Basic only");
            assertEquals(List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300), u16s(r, r.u8()));

            h.sreq(0x25, 0x04, new SimBytes.W().u16(nwk).u16(nwk).u8(2));
            fx.advance(6000);
            UnpiFrame sd2 = h.await(f -> f.cmd0() == 0x45 && f.command() == 0x84 && f.u16(0) == nwk && f.u8(6) == 2);
            r = new SimBytes.R(sd2.data(), 6);
            assertEquals(2, r.u8());
            assertEquals(0x0104, r.u16(), "HA profile");
            assertEquals(0x0107, r.u16(), "occupancy sensor");
            r.u8();
            assertEquals(List.of(0x0000, 0x0001, 0x0003, 0x0400, 0x0402, 0x0406), u16s(r, r.u8()));
            assertEquals(List.of(0x0019), u16s(r, r.u8()));

            h.sreq(0x25, 0x04, new SimBytes.W().u16(nwk).u16(nwk).u8(3));
            fx.advance(6000);
            assertEquals(0x82, h.await(f -> f.cmd0() == 0x45 && f.command() == 0x84 && f.u16(0) == nwk
                    && f.u8(2) != 0).u8(2), "INVALID_EP for an endpoint the device does not have");

            // occupancy read on endpoint 2 is answered from endpoint 2
            afTo(fx, nwk, 2, 0x0406, new byte[] {0x00, 0x31, 0x00, 0x00, 0x00}, 31);
            fx.advance(6000);
            UnpiFrame occ = fx.incoming(nwk, 0x0406, 0x01);
            assertEquals(2, occ.u8(6), "source endpoint");
            assertEquals(0, new SimBytes.R(SimFixture.zcl(occ), 3).u16(), "attribute 0");
            // endpoint 1 has Basic only: occupancy there is UNSUPPORTED_CLUSTER, Basic is answered
            afTo(fx, nwk, 1, 0x0406, new byte[] {0x00, 0x32, 0x00, 0x00, 0x00}, 32);
            fx.advance(6000);
            UnpiFrame unsupported = fx.incoming(nwk, 0x0406, 0x0B);
            assertEquals(1, unsupported.u8(6));
            assertArrayEquals(new byte[] {0x18, 0x32, 0x0B, 0x00, (byte) 0xC3}, SimFixture.zcl(unsupported));
            afTo(fx, nwk, 1, 0x0000, new byte[] {0x00, 0x33, 0x00, 0x05, 0x00}, 33);
            fx.advance(6000);
            UnpiFrame model = fx.incoming(nwk, 0x0000, 0x01);
            assertEquals(1, model.u8(6));
            SimBytes.R m = new SimBytes.R(SimFixture.zcl(model), 7); // after id, status, type
            assertEquals("SML001", new String(m.bytes(m.u8()), StandardCharsets.UTF_8));

            // its own reports come from endpoint 2
            assertTrue(fx.sim.faults().trigger(fx.first(DeviceKind.MOTION_SENSOR).ieee()));
            UnpiFrame report = fx.incoming(nwk, 0x0406, 0x0A);
            assertEquals(2, report.u8(6));
            assertEquals(1, report.u8(7), "to the coordinator's endpoint 1");

            // binds are per source endpoint: occupancy on 2, not on 1; no endpoint 3
            long ieee = fx.first(DeviceKind.MOTION_SENSOR).ieee();
            int[][] cases = {{2, 0x00}, {1, 0x84}, {3, 0x82}};
            for (int[] c : cases) {
                h.sreq(0x25, 0x21, new SimBytes.W().u16(nwk).u64(ieee).u8(c[0]).u16(0x0406).u8(3)
                        .u64(fx.sim.ieee()).u8(1));
                fx.advance(6000);
                assertEquals(c[1], h.await(f -> f.cmd0() == 0x45 && f.command() == 0xA1 && f.u16(0) == nwk).u8(2),
                        "bind occupancy from endpoint " + c[0]);
            }

            // Signify's motion sensitivity (occupancy 0x0030, manufacturer 0x100B) reads, writes and reads back;
            // another manufacturer code is refused
            afTo(fx, nwk, 2, 0x0406, new byte[] {0x04, 0x0B, 0x10, 0x41, 0x00, 0x30, 0x00}, 41);
            fx.advance(6000);
            assertArrayEquals(new byte[] {0x1C, 0x0B, 0x10, 0x41, 0x01, 0x30, 0x00, 0x00, 0x20, 0x02},
                    SimFixture.zcl(fx.incoming(nwk, 0x0406, 0x01)), "high (2) by default");
            afTo(fx, nwk, 2, 0x0406, new byte[] {0x04, 0x0B, 0x10, 0x42, 0x02, 0x30, 0x00, 0x20, 0x00}, 42);
            afTo(fx, nwk, 2, 0x0406, new byte[] {0x04, 0x0B, 0x10, 0x43, 0x00, 0x30, 0x00}, 43);
            fx.advance(6000);
            assertArrayEquals(new byte[] {0x1C, 0x0B, 0x10, 0x42, 0x04, 0x00},
                    SimFixture.zcl(fx.incoming(nwk, 0x0406, 0x04)));
            assertArrayEquals(new byte[] {0x1C, 0x0B, 0x10, 0x43, 0x01, 0x30, 0x00, 0x00, 0x20, 0x00},
                    SimFixture.zcl(h.await(f -> f.cmd0() == 0x44 && f.command() == 0x81 && f.u16(4) == nwk
                            && SimFixture.zcl(f)[3] == 0x43)));
            afTo(fx, nwk, 2, 0x0406, new byte[] {0x04, 0x7C, 0x11, 0x44, 0x00, 0x30, 0x00}, 44);
            fx.advance(6000);
            assertArrayEquals(new byte[] {0x1C, 0x7C, 0x11, 0x44, 0x0B, 0x00, (byte) 0x84},
                    SimFixture.zcl(fx.incoming(nwk, 0x0406, 0x0B)), "UNSUP_MANUF_GENERAL_COMMAND");
        }
    }

    @Test
    void zclReadOfBasicModelAndUnsupportedAttribute() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView bulb = fx.first(DeviceKind.HUE_COLOUR_BULB);
            assertEquals(0, fx.af(bulb.nwk(), 0x0000, new byte[] {0x00, 0x21, 0x00, 0x05, 0x00, 0x04, 0x00, 0x34, 0x12}, 9));
            fx.advance(300);
            assertEquals(0, fx.confirm(9).u8(0));
            UnpiFrame in = fx.incoming(bulb.nwk(), 0x0000, 0x01);
            assertEquals(1, in.u8(6), "source endpoint");
            assertEquals(1, in.u8(7), "destination endpoint = the request's source endpoint");
            SimBytes.R r = new SimBytes.R(SimFixture.zcl(in));
            assertEquals(0x18, r.u8(), "server to client, default response disabled");
            assertEquals(0x21, r.u8(), "TSN echoed");
            assertEquals(0x01, r.u8());
            assertEquals(0x0005, r.u16());
            assertEquals(0, r.u8());
            assertEquals(0x42, r.u8());
            assertEquals("LCT015", new String(r.bytes(r.u8()), StandardCharsets.UTF_8));
            assertEquals(0x0004, r.u16());
            r.u8();
            assertEquals(0x42, r.u8());
            assertEquals("Signify Netherlands B.V.", new String(r.bytes(r.u8()), StandardCharsets.UTF_8));
            assertEquals(0x1234, r.u16());
            assertEquals(0x86, r.u8(), "UNSUPPORTED_ATTRIBUTE");
            assertEquals(0, r.remaining());
        }
    }

    @Test
    void onOffOnThenReadBack() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView bulb = fx.first(DeviceKind.COLOUR_BULB);
            assertFalse(bulb.onOff());
            // protocols.md §A7 golden AF_DATA_REQUEST shape: OnOff.On, FC 0x01
            assertEquals(0, fx.af(bulb.nwk(), 0x0006, new byte[] {0x01, 0x05, 0x01}, 5));
            fx.advance(300);
            assertArrayEquals(new byte[] {0, 1, 5}, fx.confirm(5).data());
            UnpiFrame dr = fx.incoming(bulb.nwk(), 0x0006, 0x0B);
            assertArrayEquals(new byte[] {0x18, 0x05, 0x0B, 0x01, 0x00}, SimFixture.zcl(dr), "default response success");
            UnpiFrame rep = fx.incoming(bulb.nwk(), 0x0006, 0x0A);
            assertArrayEquals(new byte[] {0x00, 0x00, 0x10, 0x01}, java.util.Arrays.copyOfRange(SimFixture.zcl(rep), 3, 7),
                    "the bulb reports onOff=true on change");
            assertTrue(fx.sim.device(bulb.ieee()).onOff());
            fx.af(bulb.nwk(), 0x0006, new byte[] {0x00, 0x06, 0x00, 0x00, 0x00}, 6);
            fx.advance(300);
            UnpiFrame rd = fx.incoming(bulb.nwk(), 0x0006, 0x01);
            assertArrayEquals(new byte[] {0x18, 0x06, 0x01, 0x00, 0x00, 0x00, 0x10, 0x01}, SimFixture.zcl(rd));
            // toggle with default response disabled: no default response
            fx.af(bulb.nwk(), 0x0006, new byte[] {0x11, 0x07, 0x02}, 7);
            fx.advance(300);
            fx.confirm(7);
            assertFalse(fx.sim.device(bulb.ieee()).onOff());
            assertTrue(fx.host.collect(f -> f.cmd0() == 0x44 && f.command() == 0x81 && SimFixture.zcl(f)[2] == 0x0B, 200)
                    .isEmpty());
        }
    }

    @Test
    void levelAndColourCommandsChangeState() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView bulb = fx.first(DeviceKind.HUE_COLOUR_BULB);
            int n = bulb.nwk();
            // moveToLevelWithOnOff(100, 0 s)
            fx.af(n, 0x0008, new byte[] {0x01, 0x10, 0x04, 100, 0, 0}, 10);
            fx.advance(300);
            assertEquals(100, fx.sim.device(bulb.ieee()).level());
            assertTrue(fx.sim.device(bulb.ieee()).onOff());
            // moveToColor(x=0x5000, y=0x4000)
            fx.af(n, 0x0300, new byte[] {0x01, 0x11, 0x07, 0x00, 0x50, 0x00, 0x40, 0, 0}, 11);
            fx.advance(300);
            DeviceView v = fx.sim.device(bulb.ieee());
            assertEquals(0x5000, v.colorX());
            assertEquals(0x4000, v.colorY());
            assertEquals(1, v.colorMode());
            // moveToHueAndSaturation(200, 150)
            fx.af(n, 0x0300, new byte[] {0x01, 0x12, 0x06, (byte) 200, (byte) 150, 0, 0}, 12);
            fx.advance(300);
            v = fx.sim.device(bulb.ieee());
            assertEquals(200, v.hue());
            assertEquals(150, v.saturation());
            assertEquals(0, v.colorMode());
            // moveToColorTemperature(600 mireds) is clamped to the Hue bulb's 500
            fx.af(n, 0x0300, new byte[] {0x01, 0x13, 0x0A, 0x58, 0x02, 0, 0}, 13);
            fx.advance(300);
            v = fx.sim.device(bulb.ieee());
            assertEquals(500, v.colorTemp());
            assertEquals(2, v.colorMode());
            // step level down 30
            fx.af(n, 0x0008, new byte[] {0x01, 0x14, 0x02, 0x01, 30, 0, 0}, 14);
            fx.advance(300);
            assertEquals(70, fx.sim.device(bulb.ieee()).level());
            // move up at 50/s for 1 s, then stop
            fx.af(n, 0x0008, new byte[] {0x01, 0x15, 0x01, 0x00, 50}, 15);
            fx.advance(100);
            int start = fx.sim.device(bulb.ieee()).level();
            fx.advance(1000);
            fx.af(n, 0x0008, new byte[] {0x01, 0x16, 0x03}, 16);
            fx.advance(300);
            int stopped = fx.sim.device(bulb.ieee()).level();
            assertTrue(stopped > start + 30 && stopped < start + 80, start + " -> " + stopped);
            fx.advance(1000);
            assertEquals(stopped, fx.sim.device(bulb.ieee()).level(), "stop holds the level");
        }
    }

    @Test
    void whiteSpectrumBulbRefusesHueCommandsAndOffBulbIgnoresPlainLevel() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView ws = fx.first(DeviceKind.WHITE_SPECTRUM_BULB);
            fx.af(ws.nwk(), 0x0300, new byte[] {0x01, 0x20, 0x06, 10, 10, 0, 0}, 20);
            fx.advance(300);
            UnpiFrame dr = fx.incoming(ws.nwk(), 0x0300, 0x0B);
            assertArrayEquals(new byte[] {0x18, 0x20, 0x0B, 0x06, (byte) 0x81}, SimFixture.zcl(dr), "UNSUP_COMMAND");
            // moveToLevel without on/off while off: ExecuteIfOff clear → no change (ZCL 3.10.2.2.3)
            fx.af(ws.nwk(), 0x0008, new byte[] {0x01, 0x21, 0x00, 50, 0, 0}, 21);
            fx.advance(300);
            assertEquals(254, fx.sim.device(ws.ieee()).level());
            // same with optionsMask/override executeIfOff
            fx.af(ws.nwk(), 0x0008, new byte[] {0x01, 0x22, 0x00, 50, 0, 0, 1, 1}, 22);
            fx.advance(300);
            assertEquals(50, fx.sim.device(ws.ieee()).level());
            // a cluster the device lacks
            fx.af(ws.nwk(), 0x0702, new byte[] {0x00, 0x23, 0x00, 0x00, 0x00}, 23);
            fx.advance(300);
            assertEquals((byte) 0xC3, SimFixture.zcl(fx.incoming(ws.nwk(), 0x0702, 0x0B))[4], "UNSUPPORTED_CLUSTER");
        }
    }

    @Test
    void groupsAreHonouredForGroupSends() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView a = fx.first(DeviceKind.COLOUR_BULB);
            DeviceView b = fx.first(DeviceKind.WHITE_SPECTRUM_BULB);
            fx.af(a.nwk(), 0x0004, new byte[] {0x01, 0x30, 0x00, 0x34, 0x12, 0x00}, 30);
            fx.advance(300);
            UnpiFrame add = fx.incoming(a.nwk(), 0x0004, 0x00);
            assertArrayEquals(new byte[] {0x19, 0x30, 0x00, 0x00, 0x34, 0x12}, SimFixture.zcl(add));
            fx.af(a.nwk(), 0x0004, new byte[] {0x01, 0x31, 0x00, 0x34, 0x12, 0x00}, 31);
            fx.advance(300);
            assertEquals((byte) 0x8A, SimFixture.zcl(fx.incoming(a.nwk(), 0x0004, 0x00))[3], "DUPLICATE_EXISTS");
            fx.af(a.nwk(), 0x0004, new byte[] {0x01, 0x32, 0x02, 0x00}, 32);
            fx.advance(300);
            assertArrayEquals(new byte[] {0x19, 0x32, 0x02, 15, 1, 0x34, 0x12},
                    SimFixture.zcl(fx.incoming(a.nwk(), 0x0004, 0x02)));
            assertEquals(Set.of(0x1234), fx.sim.device(a.ieee()).groups());

            assertEquals(0, fx.afGroup(0x1234, 0x0006, new byte[] {0x01, 0x33, 0x01}, 33));
            fx.advance(300);
            assertTrue(fx.sim.device(a.ieee()).onOff(), "member switched on");
            assertFalse(fx.sim.device(b.ieee()).onOff(), "non-member untouched");
            assertTrue(fx.host.collect(f -> f.cmd0() == 0x44 && f.command() == 0x81 && SimFixture.zcl(f)[2] == 0x0B, 100)
                    .isEmpty(), "no default response to a group command");

            fx.af(a.nwk(), 0x0004, new byte[] {0x01, 0x34, 0x03, 0x34, 0x12}, 34);
            fx.advance(300);
            assertEquals(0, SimFixture.zcl(fx.incoming(a.nwk(), 0x0004, 0x03))[3]);
            assertTrue(fx.sim.device(a.ieee()).groups().isEmpty());
        }
    }

    @Test
    void writeAttributesAndIasEnrolment() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView bulb = fx.first(DeviceKind.COLOUR_BULB);
            // identifyTime (writable u16) and modelId (read-only)
            fx.af(bulb.nwk(), 0x0003, new byte[] {0x00, 0x40, 0x02, 0x00, 0x00, 0x21, 0x0A, 0x00}, 40);
            fx.advance(300);
            assertArrayEquals(new byte[] {0x18, 0x40, 0x04, 0x00}, SimFixture.zcl(fx.incoming(bulb.nwk(), 0x0003, 0x04)));
            assertEquals(10L, fx.sim.device(bulb.ieee()).attribute(0x0003, 0x0000));
            fx.af(bulb.nwk(), 0x0000, new byte[] {0x00, 0x41, 0x02, 0x05, 0x00, 0x42, 0x01, 0x41}, 41);
            fx.advance(300);
            assertArrayEquals(new byte[] {0x18, 0x41, 0x04, (byte) 0x88, 0x05, 0x00},
                    SimFixture.zcl(fx.incoming(bulb.nwk(), 0x0000, 0x04)), "READ_ONLY");

            DeviceView contact = fx.first(DeviceKind.CONTACT_SENSOR);
            fx.sim.faults().pollInterval(contact.ieee(), java.time.Duration.ofSeconds(1));
            fx.af(contact.nwk(), 0x0500, new SimBytes.W().u8(0x00).u8(0x42).u8(0x02).u16(0x0010).u8(0xF0)
                    .u64(fx.sim.ieee()).done(), 42);
            fx.advance(2000);
            assertEquals(0, fx.confirm(42).u8(0));
            UnpiFrame enroll = fx.incoming(contact.nwk(), 0x0500, 0x01);
            assertArrayEquals(new byte[] {0x15, 0x00}, java.util.Arrays.copyOfRange(SimFixture.zcl(enroll), 3, 5),
                    "zone type contact");
            fx.af(contact.nwk(), 0x0500, new byte[] {0x01, 0x43, 0x00, 0x00, 0x07}, 43);
            fx.advance(2000);
            assertEquals(1L, fx.sim.device(contact.ieee()).attribute(0x0500, 0x0000), "enrolled");
        }
    }

    @Test
    void configuredReportingReportsOnItsInterval() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView bulb = fx.first(DeviceKind.WHITE_SPECTRUM_BULB);
            // configure level: min 1 s, max 10 s, change 5
            fx.af(bulb.nwk(), 0x0008, new byte[] {0x00, 0x50, 0x06, 0x00, 0x00, 0x00, 0x20, 1, 0, 10, 0, 5}, 50);
            fx.advance(300);
            assertArrayEquals(new byte[] {0x18, 0x50, 0x07, 0x00}, SimFixture.zcl(fx.incoming(bulb.nwk(), 0x0008, 0x07)));
            fx.host.collect(f -> true, 100);
            fx.advance(30_000);
            List<UnpiFrame> reports = fx.host.collect(f -> f.cmd0() == 0x44 && f.command() == 0x81
                    && f.u16(4) == bulb.nwk() && f.u16(2) == 0x0008 && SimFixture.zcl(f)[2] == 0x0A, 300);
            assertEquals(3, reports.size(), "one report per 10 s maximum interval");
            fx.af(bulb.nwk(), 0x0008, new byte[] {0x00, 0x51, 0x08, 0x00, 0x00, 0x00}, 51);
            fx.advance(300);
            assertArrayEquals(new byte[] {0x18, 0x51, 0x09, 0x00, 0x00, 0x00, 0x00, 0x20, 1, 0, 10, 0, 5},
                    SimFixture.zcl(fx.incoming(bulb.nwk(), 0x0008, 0x09)));
        }
    }

    @Test
    void sensorsReportByThemselves() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView weather = fx.first(DeviceKind.WEATHER_SENSOR);
            DeviceView plug = fx.first(DeviceKind.METERING_PLUG);
            fx.host.collect(f -> true, 100);
            fx.advance(125_000);
            List<UnpiFrame> temps = fx.host.collect(f -> f.cmd0() == 0x44 && f.command() == 0x81
                    && f.u16(4) == weather.nwk() && f.u16(2) == 0x0402, 300);
            assertEquals(2, temps.size(), "temperature every 60 s");
            byte[] z = SimFixture.zcl(temps.get(0));
            assertEquals(0x0A, z[2]);
            assertEquals(0x29, z[5], "int16 measured value");
            List<UnpiFrame> power = fx.host.collect(f -> f.cmd0() == 0x44 && f.command() == 0x81
                    && f.u16(4) == plug.nwk() && f.u16(2) == 0x0B04, 100);
            assertEquals(2, power.size(), "activePower every 60 s");
        }
    }

    @Test
    void triggerRunsASensorsOwnActivityNow() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView contact = fx.first(DeviceKind.CONTACT_SENSOR);
            DeviceView weather = fx.first(DeviceKind.WEATHER_SENSOR);
            fx.host.collect(f -> true, 100);
            long before = (Long) contact.attribute(0x0500, 2);
            assertTrue(fx.sim.faults().trigger(contact.ieee()));
            assertTrue(fx.sim.faults().trigger(weather.ieee()));
            fx.advance(100);
            List<UnpiFrame> zone = fx.host.collect(f -> f.cmd0() == 0x44 && f.command() == 0x81
                    && f.u16(4) == contact.nwk() && f.u16(2) == 0x0500, 100);
            assertEquals(1, zone.size(), "one zone status change notification, long before its 30 s minimum");
            assertEquals(before ^ 1, fx.sim.device(contact.ieee()).attribute(0x0500, 2), "the contact toggled");
            assertEquals(1, fx.host.collect(f -> f.cmd0() == 0x44 && f.command() == 0x81
                    && f.u16(4) == weather.nwk() && f.u16(2) == 0x0402, 100).size(), "a temperature report");
            assertFalse(fx.sim.faults().trigger(0x1234L), "unknown device");
        }
    }
}
