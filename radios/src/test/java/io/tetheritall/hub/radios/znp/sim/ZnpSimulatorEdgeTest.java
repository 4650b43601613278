package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Joining through a router, scenes, and bad input: malformed ZCL, damaged NV file lines. */
class ZnpSimulatorEdgeTest {
    @BeforeAll
    static void tmp() throws Exception {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void joinPermittedOnlyThroughARouterMakesItTheParent() throws Exception {
        try (SimFixture fx = new SimFixture(ZnpSimulatorConfig.builder().seed(5).baud(0)
                .devices(List.of(DeviceKind.METERING_PLUG, DeviceKind.CONTACT_SENSOR)).build())) {
            fx.form();
            fx.host.sreq(0x25, 0x36, new SimBytes.W().u8(0x02).u16(0x0000).u8(20).u8(0));
            fx.advance(3000);
            DeviceView plug = fx.first(DeviceKind.METERING_PLUG);
            DeviceView contact = fx.first(DeviceKind.CONTACT_SENSOR);
            assertTrue(fx.sim.device(plug.ieee()).joined());
            assertTrue(fx.sim.device(contact.ieee()).joined(), "the coordinator permitted joining");
            fx.advance(25_000); // coordinator permit over
            fx.sim.faults().leave(contact.ieee());
            fx.advance(5_000);
            assertFalse(fx.sim.device(contact.ieee()).joined(), "no rejoin while nobody permits");
            fx.host.collect(f -> true, 50);
            // now only the plug (a router) permits joining
            assertEquals(0, fx.host.sreq(0x25, 0x36, new SimBytes.W().u8(0x02).u16(plug.nwk()).u8(30).u8(0)).u8(0));
            fx.advance(3000);
            assertEquals(0, fx.host.await(f -> f.cmd0() == 0x45 && f.command() == 0xB6 && f.u16(0) == plug.nwk()).u8(2),
                    "the router answers the permit request");
            UnpiFrame tc = fx.host.await(f -> f.cmd0() == 0x45 && f.command() == 0xCA && f.u16(0) == contact.nwk());
            assertEquals(plug.nwk(), tc.u16(10), "TC_DEV_IND names the router as parent");
        }
    }

    @Test
    void noJoinWithoutPermit() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            fx.advance(30_000);
            assertEquals(0, fx.sim.counters().joins());
            fx.host.sreq(0x25, 0x36, new SimBytes.W().u8(0x0F).u16(0xFFFC).u8(1).u8(0));
            fx.advance(30_000);
            assertTrue(fx.sim.counters().joins() <= 2, "a one-second window lets at most a device or two in");
        }
    }

    @Test
    void scenesStoreAndRecall() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            fx.joinAll();
            DeviceView bulb = fx.first(DeviceKind.COLOUR_BULB);
            int n = bulb.nwk();
            fx.af(n, 0x0004, new byte[] {0x01, 1, 0x00, 0x05, 0x00, 0x00}, 1); // add group 5
            fx.af(n, 0x0006, new byte[] {0x01, 2, 0x01}, 2); // on
            fx.af(n, 0x0008, new byte[] {0x01, 3, 0x00, 77, 0, 0}, 3); // level 77
            fx.advance(300);
            fx.af(n, 0x0005, new byte[] {0x01, 4, 0x04, 0x05, 0x00, 0x03}, 4); // store scene 3 in group 5
            fx.advance(300);
            assertArrayEquals(new byte[] {0x19, 4, 0x04, 0x00, 0x05, 0x00, 0x03}, SimFixture.zcl(fx.incoming(n, 0x0005, 0x04)));
            fx.af(n, 0x0008, new byte[] {0x01, 5, 0x00, (byte) 200, 0, 0}, 5);
            fx.af(n, 0x0006, new byte[] {0x01, 6, 0x00}, 6);
            fx.advance(300);
            assertEquals(200, fx.sim.device(bulb.ieee()).level());
            fx.af(n, 0x0005, new byte[] {0x01, 7, 0x05, 0x05, 0x00, 0x03}, 7); // recall
            fx.advance(300);
            assertEquals(77, fx.sim.device(bulb.ieee()).level());
            assertTrue(fx.sim.device(bulb.ieee()).onOff());
            fx.af(n, 0x0005, new byte[] {0x01, 8, 0x05, 0x05, 0x00, 0x09}, 8); // recall a missing scene
            fx.advance(300);
            assertEquals((byte) 0x8B, SimFixture.zcl(fx.host.await(f -> f.cmd0() == 0x44 && f.command() == 0x81
                    && SimFixture.zcl(f)[1] == 8))[4], "NOT_FOUND");
        }
    }

    @Test
    void malformedZclIsAnsweredOrDroppedWithoutHarm() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            fx.joinAll();
            DeviceView bulb = fx.first(DeviceKind.COLOUR_BULB);
            int n = bulb.nwk();
            fx.af(n, 0x0006, new byte[] {0x00}, 1); // not even a header: dropped
            fx.af(n, 0x0006, new byte[] {0x00, 9, 0x02, 0x00}, 2); // write attributes cut short
            fx.af(n, 0x0008, new byte[] {0x01, 10, 0x00, 50}, 3); // moveToLevel without its transition time
            fx.af(n, 0x0006, new byte[] {0x00, 11, 0x02, 0x00, 0x00, (byte) 0x99, 0x01}, 4); // unknown data type
            fx.advance(300);
            assertArrayEquals(new byte[] {0x18, 9, 0x0B, 0x02, (byte) 0x80},
                    SimFixture.zcl(fx.host.await(f -> f.cmd0() == 0x44 && f.command() == 0x81 && SimFixture.zcl(f)[1] == 9)),
                    "MALFORMED_COMMAND");
            assertEquals((byte) 0x80, SimFixture.zcl(fx.host.await(f -> f.cmd0() == 0x44 && f.command() == 0x81
                    && SimFixture.zcl(f)[1] == 10))[4]);
            assertArrayEquals(new byte[] {0x18, 11, 0x04, (byte) 0x8D, 0x00, 0x00},
                    SimFixture.zcl(fx.host.await(f -> f.cmd0() == 0x44 && f.command() == 0x81 && SimFixture.zcl(f)[1] == 11)));
            assertEquals(254, fx.sim.device(bulb.ieee()).level(), "a malformed command changes nothing");
            for (int t = 1; t <= 4; t++) {
                assertEquals(0, fx.confirm(t).u8(0));
            }
            // an AF request whose Len runs past the frame is a bad-length RPC error
            UnpiFrame r = fx.host.sreq(0x24, 0x01, new SimBytes.W().u16(n).u8(1).u8(1).u16(6).u8(5).u8(0).u8(30).u8(9).u8(1));
            assertEquals(UnpiFrame.of(0x60, 0x00, (byte) 0x04, (byte) 0x24, (byte) 0x01), r);
        }
    }

    @Test
    void damagedNvFileLinesAreSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nv.txt");
        Files.writeString(file, "# test\nnv 0083 621a\nnv zz12 00\nbogus line\nex 01:0004:0000 0a0b\nrec dev.nothing joined=1\n");
        try (SimFixture fx = new SimFixture(ZnpSimulatorConfig.builder().seed(1).baud(0).nvFile(file).build())) {
            assertArrayEquals(new byte[] {0x62, 0x1A}, fx.nvRead(0x0083));
            UnpiFrame ext = fx.host.sreq(0x21, 0x33, new SimBytes.W().u8(1).u16(4).u16(0).u16(0).u8(2));
            assertArrayEquals(new byte[] {0, 2, 0x0A, 0x0B}, ext.data());
            assertEquals(0x0979, fx.host.sreq(0x21, 0x01).u16(0));
        }
    }
}
