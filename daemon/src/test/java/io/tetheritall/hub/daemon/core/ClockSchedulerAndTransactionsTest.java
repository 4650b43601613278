package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclHeader;
import io.tetheritall.hub.radios.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ClockSchedulerAndTransactionsTest {
    final ManualClock clock = new ManualClock();

    @Test
    void timersRunInDueOrderOnlyWhenTheClockPasses() {
        ClockScheduler s = new ClockScheduler(clock);
        List<String> ran = new ArrayList<>();
        s.schedule(Duration.ofSeconds(2), () -> ran.add("b"));
        s.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
        ClockScheduler.Timer c = s.schedule(Duration.ofSeconds(1), () -> ran.add("c"));
        c.cancel();
        s.schedule(Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("a failing task does not stop the others");
        });
        assertEquals(0, s.runDue());
        clock.advance(Duration.ofSeconds(1));
        s.runDue();
        assertEquals(List.of("a"), ran);
        clock.advance(Duration.ofSeconds(5));
        s.runDue();
        assertEquals(List.of("a", "b"), ran);
        assertEquals(0, s.pending());
    }

    @Test
    void pendingTableMatchesByTsnConfirmsByStateAndExpires() {
        ZclTransactions t = new ZclTransactions(clock);
        var a = t.register(0x10, 6, 5, Duration.ofSeconds(10), "a", Map.of());
        var b = t.register(0x10, 8, 5, Duration.ofSeconds(10), "b", Map.of("brightness", 10L));
        var c = t.register(0x11, 6, 6, Duration.ofSeconds(1), "c", Map.of());
        ZclFrame rsp = new ZclFrame(new ZclHeader(false, -1, true, true, 5, 0x0b), new byte[]{1, 0});
        assertFalse(t.answer(0x10, 6, new ZclFrame(new ZclHeader(false, -1, true, true, 9, 0x0b), new byte[]{1, 0})));
        assertTrue(t.answer(0x10, 6, rsp));
        assertSame(rsp, a.future().join());
        assertEquals(0, t.confirmByState(0x10, m -> false));
        assertEquals(1, t.confirmByState(0x10, m -> m.get("brightness").equals(10L)));
        assertTrue(b.future().isDone());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, t.expire());
        assertTrue(c.future().isCompletedExceptionally());
        assertEquals(0, t.size());
        assertEquals(256, java.util.stream.IntStream.range(0, 256).map(i -> t.nextTsn()).distinct().count());
    }
}
