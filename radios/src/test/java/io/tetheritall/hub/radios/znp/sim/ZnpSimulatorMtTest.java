package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** MT basics: golden frames, framing tolerance, RPC errors, NV memory, formation, resets, restarts. */
class ZnpSimulatorMtTest {
    @org.junit.jupiter.api.BeforeAll
    static void tmp() throws Exception {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void pingAndVersionAnswerWithGoldenBytes() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.host.sendRaw(hex("FE 00 21 01 20"));
            fx.host.await(f -> f.cmd0() == 0x61 && f.command() == 0x01);
            fx.host.sendRaw(hex("FE 00 21 02 23"));
            fx.host.await(f -> f.cmd0() == 0x61 && f.command() == 0x02);
            // SYS_PING: capabilities 0x0979 as a CC2652 Z-Stack 3.x.0 reports; VERSION: protocols.md §A7 golden frame
            assertEquals("FE 02 61 01 79 09 12 FE 09 61 02 02 01 02 07 01 6B B1 34 01 82", HEX.formatHex(fx.host.rawBytes()));
        }
    }

    @Test
    void bootloaderSkipBytesBeforeTheFirstFrameAreIgnored() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            byte[] skip = new byte[256];
            Arrays.fill(skip, (byte) 0xEF);
            fx.host.sendRaw(skip);
            UnpiFrame r = fx.host.sreq(0x21, 0x01);
            assertEquals(0x0979, r.u16(0));
            assertEquals(1, fx.sim.counters().sreqs());
        }
    }

    @Test
    void unknownCommandsGetTheRpcErrorSrsp() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            UnpiFrame badId = fx.host.sreq(0x21, 0x7F);
            assertEquals(UnpiFrame.of(0x60, 0x00, (byte) 0x02, (byte) 0x21, (byte) 0x7F), badId);
            UnpiFrame badSub = fx.host.sreq(0x3E, 0x01); // subsystem 0x1E does not exist
            assertEquals(UnpiFrame.of(0x60, 0x00, (byte) 0x01, (byte) 0x3E, (byte) 0x01), badSub);
            UnpiFrame shortPayload = fx.host.sreq(0x21, 0x13, (byte) 0x03); // NV_LENGTH needs Id(2)
            assertEquals(UnpiFrame.of(0x60, 0x00, (byte) 0x04, (byte) 0x21, (byte) 0x13), shortPayload);
            assertEquals(3, fx.sim.counters().rpcErrors());
            assertEquals(1, fx.sim.counters().badRequests());
            assertEquals(0x0979, fx.host.sreq(0x21, 0x01).u16(0), "still answers after bad input");
        }
    }

    @Test
    void nvItemsInitWriteReadLengthDelete() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            ZnpTestHost h = fx.host;
            assertEquals(0, h.sreq(0x21, 0x13, new SimBytes.W().u16(0x0200)).u16(0), "absent item has length 0");
            assertEquals(0x09, h.sreq(0x21, 0x09, new SimBytes.W().u16(0x0200).u8(0).u8(1).u8(7)).u8(0),
                    "write to an uninitialised item");
            assertEquals(0x09, h.sreq(0x21, 0x07, new SimBytes.W().u16(0x0200).u16(300).u8(2).u8(0xAA).u8(0xBB)).u8(0),
                    "created");
            assertEquals(0x00, h.sreq(0x21, 0x07, new SimBytes.W().u16(0x0200).u16(300).u8(0)).u8(0), "already exists");
            assertEquals(300, h.sreq(0x21, 0x13, new SimBytes.W().u16(0x0200)).u16(0));
            byte[] tail = new byte[60];
            Arrays.fill(tail, (byte) 0x5C);
            assertEquals(0, h.sreq(0x21, 0x1D, new SimBytes.W().u16(0x0200).u16(240).u16(60).bytes(tail)).u8(0));
            UnpiFrame first = h.sreq(0x21, 0x1C, new SimBytes.W().u16(0x0200).u16(0));
            assertEquals(0, first.u8(0));
            assertEquals(248, first.u8(1), "one read carries at most 248 bytes");
            assertArrayEquals(new byte[] {(byte) 0xAA, (byte) 0xBB, 0}, first.slice(2, 3));
            UnpiFrame rest = h.sreq(0x21, 0x1C, new SimBytes.W().u16(0x0200).u16(248));
            assertEquals(52, rest.u8(1));
            assertEquals(0x5C, rest.u8(2));
            UnpiFrame legacy = h.sreq(0x21, 0x08, new SimBytes.W().u16(0x0200).u8(1));
            assertEquals(0xBB, legacy.u8(2));
            assertEquals(0x0A, h.sreq(0x21, 0x1D, new SimBytes.W().u16(0x0200).u16(299).u16(2).u8(1).u8(2)).u8(0),
                    "write past the end of the item fails");
            assertEquals(0x0A, h.sreq(0x21, 0x12, new SimBytes.W().u16(0x0200).u16(10)).u8(0), "delete needs the length");
            assertEquals(0x00, h.sreq(0x21, 0x12, new SimBytes.W().u16(0x0200).u16(300)).u8(0));
            assertEquals(0, h.sreq(0x21, 0x13, new SimBytes.W().u16(0x0200)).u16(0));
            assertEquals(0x09, h.sreq(0x21, 0x12, new SimBytes.W().u16(0x0200).u16(300)).u8(0), "already gone");
            assertEquals(0x02, h.sreq(0x21, 0x1C, new SimBytes.W().u16(0x0200).u16(0)).u8(0), "read of an absent item");
        }
    }

    @Test
    void extendedNvTableItems() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            ZnpTestHost h = fx.host;
            assertEquals(0L, h.sreq(0x21, 0x32, new SimBytes.W().u8(1).u16(4).u16(0)).data()[0]);
            assertEquals(0, h.sreq(0x21, 0x30, new SimBytes.W().u8(1).u16(4).u16(0).u32(4)).u8(0));
            assertEquals(0, h.sreq(0x21, 0x34, new SimBytes.W().u8(1).u16(4).u16(0).u16(1).u8(2).u8(9).u8(8)).u8(0));
            UnpiFrame r = h.sreq(0x21, 0x33, new SimBytes.W().u8(1).u16(4).u16(0).u16(0).u8(4));
            assertArrayEquals(new byte[] {0, 4, 0, 9, 8, 0}, r.data());
            assertEquals(0, h.sreq(0x21, 0x31, new SimBytes.W().u8(1).u16(4).u16(0)).u8(0));
            assertEquals(0, h.sreq(0x21, 0x32, new SimBytes.W().u8(1).u16(4).u16(0)).u8(0));
        }
    }

    @Test
    void formationWritesTheNibAndReportsCoordinatorState() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            UnpiFrame info = fx.host.sreq(0x27, 0x00);
            assertEquals(0, info.u8(12), "factory-fresh stick is in HOLD");
            assertEquals(0, fx.host.sreq(0x21, 0x13, new SimBytes.W().u16(0x0021)).u16(0), "no NIB yet");
            fx.form();
            byte[] nib = fx.nvRead(0x0021);
            assertEquals(116, nib.length, "CC26xx aligned NIB");
            assertEquals(SimFixture.CHANNEL, nib[24]);
            assertEquals(SimFixture.PAN, (nib[36] & 0xFF) | (nib[37] & 0xFF) << 8);
            assertEquals(1L << SimFixture.CHANNEL, new SimBytes.R(nib, 40).u32());
            assertEquals(SimFixture.EXT_PAN, new SimBytes.R(nib, 57).u64());
            byte[] active = fx.nvRead(0x003A);
            assertArrayEquals(SimFixture.KEY, Arrays.copyOfRange(active, 1, 17));
            assertArrayEquals(new byte[] {0}, fx.nvRead(0x0003), "startup option cleared once formed");
            info = fx.host.sreq(0x27, 0x00);
            assertEquals(9, info.u8(12));
            assertEquals(fx.sim.ieee(), new SimBytes.R(info.data(), 1).u64());
            UnpiFrame nwk = fx.host.sreq(0x25, 0x50);
            assertEquals(SimFixture.PAN, nwk.u16(3));
            assertEquals(SimFixture.CHANNEL, nwk.u8(nwk.length() - 1));
        }
    }

    @Test
    void resetKeepsTheNetworkAndStartupFromAppRestoresIt() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            fx.host.sendRaw(hex("FE 01 41 00 01 41")); // SYS_RESET_REQ soft (protocols.md §A7)
            fx.host.sreq(0x21, 0x01); // processed in order: the reset is scheduled now
            fx.advance(300);
            UnpiFrame ind = fx.host.awaitAreq(0x41, 0x80);
            assertArrayEquals(new byte[] {0x00, 2, 1, 2, 7, 1}, ind.data());
            assertEquals(0, fx.host.sreq(0x27, 0x00).u8(12), "HOLD after reset");
            assertEquals(0, fx.host.sreq(0x25, 0x40, new SimBytes.W().u16(100)).u8(0), "0 = restored");
            fx.advance(500);
            fx.awaitState(9);
            assertEquals(SimFixture.PAN, fx.sim.panId());
            assertEquals(SimFixture.CHANNEL, fx.sim.channel());
        }
    }

    @Test
    void startupOptionClearsStateAndConfigOnReset() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            fx.nvWrite(0x0003, new byte[] {0x03});
            fx.host.sendRaw(hex("FE 01 41 00 01 41"));
            fx.host.sreq(0x21, 0x01);
            fx.advance(300);
            fx.host.awaitAreq(0x41, 0x80);
            assertEquals(0, fx.host.sreq(0x21, 0x13, new SimBytes.W().u16(0x0021)).u16(0), "NIB gone");
            assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFF}, fx.nvRead(0x0083), "PAN id back to default");
            assertArrayEquals(new byte[] {0x55}, fx.nvRead(0x0060), "herdsman's own flag is not a Z-Stack item");
            assertArrayEquals(new byte[] {0}, fx.nvRead(0x0003));
        }
    }

    @Test
    void nvFileKeepsNetworkAndJoinedDevicesAcrossRestarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("znp-nv.txt");
        ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(7).deviceCount(3).baud(0).nvFile(file).build();
        long bulb;
        try (SimFixture fx = new SimFixture(cfg)) {
            fx.form();
            fx.joinAll();
            bulb = fx.sim.devices().get(0).ieee();
        }
        assertTrue(Files.exists(file));
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")), "atomic write leaves no temp file");
        try (SimFixture fx = new SimFixture(cfg)) {
            assertEquals(116, fx.host.sreq(0x21, 0x13, new SimBytes.W().u16(0x0021)).u16(0));
            assertArrayEquals(new byte[] {0x55}, fx.nvRead(0x0060));
            assertTrue(fx.sim.device(bulb).joined(), "paired devices survive the restart");
            assertEquals(0, fx.host.sreq(0x25, 0x40, new SimBytes.W().u16(100)).u8(0));
            fx.advance(500);
            fx.awaitState(9);
            assertEquals(SimFixture.PAN, fx.sim.panId());
        }
    }

    @Test
    void coordinatorEndpointsAndGroups() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            ZnpTestHost h = fx.host;
            byte[] reg = new SimBytes.W().u8(1).u16(0x0104).u16(0x0005).u8(0).u8(0).u8(1).u16(0x0000).u8(1).u16(0x0006).done();
            assertEquals(0, h.sreq(0x24, 0x00, reg).u8(0));
            assertEquals(0xB8, h.sreq(0x24, 0x00, reg).u8(0), "duplicate registration");
            h.sreq(0x25, 0x05, new SimBytes.W().u16(0).u16(0));
            fx.advance(5);
            UnpiFrame ep = h.awaitAreq(0x45, 0x85);
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 1, 1}, ep.data());
            h.sreq(0x25, 0x04, new SimBytes.W().u16(0).u16(0).u8(1));
            fx.advance(5);
            UnpiFrame sd = h.awaitAreq(0x45, 0x84);
            assertArrayEquals(hex("00 00 00 00 00 0C 01 04 01 05 00 00 01 00 00 01 06 00"), sd.data());
            assertEquals(1, h.sreq(0x25, 0x4A, new SimBytes.W().u8(242).u16(0x0B84)).u8(0), "not in group yet");
            assertEquals(0, h.sreq(0x25, 0x4B, new SimBytes.W().u8(242).u16(0x0B84).u8(0)).u8(0));
            assertEquals(0, h.sreq(0x25, 0x4A, new SimBytes.W().u8(242).u16(0x0B84)).u8(0));
        }
    }
}
