package io.tetheritall.hub.radios.znp.sim;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LatencyTest {

    @Test
    void defaultModelStaysInItsRangesAndRepeatsPerSeed() {
        Random a = new Random(9);
        Random b = new Random(9);
        for (int i = 0; i < 1000; i++) {
            long c1 = LatencyModel.DEFAULT.confirmMs(a, 1);
            assertEquals(c1, LatencyModel.DEFAULT.confirmMs(b, 1));
            assertTrue(c1 >= 15 && c1 <= 40, "1 hop confirm " + c1);
            long r1 = LatencyModel.DEFAULT.replyMs(a, 1);
            assertEquals(r1, LatencyModel.DEFAULT.replyMs(b, 1));
            assertTrue(r1 >= 30 && r1 <= 80, "1 hop reply " + r1);
            long c3 = LatencyModel.DEFAULT.confirmMs(a, 3);
            assertEquals(c3, LatencyModel.DEFAULT.confirmMs(b, 3));
            assertTrue(c3 >= 15 + 20 && c3 <= 40 + 60, "3 hop confirm " + c3);
        }
        assertThrows(IllegalArgumentException.class, () -> new LatencyModel(10, 5, 0, 0, 0, 0));
    }

    @Test
    void confirmsAndRepliesArriveWhenTheModelSays() throws Exception {
        ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(42).baud(0)
                .latency(new LatencyModel(20, 20, 50, 50, 10, 10)).build();
        try (SimFixture fx = new SimFixture(cfg)) {
            fx.form();
            fx.joinAll();
            fx.host.collect(f -> true, 50);
            DeviceView near = fx.first(DeviceKind.COLOUR_BULB); // first router: one hop
            DeviceView far = fx.first(DeviceKind.HUE_COLOUR_BULB); // every third router: two hops
            fx.af(near.nwk(), 0x0006, new byte[] {0x01, 1, 0x01}, 1);
            fx.af(far.nwk(), 0x0006, new byte[] {0x01, 2, 0x01}, 2);
            fx.advance(19);
            assertNull(fx.host.poll(f -> f.cmd0() == 0x44 && f.command() == 0x80, 100));
            fx.advance(1);
            assertEquals(0, fx.confirm(1).u8(0), "one hop: 20 ms");
            fx.advance(9);
            assertNull(fx.host.poll(f -> f.cmd0() == 0x44 && f.command() == 0x80, 100));
            fx.advance(1);
            assertEquals(0, fx.confirm(2).u8(0), "two hops: 20 + 10 ms");
            fx.advance(19);
            assertNull(fx.host.poll(f -> f.cmd0() == 0x44 && f.command() == 0x81 && f.u16(4) == near.nwk(), 100));
            fx.advance(1);
            fx.incoming(near.nwk(), 0x0006, 0x0B); // reply at 50 ms
            fx.advance(20);
            fx.incoming(far.nwk(), 0x0006, 0x0B); // 50 + 2 × 10 ms
        }
    }
}
