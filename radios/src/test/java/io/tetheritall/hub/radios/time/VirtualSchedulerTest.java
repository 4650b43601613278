package io.tetheritall.hub.radios.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one virtual-time scheduler shared by the radio scheduler and the ZNP simulator. */
class VirtualSchedulerTest {

    @Test
    void aTaskSubmittedFromATaskRunsAfterItNotNested() {
        VirtualScheduler vs = new VirtualScheduler(new ManualClock(0));
        List<String> log = new ArrayList<>();
        vs.execute(() -> {
            log.add("a-start");
            vs.execute(() -> log.add("b"));
            log.add("a-end");
        });
        assertEquals(List.of("a-start", "a-end", "b"), log);
        assertEquals(2, vs.executedTasks());
    }

    @Test
    void sameInstantTimersRunInSchedulingOrderWithTheClockAtTheirDueTime() {
        ManualClock clock = new ManualClock(0);
        VirtualScheduler vs = new VirtualScheduler(clock);
        List<String> log = new ArrayList<>();
        vs.schedule(() -> log.add("x@" + clock.nanos()), 5);
        vs.schedule(Duration.ofNanos(5), () -> log.add("y@" + clock.nanos()));
        vs.schedule(() -> log.add("w@" + clock.nanos()), 2);
        assertEquals(2, vs.nextDueNanos());
        assertFalse(vs.runOneDue(), "nothing is due at 0");
        assertEquals(List.of(), log);
        vs.advance(Duration.ofNanos(10));
        assertEquals(List.of("w@2", "x@5", "y@5"), log);
        assertEquals(10, clock.nanos());
    }

    @Test
    void runOneDueRunsOnlyTheEarliestDueTimerAndNeverMovesTheClock() {
        ManualClock clock = new ManualClock(0);
        VirtualScheduler vs = new VirtualScheduler(clock);
        List<String> log = new ArrayList<>();
        vs.schedule(() -> log.add("a"), 0);
        vs.schedule(() -> log.add("b"), 0);
        vs.schedule(() -> log.add("later"), 1);
        assertTrue(vs.runOneDue());
        assertEquals(List.of("a"), log);
        assertTrue(vs.runOneDue());
        assertFalse(vs.runOneDue());
        assertEquals(List.of("a", "b"), log);
        assertEquals(0, clock.nanos());
        assertEquals(1, vs.pendingTimers());
    }

    @Test
    void aFailingTaskIsDroppedAndTheOthersStillRun() {
        VirtualScheduler vs = new VirtualScheduler(new ManualClock(0));
        List<String> log = new ArrayList<>();
        vs.schedule(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        }, 1);
        vs.schedule(() -> log.add("after"), 1);
        vs.advance(Duration.ofNanos(1));
        assertEquals(List.of("after"), log);
    }

    @Test
    void closeDropsPendingTimersAndLaterSubmissions() {
        VirtualScheduler vs = new VirtualScheduler(new ManualClock(0));
        List<String> log = new ArrayList<>();
        vs.schedule(() -> log.add("pending"), 1);
        vs.close();
        vs.schedule(() -> log.add("after close"), 1).cancel();
        vs.execute(() -> log.add("execute after close"));
        vs.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), log);
        assertEquals(Long.MAX_VALUE, vs.nextDueNanos());
    }

    @Test
    void timersMayBeScheduledFromAnotherThread() throws Exception {
        ManualClock clock = new ManualClock(0);
        VirtualScheduler vs = new VirtualScheduler(clock);
        List<String> log = new ArrayList<>();
        CountDownLatch scheduled = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            vs.schedule(() -> log.add("from " + Thread.currentThread().getName()), 3);
            scheduled.countDown();
        }, "link-reader");
        t.start();
        assertTrue(scheduled.await(10, TimeUnit.SECONDS));
        t.join();
        vs.advance(Duration.ofNanos(3));
        assertEquals(List.of("from " + Thread.currentThread().getName()), log, "runs on the thread that advances");
    }
}
