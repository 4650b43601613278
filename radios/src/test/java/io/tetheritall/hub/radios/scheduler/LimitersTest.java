package io.tetheritall.hub.radios.scheduler;

import io.tetheritall.hub.radios.time.ManualClock;
import io.tetheritall.hub.radios.time.TaskScheduler;
import io.tetheritall.hub.radios.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token bucket, broadcast window and the virtual scheduler on a manual clock. */
class LimitersTest {

    @Test
    void bucketGivesBurstThenRefillsAtRate() {
        ManualClock c = new ManualClock();
        TokenBucket b = new TokenBucket(c, 1 / 1.1, 8);
        for (int i = 0; i < 8; i++) {
            assertEquals(0, b.tryTake());
        }
        long wait = b.tryTake();
        assertEquals(Duration.ofMillis(1100).toNanos(), wait, 2);
        c.advance(Duration.ofMillis(1099));
        assertTrue(b.tryTake() > 0);
        c.advance(Duration.ofMillis(2));
        assertEquals(0, b.tryTake());
        c.advance(Duration.ofHours(1));
        assertEquals(8.0, b.available(), 1e-9, "never more than the burst");
        assertTrue(b.full());
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(c, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(c, 1, 0));
    }

    @Test
    void windowAllowsAtMostMaxInAnyWindow() {
        ManualClock c = new ManualClock();
        WindowLimiter w = new WindowLimiter(c, 8, Duration.ofSeconds(9).toNanos());
        for (int i = 0; i < 8; i++) {
            assertEquals(0, w.nanosUntilAvailable());
            w.record();
            c.advance(Duration.ofMillis(100));
        }
        long wait = w.nanosUntilAvailable();
        assertEquals(Duration.ofMillis(9000 - 800).toNanos(), wait);
        assertThrows(IllegalStateException.class, w::record);
        c.advance(Duration.ofNanos(wait));
        assertEquals(0, w.nanosUntilAvailable());
        assertEquals(7, w.inWindow());
    }

    @Test
    void virtualSchedulerFiresTimersInOrderAtTheirDueTime() {
        VirtualScheduler vs = new VirtualScheduler();
        long t0 = vs.clock().nanos();
        List<String> log = new ArrayList<>();
        vs.schedule(() -> log.add("b@" + (vs.clock().nanos() - t0) / 1_000_000), Duration.ofMillis(20).toNanos());
        vs.schedule(() -> log.add("a@" + (vs.clock().nanos() - t0) / 1_000_000), Duration.ofMillis(10).toNanos());
        TaskScheduler.Cancellable c = vs.schedule(() -> log.add("never"), Duration.ofMillis(15).toNanos());
        c.cancel();
        vs.execute(() -> {
            log.add("now");
            vs.execute(() -> log.add("after-now"));
            log.add("still-first");
        });
        assertEquals(List.of("now", "still-first", "after-now"), log, "trampolined, not nested");
        vs.advance(Duration.ofMillis(15));
        assertEquals(List.of("now", "still-first", "after-now", "a@10"), log);
        assertEquals(Duration.ofMillis(15).toNanos(), vs.clock().nanos() - t0);
        vs.advanceUntilIdle(Duration.ofSeconds(1));
        assertEquals("b@20", log.get(4));
        assertEquals(0, vs.pendingTimers());
    }

    @Test
    void aMissingConfirmDoesNotResetTheRunOfTimeoutsThatOpensTheBreaker() {
        io.tetheritall.hub.radios.time.ManualClock clock = new io.tetheritall.hub.radios.time.ManualClock();
        SchedulerConfig.Builder b = SchedulerConfig.builder();
        b.breakerFailureThreshold = 3;
        SchedulerConfig cfg = b.build();
        io.github.resilience4j.circuitbreaker.CircuitBreaker cb = RadioBreakers.create("r", cfg, clock);
        io.tetheritall.hub.radios.api.RadioException timeout = new io.tetheritall.hub.radios.api.RadioException(
                io.tetheritall.hub.radios.api.RadioError.TIMEOUT, "no SRSP");
        io.tetheritall.hub.radios.api.RadioException noConfirm = new io.tetheritall.hub.radios.api.RadioException(
                io.tetheritall.hub.radios.api.RadioError.DEVICE_UNREACHABLE, -1, 0, "no AF_DATA_CONFIRM", null);
        io.tetheritall.hub.radios.api.RadioException macNoAck = new io.tetheritall.hub.radios.api.RadioException(
                io.tetheritall.hub.radios.api.RadioError.DEVICE_UNREACHABLE, 0xE9, 0, "MAC_NO_ACK", null);
        cb.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, timeout);
        cb.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, noConfirm); // the stick accepted it, then hung
        cb.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, timeout);
        assertEquals(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED, cb.getState());
        cb.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, timeout);
        assertEquals(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN, cb.getState(),
                "three timeouts in a row, the silent no-confirm in between left out");

        io.github.resilience4j.circuitbreaker.CircuitBreaker cb2 = RadioBreakers.create("r2", cfg, clock);
        cb2.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, timeout);
        cb2.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, macNoAck); // a radio that says MAC_NO_ACK is alive
        cb2.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, timeout);
        cb2.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, timeout);
        assertEquals(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED, cb2.getState());
    }
}
