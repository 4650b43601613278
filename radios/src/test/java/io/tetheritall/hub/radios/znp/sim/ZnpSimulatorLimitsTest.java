package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.time.TaskScheduler;
import io.tetheritall.hub.radios.time.VirtualScheduler;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Radio limits (in-flight, broadcast table, MAC failures, UART pacing) and fault injection. */
class ZnpSimulatorLimitsTest {

    private static SimFixture joined(ZnpSimulatorConfig cfg) throws Exception {
        SimFixture fx = new SimFixture(cfg);
        fx.form();
        fx.joinAll();
        fx.host.collect(f -> true, 50);
        return fx;
    }

    private static SimFixture joined() throws Exception {
        return joined(ZnpSimulatorConfig.builder().seed(42).baud(0).build());
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        return HexFormat.of().formatHex(hay).contains(HexFormat.of().formatHex(needle));
    }

    @Test
    void thirteenthUnconfirmedRequestGetsBufferFull() throws Exception {
        try (SimFixture fx = joined()) {
            int bulb = fx.first(DeviceKind.COLOUR_BULB).nwk();
            for (int i = 0; i < 12; i++) {
                assertEquals(0, fx.af(bulb, 0x0006, new byte[] {0x11, (byte) i, 0x01}, 100 + i), "request " + i);
            }
            assertEquals(12, fx.sim.counters().inFlight());
            assertEquals(0x11, fx.af(bulb, 0x0006, new byte[] {0x11, 12, 0x01}, 112));
            assertTrue(contains(fx.host.rawBytes(), HexFormat.ofDelimiter(" ").parseHex("FE 01 64 01 11 75")),
                    "golden SRSP BUFFER_FULL frame");
            assertEquals(1, fx.sim.counters().bufferFull());
            assertEquals(12, fx.sim.counters().maxInFlight());
            fx.advance(200);
            fx.host.awaitCount(f -> f.cmd0() == 0x44 && f.command() == 0x80 && f.u8(0) == 0, 12);
            assertEquals(0, fx.sim.counters().inFlight());
            assertEquals(0, fx.af(bulb, 0x0006, new byte[] {0x11, 13, 0x01}, 113), "accepted again once confirmed");
        }
    }

    @Test
    void tenthGroupSendWithinNineSecondsIsRefused() throws Exception {
        try (SimFixture fx = joined()) {
            for (int i = 0; i < 9; i++) {
                assertEquals(0, fx.afGroup(0x0001, 0x0006, new byte[] {0x01, (byte) i, 0x02}, 60 + i));
                fx.advance(500);
            }
            assertEquals(ZnpSimulator.BROADCAST_REFUSED_STATUS, fx.afGroup(0x0001, 0x0006, new byte[] {0x01, 9, 0x02}, 69));
            assertEquals(0xC7, ZnpSimulator.BROADCAST_REFUSED_STATUS);
            assertEquals(1, fx.sim.counters().broadcastRefusals());
            assertEquals(9, fx.sim.counters().broadcasts());
            assertNull(fx.host.poll(f -> f.cmd0() == 0x44 && f.command() == 0x80 && f.u8(2) == 69, 100),
                    "a refused request gets no confirm");
            fx.advance(4600); // the first entry was added 9 s ago
            assertEquals(0, fx.afGroup(0x0001, 0x0006, new byte[] {0x01, 10, 0x02}, 70));
            // broadcast to all routers via AF_DATA_REQUEST also counts
            assertEquals(0xC7, fx.af(0xFFFC, 0x0006, new byte[] {0x01, 11, 0x02}, 71));
            assertEquals(2, fx.sim.counters().broadcastRefusals());
        }
    }

    @Test
    void silentDeviceGivesMacNoAckAndStopsReporting() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView plug = fx.first(DeviceKind.METERING_PLUG);
            assertTrue(fx.sim.faults().silent(plug.ieee(), true));
            assertEquals(0, fx.af(plug.nwk(), 0x0006, new byte[] {0x01, 1, 0x01}, 80));
            fx.advance(500);
            assertEquals(0xE9, fx.confirm(80).u8(0));
            assertFalse(fx.sim.device(plug.ieee()).onOff());
            fx.advance(180_000);
            assertTrue(fx.host.collect(f -> f.cmd0() == 0x44 && f.command() == 0x81 && f.u16(4) == plug.nwk(), 200).isEmpty());
            assertEquals(1, fx.sim.counters().macNoAck());
            fx.sim.faults().silent(plug.ieee(), false);
            fx.af(plug.nwk(), 0x0006, new byte[] {0x01, 2, 0x01}, 81);
            fx.advance(500);
            assertEquals(0, fx.confirm(81).u8(0));
        }
    }

    @Test
    void sleepyDeviceThatMissesItsPollExpires() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView weather = fx.first(DeviceKind.WEATHER_SENSOR);
            fx.sim.faults().pollInterval(weather.ieee(), Duration.ofSeconds(30));
            assertEquals(0, fx.af(weather.nwk(), 0x0000, new byte[] {0x00, 1, 0x00, 0x05, 0x00}, 90));
            fx.advance(6900);
            assertNull(fx.host.poll(f -> f.cmd0() == 0x44 && f.command() == 0x80 && f.u8(2) == 90, 100), "still held");
            fx.advance(200);
            assertEquals(0xF0, fx.confirm(90).u8(0), "MAC_TRANSACTION_EXPIRED after 7 s");
            assertEquals(1, fx.sim.counters().transactionExpired());
            // a device that polls in time gets it
            fx.sim.faults().pollInterval(weather.ieee(), Duration.ofSeconds(2));
            fx.af(weather.nwk(), 0x0000, new byte[] {0x00, 2, 0x00, 0x05, 0x00}, 91);
            fx.advance(3000);
            assertEquals(0, fx.confirm(91).u8(0));
            fx.incoming(weather.nwk(), 0x0000, 0x01);
        }
    }

    @Test
    void uartPacingHoldsBackOutputBeyondOneFrameOfBacklog() throws Exception {
        try (SimFixture fx = new SimFixture(ZnpSimulatorConfig.builder().seed(1).baud(115200).build())) {
            fx.sim.faults().garbage(2000); // 2000 bytes ≈ 174 ms of line time at 115200 baud
            fx.host.send(UnpiFrame.of(0x21, 0x01));
            assertNull(fx.host.poll(f -> f.cmd0() == 0x61, 200), "the ping answer waits for the line");
            fx.advance(140);
            assertNull(fx.host.poll(f -> f.cmd0() == 0x61, 100));
            fx.advance(30);
            assertNotNull(fx.host.poll(f -> f.cmd0() == 0x61, 2000));
            assertEquals(2000 + 7, fx.sim.counters().bytesOut());
        }
    }

    @Test
    void hangAndResume() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.sim.faults().hang();
            fx.host.send(UnpiFrame.of(0x21, 0x01));
            assertNull(fx.host.poll(f -> true, 300), "a hung stick answers nothing");
            assertTrue(fx.sim.counters().droppedWhileHung() >= 1);
            fx.sim.faults().resume();
            assertEquals(0x0979, fx.host.sreq(0x21, 0x01).u16(0));
        }
    }

    @Test
    void garbageAndBadFcsAreDroppedByTheHostDecoder() throws Exception {
        try (SimFixture fx = new SimFixture(ZnpSimulatorConfig.builder().seed(3).baud(0).build())) {
            fx.sim.faults().garbage(64);
            assertEquals(0x0979, fx.host.sreq(0x21, 0x01).u16(0), "a frame after garbage still decodes");
            assertTrue(fx.host.decoder.skippedBytes() > 0);
            fx.sim.faults().badFcs();
            fx.host.send(UnpiFrame.of(0x21, 0x01));
            assertNull(fx.host.poll(f -> f.cmd0() == 0x61, 300), "the corrupted SRSP is dropped");
            assertEquals(1, fx.host.decoder.badFcs());
            assertEquals(1, fx.sim.counters().badFcsSent());
            assertEquals(0x0979, fx.host.sreq(0x21, 0x01).u16(0), "only one frame is corrupted");
        }
    }

    @Test
    void droppedConfirms() throws Exception {
        try (SimFixture fx = joined()) {
            int bulb = fx.first(DeviceKind.COLOUR_BULB).nwk();
            fx.sim.faults().dropConfirms(true);
            fx.af(bulb, 0x0006, new byte[] {0x01, 1, 0x01}, 120);
            fx.advance(300);
            fx.incoming(bulb, 0x0006, 0x0B); // the device still answers
            assertNull(fx.host.poll(f -> f.cmd0() == 0x44 && f.command() == 0x80, 100));
            assertEquals(1, fx.sim.counters().confirmsDropped());
            assertEquals(0, fx.sim.counters().inFlight(), "the stack freed the buffer anyway");
            fx.sim.faults().dropConfirms(false);
            fx.af(bulb, 0x0006, new byte[] {0x01, 2, 0x01}, 121);
            fx.advance(300);
            assertEquals(0, fx.confirm(121).u8(0));
        }
    }

    @Test
    void unplugTakesTheLinkDownAndReplugReboots() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.host.states.clear();
            fx.sim.faults().unplug();
            assertEquals(LinkState.DOWN, fx.host.states.poll(2, TimeUnit.SECONDS));
            assertFalse(fx.host.link.isUp());
            fx.host.link.open(new io.tetheritall.hub.radios.link.ByteLink.Listener() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    fx.host.decoder.feed(buf, off, len);
                }
            });
            fx.sim.faults().replug();
            fx.advance(300);
            UnpiFrame ind = fx.host.awaitAreq(0x41, 0x80);
            assertEquals(0x00, ind.u8(0), "power-on reset");
            assertEquals(0x0979, fx.host.sreq(0x21, 0x01).u16(0));
        }
    }

    @Test
    void rebootKeepsNvAndReportsWatchdog() throws Exception {
        try (SimFixture fx = joined()) {
            fx.sim.faults().reboot();
            fx.advance(300);
            assertArrayEquals(new byte[] {0x02, 2, 1, 2, 7, 1}, fx.host.awaitAreq(0x41, 0x80).data());
            assertEquals(0, fx.host.sreq(0x27, 0x00).u8(12));
            assertEquals(116, fx.host.sreq(0x21, 0x13, new SimBytes.W().u16(0x0021)).u16(0));
            int bulb = fx.first(DeviceKind.COLOUR_BULB).nwk();
            assertEquals(0xC2, fx.af(bulb, 0x0006, new byte[] {0x01, 1, 0x01}, 130), "network down until started");
            fx.host.sreq(0x25, 0x40, new SimBytes.W().u16(100));
            fx.advance(500);
            fx.awaitState(9);
            assertTrue(fx.sim.devices().stream().allMatch(DeviceView::joined));
            assertEquals(0, fx.af(bulb, 0x0006, new byte[] {0x01, 2, 0x01}, 131));
        }
    }

    @Test
    void deviceLeavesByItselfOrOnRequest() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView a = fx.first(DeviceKind.MOTION_SENSOR);
            assertTrue(fx.sim.faults().leave(a.ieee()));
            UnpiFrame ind = fx.host.awaitAreq(0x45, 0xC9);
            assertEquals(a.nwk(), ind.u16(0));
            assertEquals(a.ieee(), new SimBytes.R(ind.data(), 2).u64());
            assertFalse(fx.sim.device(a.ieee()).joined());

            DeviceView b = fx.first(DeviceKind.METERING_PLUG);
            fx.host.sreq(0x25, 0x34, new SimBytes.W().u16(b.nwk()).u64(b.ieee()).u8(0));
            fx.advance(300);
            assertEquals(b.nwk(), fx.host.awaitAreq(0x45, 0xB4).u16(0));
            assertEquals(b.nwk(), fx.host.awaitAreq(0x45, 0xC9).u16(0));
            assertFalse(fx.sim.device(b.ieee()).joined());
            fx.af(b.nwk(), 0x0006, new byte[] {0x01, 1, 0x01}, 140);
            fx.advance(500);
            assertEquals(0xE9, fx.confirm(140).u8(0));
            assertEquals(2, fx.sim.counters().leaves());

            // permit again: both rejoin
            fx.host.sreq(0x25, 0x36, new SimBytes.W().u8(0x0F).u16(0xFFFC).u8(60).u8(0));
            fx.advance(5000);
            List<UnpiFrame> rejoined = fx.host.awaitCount(f -> f.cmd0() == 0x45 && f.command() == 0xCA, 2);
            assertEquals(2, rejoined.size());
        }
    }

    @Test
    void bindAndLqi() throws Exception {
        try (SimFixture fx = joined()) {
            DeviceView bulb = fx.first(DeviceKind.COLOUR_BULB);
            fx.host.sreq(0x25, 0x21, new SimBytes.W().u16(bulb.nwk()).u64(bulb.ieee()).u8(1).u16(0x0006).u8(3)
                    .u64(fx.sim.ieee()).u8(1));
            fx.advance(300);
            assertArrayEquals(new byte[] {(byte) bulb.nwk(), (byte) (bulb.nwk() >> 8), 0}, fx.host.awaitAreq(0x45, 0xA1).data());
            fx.host.sreq(0x25, 0x31, new SimBytes.W().u16(0).u8(0));
            fx.advance(10);
            UnpiFrame lqi = fx.host.awaitAreq(0x45, 0xB1);
            assertEquals(0, lqi.u8(2));
            int total = lqi.u8(3);
            assertTrue(total >= 3, "direct children of the coordinator");
            assertEquals(3, lqi.u8(5));
            assertEquals(5 + 1 + 3 * 22, lqi.length());
        }
    }

    @Test
    void virtualSchedulerRunsTasksInTimeOrder() {
        io.tetheritall.hub.radios.time.ManualClock clock = new io.tetheritall.hub.radios.time.ManualClock(0);
        VirtualScheduler vs = new VirtualScheduler(clock);
        StringBuilder order = new StringBuilder();
        vs.schedule(Duration.ofMillis(30), () -> order.append('c'));
        vs.schedule(Duration.ofMillis(10), () -> {
            order.append('a');
            vs.schedule(Duration.ofMillis(5), () -> order.append('b'));
        });
        TaskScheduler.Cancellable t = vs.schedule(Duration.ofMillis(20), () -> order.append('x'));
        vs.schedule(Duration.ofMillis(30), () -> order.append('d'));
        t.cancel();
        vs.advance(Duration.ofMillis(29));
        assertEquals("ab", order.toString());
        assertEquals(29_000_000L, clock.nanos());
        vs.advance(Duration.ofMillis(1));
        assertEquals("abcd", order.toString());
    }
}
