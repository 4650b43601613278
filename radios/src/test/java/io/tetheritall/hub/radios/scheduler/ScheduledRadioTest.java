package io.tetheritall.hub.radios.scheduler;

import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.testing.FakeCoordinator;
import io.tetheritall.hub.radios.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler against a fake coordinator that models the simulator's limits, on virtual time. */
class ScheduledRadioTest {
    private final VirtualScheduler vs = new VirtualScheduler();
    private final FakeCoordinator fake = new FakeCoordinator("zigbee0", vs);

    private ScheduledRadio radio(SchedulerConfig cfg) {
        return new ScheduledRadio(fake, cfg, vs);
    }

    private static byte[] payload(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    private static int idOf(byte[] p) {
        return ByteBuffer.wrap(p).getInt();
    }

    private static RadioError errorOf(CompletableFuture<?> f) {
        assertTrue(f.isDone(), "future must be answered");
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            RadioException re = RadioException.find(e);
            assertNotNull(re, "failure must be a RadioException: " + e);
            return re.error();
        }
    }

    private static SendOptions opts(Priority p, Duration deadline) {
        return new SendOptions(p, null, null, deadline);
    }

    @Test
    void thousandCommandsToHundredDevicesAreAllAnsweredNoneLostNoCongestionSurfaced() {
        // A queue bound below the offered load, so that both outcomes (delivered, BUSY) occur.
        ScheduledRadio r = radio(SchedulerConfig.builder().queues(16, 600).build());
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int dev = 0x1000 + (i % 100);
            fs.add(r.send(OutgoingMessage.unicast(dev, 1, 6, payload(i)), opts(Priority.INTERACTIVE, Duration.ofSeconds(60))));
        }
        vs.advanceUntilIdle(Duration.ofMinutes(5));

        Map<RadioError, Integer> outcomes = new HashMap<>();
        Set<Integer> okIds = new HashSet<>();
        for (int i = 0; i < fs.size(); i++) {
            RadioError e = errorOf(fs.get(i));
            outcomes.merge(e == null ? RadioError.REJECTED /* placeholder for ok */ : e, 1, Integer::sum);
            if (e == null) {
                okIds.add(i);
            } else {
                assertEquals(RadioError.BUSY, e, "only BUSY may be refused, got " + e);
                long after = RadioException.find(catchIt(fs.get(i))).retryAfterMillis();
                assertTrue(after > 0, "BUSY must say when to retry");
            }
        }
        int busy = outcomes.getOrDefault(RadioError.BUSY, 0);
        // 600 queued plus the first window that went straight out; the rest refused at once.
        assertTrue(okIds.size() >= 600 && okIds.size() <= 600 + 16, "delivered: " + outcomes);
        assertEquals(1000, okIds.size() + busy);
        // None lost, none duplicated: the radio confirmed exactly the ones we report delivered.
        Set<Integer> seen = new HashSet<>();
        for (FakeCoordinator.Delivery d : fake.deliveries) {
            assertTrue(seen.add(idOf(d.payload())), "delivered twice: " + idOf(d.payload()));
        }
        assertEquals(okIds, seen);
        assertTrue(fake.maxInFlight <= fake.afLimit, "fake in-flight " + fake.maxInFlight);
        // The initial window of 16 (Z-Stack 3.x) is learnt down to the fake's 12 with a handful of refusals,
        // each absorbed by a retry.
        assertTrue(fake.refusedBufferFull <= 8, "refusals " + fake.refusedBufferFull);
        SchedulerStats s = r.stats();
        assertEquals(0, s.queued());
        assertEquals(0, s.inFlight());
        assertEquals(okIds.size(), s.delivered());
        assertEquals(busy, s.rateLimitHits());
        assertTrue(s.window() <= 13 && s.window() >= 10, "window " + s.window());
    }

    private static Throwable catchIt(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void thousandCommandsWithRoomyQueuesAreAllDelivered() {
        ScheduledRadio r = radio(SchedulerConfig.builder().queues(16, 2000).unicast(400, 40).build());
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            fs.add(r.send(OutgoingMessage.unicast(0x2000 + i % 100, 1, 6, payload(i)), opts(Priority.INTERACTIVE, Duration.ofSeconds(30))));
        }
        vs.advanceUntilIdle(Duration.ofMinutes(5));
        for (CompletableFuture<Void> f : fs) {
            assertNull(errorOf(f));
        }
        assertEquals(1000, fake.deliveries.size());
        assertTrue(fake.maxInFlight <= 12);
        assertTrue(r.stats().congestionEvents() > 0, "the 16-window must have met the fake's 12 limit");
    }

    @Test
    void fiftyGroupCommandsInABurstStayInsideTheBroadcastTable() {
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(r.send(OutgoingMessage.group(1 + i % 5, 6, payload(i)), opts(Priority.INTERACTIVE, Duration.ofMinutes(3))));
        }
        vs.advanceUntilIdle(Duration.ofMinutes(5));
        for (CompletableFuture<Void> f : fs) {
            assertNull(errorOf(f));
        }
        assertEquals(0, fake.refusedBroadcast, "the simulator never refuses a broadcast");
        assertTrue(fake.maxTableUsed <= 8, "table used " + fake.maxTableUsed);
        // Independently of the fake's table: never more than 8 accepted in any 9 s.
        List<Long> t = fake.deliveries.stream().map(FakeCoordinator.Delivery::acceptedAt).sorted().toList();
        assertEquals(50, t.size());
        for (int i = 8; i < t.size(); i++) {
            assertTrue(t.get(i) - t.get(i - 8) >= Duration.ofSeconds(9).toNanos(), "9 broadcasts within 9 s at " + i);
        }
    }

    /** Completion time of every request to healthy devices, with or without one dead device among them. */
    private Map<Integer, Long> healthyCompletion(boolean withDeadDevice) {
        VirtualScheduler v = new VirtualScheduler();
        FakeCoordinator f = new FakeCoordinator("z", v);
        if (withDeadDevice) {
            f.unreachable.add(0x3000);
        }
        ScheduledRadio r = new ScheduledRadio(f, SchedulerConfig.defaults(), v);
        long t0 = v.clock().nanos();
        Map<Integer, Long> done = new HashMap<>();
        int n = 0;
        for (int round = 0; round < 5; round++) {
            for (int d = 0; d < 20; d++) {
                int id = n++;
                CompletableFuture<Void> fut = r.send(OutgoingMessage.unicast(0x3000 + d, 1, 6, payload(id)),
                        opts(Priority.INTERACTIVE, Duration.ofSeconds(30)));
                if (d != 0) {
                    fut.whenComplete((x, e) -> {
                        assertNull(e);
                        done.put(id, v.clock().nanos() - t0);
                    });
                }
            }
        }
        v.advanceUntilIdle(Duration.ofMinutes(2));
        if (withDeadDevice) {
            assertTrue(r.stats().unreachableFastFails() > 0, "queued requests to the dead device fail fast");
        }
        return done;
    }

    @Test
    void anUnreachableDeviceDoesNotDelayOthers() {
        Map<Integer, Long> base = healthyCompletion(false);
        Map<Integer, Long> dead = healthyCompletion(true);
        assertEquals(95, base.size());
        assertEquals(95, dead.size());
        long baseMax = base.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long deadMax = dead.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        // The dead device holds one window slot for its no-ack delay (1 s): the others lose at most that
        // slot's share, not the second of stall a FIFO would add per dead request.
        assertTrue(deadMax <= baseMax * 1.25 + Duration.ofMillis(40).toNanos(),
                "healthy devices delayed: " + baseMax / 1e6 + " ms -> " + deadMax / 1e6 + " ms");
    }

    @Test
    void requestsToAKnownUnreachableDeviceFailFastUntilItSpeaks() {
        fake.unreachable.add(0x4000);
        ScheduledRadio r = radio(SchedulerConfig.builder().unreachable(2, Duration.ofSeconds(30)).build());
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Void> f = r.send(OutgoingMessage.unicast(0x4000, 1, 6, payload(i)));
            vs.advance(Duration.ofSeconds(2));
            assertEquals(RadioError.DEVICE_UNREACHABLE, errorOf(f));
        }
        int attempts = fake.attempts.get(0x4000);
        CompletableFuture<Void> fast = r.send(OutgoingMessage.unicast(0x4000, 1, 6, payload(9)));
        assertEquals(RadioError.DEVICE_UNREACHABLE, errorOf(fast), "answered at once, without the radio");
        assertTrue(RadioException.find(catchIt(fast)).retryAfterMillis() > 0);
        assertEquals(attempts, fake.attempts.get(0x4000));
        // The device talks again (a report arrives): it is reachable again.
        fake.unreachable.remove(0x4000);
        fake.deviceSpeaks(0x4000);
        CompletableFuture<Void> back = r.send(OutgoingMessage.unicast(0x4000, 1, 6, payload(10)));
        vs.advance(Duration.ofSeconds(1));
        assertNull(errorOf(back));
    }

    @Test
    void aProbeGoesThroughAfterTheProbeInterval() {
        fake.unreachable.add(0x4001);
        ScheduledRadio r = radio(SchedulerConfig.builder().unreachable(1, Duration.ofSeconds(10)).build());
        CompletableFuture<Void> f = r.send(OutgoingMessage.unicast(0x4001, 1, 6, payload(1)));
        vs.advance(Duration.ofSeconds(2));
        assertEquals(RadioError.DEVICE_UNREACHABLE, errorOf(f));
        fake.unreachable.remove(0x4001);
        vs.advance(Duration.ofSeconds(9));
        CompletableFuture<Void> probe = r.send(OutgoingMessage.unicast(0x4001, 1, 6, payload(2)));
        vs.advance(Duration.ofSeconds(1));
        assertNull(errorOf(probe), "after the interval one request probes the device");
    }

    @Test
    void aSliderCoalescesToTheLastValue() {
        fake.latency.put(0x5000, Duration.ofMillis(200));
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        SendOptions slider = SendOptions.DEFAULT.withCoalesceKey("level");
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(r.send(OutgoingMessage.unicast(0x5000, 1, 8, payload(i)), slider));
            vs.advance(Duration.ofMillis(10));
        }
        vs.advanceUntilIdle(Duration.ofSeconds(5));
        assertNull(errorOf(fs.get(0)), "the first was already in flight");
        for (int i = 1; i < 9; i++) {
            assertEquals(RadioError.SUPERSEDED, errorOf(fs.get(i)));
        }
        assertNull(errorOf(fs.get(9)));
        assertEquals(List.of(0, 9), fake.deliveries.stream().map(d -> idOf(d.payload())).toList());
        assertEquals(8, r.stats().superseded());
    }

    @Test
    void differentCoalesceKeysAndDevicesDoNotReplaceEachOther() {
        fake.latency.put(0x5001, Duration.ofMillis(200));
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        r.send(OutgoingMessage.unicast(0x5001, 1, 8, payload(0)), SendOptions.DEFAULT.withCoalesceKey("level"));
        CompletableFuture<Void> a = r.send(OutgoingMessage.unicast(0x5001, 1, 8, payload(1)), SendOptions.DEFAULT.withCoalesceKey("level"));
        CompletableFuture<Void> b = r.send(OutgoingMessage.unicast(0x5001, 1, 8, payload(2)), SendOptions.DEFAULT.withCoalesceKey("color"));
        CompletableFuture<Void> c = r.send(OutgoingMessage.unicast(0x5001, 1, 8, payload(3)), SendOptions.DEFAULT);
        vs.advanceUntilIdle(Duration.ofSeconds(5));
        assertNull(errorOf(a));
        assertNull(errorOf(b));
        assertNull(errorOf(c));
        assertEquals(4, fake.deliveries.size());
    }

    @Test
    void interactiveBeforePollBeforeBackground() {
        // Window of one: the order of dispatch is the order of priorities.
        ScheduledRadio r = radio(SchedulerConfig.builder().window(1, 1, 1).build());
        Map<Integer, Priority> prio = new HashMap<>();
        int n = 0;
        for (Priority p : new Priority[] {Priority.BACKGROUND, Priority.POLL, Priority.INTERACTIVE}) {
            for (int d = 0; d < 5; d++) {
                int id = n++;
                prio.put(id, p);
                r.send(OutgoingMessage.unicast(0x6000 + d, 1, 6, payload(id)), opts(p, Duration.ofSeconds(30)));
            }
        }
        vs.advanceUntilIdle(Duration.ofSeconds(30));
        List<Priority> order = fake.deliveries.stream().map(d -> prio.get(idOf(d.payload()))).toList();
        assertEquals(15, order.size());
        // The first one (BACKGROUND) went out before the others were queued; after it, strictly by priority.
        assertEquals(Priority.BACKGROUND, order.get(0));
        List<Priority> rest = order.subList(1, 15);
        for (int i = 1; i < rest.size(); i++) {
            assertTrue(rest.get(i - 1).ordinal() <= rest.get(i).ordinal(), "out of order: " + order);
        }
    }

    @Test
    void roundRobinAcrossDevicesWithinAPriority() {
        ScheduledRadio r = radio(SchedulerConfig.builder().window(1, 1, 1).build());
        r.send(OutgoingMessage.unicast(0x60FF, 1, 6, payload(1)));
        for (int i = 0; i < 3; i++) {
            r.send(OutgoingMessage.unicast(0x6100, 1, 6, payload(100 + i)));
        }
        for (int i = 0; i < 3; i++) {
            r.send(OutgoingMessage.unicast(0x6101, 1, 6, payload(200 + i)));
        }
        vs.advanceUntilIdle(Duration.ofSeconds(10));
        List<Integer> addr = fake.deliveries.stream().map(FakeCoordinator.Delivery::address).toList();
        assertEquals(List.of(0x60FF, 0x6100, 0x6101, 0x6100, 0x6101, 0x6100, 0x6101), addr);
    }

    @Test
    void retriesStopAtTheDeadline() {
        fake.alwaysCongested.add(0x7000);
        ScheduledRadio r = radio(SchedulerConfig.builder().retry(Duration.ofMillis(100), Duration.ofMillis(400), 100).build());
        long t0 = vs.clock().nanos();
        long[] answeredAt = new long[1];
        CompletableFuture<Void> f = r.send(OutgoingMessage.unicast(0x7000, 1, 6, payload(1)), opts(Priority.INTERACTIVE, Duration.ofSeconds(2)));
        f.whenComplete((v, e) -> answeredAt[0] = vs.clock().nanos());
        vs.advanceUntilIdle(Duration.ofSeconds(30));
        assertEquals(RadioError.DEADLINE_EXCEEDED, errorOf(f));
        RadioException re = RadioException.find(catchIt(f));
        assertEquals(RadioError.CONGESTED, RadioException.find(re.getCause()).error(), "the last radio status is the cause");
        assertTrue(answeredAt[0] - t0 <= Duration.ofSeconds(2).toNanos(), "answered by the deadline");
        int attempts = fake.attempts.get(0x7000);
        // 100, 200, 400, 400, 400 ms backoffs fit in 2 s: 5..7 attempts, then the deadline.
        assertTrue(attempts >= 4 && attempts <= 8, "attempts " + attempts);
        assertEquals(attempts - 1, r.stats().retries());
    }

    @Test
    void retriesStopAtMaxAttemptsWithBusy() {
        fake.alwaysCongested.add(0x7001);
        ScheduledRadio r = radio(SchedulerConfig.builder().retry(Duration.ofMillis(10), Duration.ofMillis(20), 3).build());
        CompletableFuture<Void> f = r.send(OutgoingMessage.unicast(0x7001, 1, 6, payload(1)));
        vs.advanceUntilIdle(Duration.ofSeconds(30));
        assertEquals(RadioError.BUSY, errorOf(f), "a congestion status never reaches the caller raw");
        assertEquals(3, fake.attempts.get(0x7001));
    }

    @Test
    void transientMacStatusesAreRetriedWithoutShrinkingTheWindow() {
        java.util.ArrayDeque<RadioException> script = new java.util.ArrayDeque<>();
        script.add(new RadioException(RadioError.DEVICE_UNREACHABLE, 0xE1, 0, "MAC_CHANNEL_ACCESS_FAILURE", null));
        script.add(new RadioException(RadioError.REJECTED, 0xC7, 0, "NWK_TABLE_FULL", null));
        fake.failNext.put(0x7200, script);
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        int window = r.stats().window();
        CompletableFuture<Void> f = r.send(OutgoingMessage.unicast(0x7200, 1, 6, payload(1)));
        vs.advanceUntilIdle(Duration.ofSeconds(10));
        assertNull(errorOf(f));
        assertEquals(3, fake.attempts.get(0x7200));
        assertEquals(2, r.stats().retries());
        assertEquals(window, r.stats().window(), "only buffer shortages shrink the window");
        assertEquals(0, r.stats().congestionEvents());
    }

    @Test
    void oneTimeoutDuringTheHalfOpenTrialReopens() {
        ScheduledRadio r = radio(SchedulerConfig.builder().breaker(2, Duration.ofSeconds(10), 3).build());
        fake.hang();
        r.send(OutgoingMessage.unicast(0x7300, 1, 6, payload(1)));
        r.send(OutgoingMessage.unicast(0x7301, 1, 6, payload(2)));
        vs.advance(Duration.ofSeconds(7));
        assertEquals("OPEN", r.stats().breakerState());
        vs.advance(Duration.ofSeconds(11));
        // Three trial calls: the first times out, the radio is still sick.
        CompletableFuture<Void> t1 = r.send(OutgoingMessage.unicast(0x7302, 1, 6, payload(3)));
        assertEquals("HALF_OPEN", r.stats().breakerState());
        vs.advance(Duration.ofSeconds(7));
        assertEquals(RadioError.TIMEOUT, errorOf(t1));
        assertEquals("OPEN", r.stats().breakerState());
    }

    @Test
    void noRetryOnADefiniteAnswer() {
        fake.rejecting.add(0x7100);
        fake.unreachable.add(0x7101);
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        CompletableFuture<Void> rej = r.send(OutgoingMessage.unicast(0x7100, 1, 6, payload(1)));
        CompletableFuture<Void> dead = r.send(OutgoingMessage.unicast(0x7101, 1, 6, payload(2)));
        vs.advanceUntilIdle(Duration.ofSeconds(30));
        assertEquals(RadioError.REJECTED, errorOf(rej));
        assertEquals(0x02, RadioException.find(catchIt(rej)).status());
        assertEquals(RadioError.DEVICE_UNREACHABLE, errorOf(dead));
        assertEquals(1, fake.attempts.get(0x7100));
        assertEquals(1, fake.attempts.get(0x7101));
        assertEquals(0, r.stats().retries());
    }

    @Test
    void perClientBucketsLimitEachClientSeparately() {
        ScheduledRadio r = radio(SchedulerConfig.builder().perClient(1.0, 3, 100).build());
        SendOptions a = SendOptions.DEFAULT.withClient("mqtt-a");
        SendOptions b = SendOptions.DEFAULT.withClient("coap-[::1]:5683");
        List<CompletableFuture<Void>> fa = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fa.add(r.send(OutgoingMessage.unicast(0x8000 + i, 1, 6, payload(i)), a));
        }
        CompletableFuture<Void> fb = r.send(OutgoingMessage.unicast(0x8100, 1, 6, payload(50)), b);
        vs.advanceUntilIdle(Duration.ofSeconds(1));
        assertNull(errorOf(fa.get(0)));
        assertNull(errorOf(fa.get(2)));
        assertEquals(RadioError.BUSY, errorOf(fa.get(3)));
        long after = RadioException.find(catchIt(fa.get(4))).retryAfterMillis();
        assertTrue(after > 0 && after <= 1000, "retry after " + after);
        assertNull(errorOf(fb), "another client is not limited by the first");
        vs.advance(Duration.ofSeconds(1));
        CompletableFuture<Void> again = r.send(OutgoingMessage.unicast(0x8000, 1, 6, payload(99)), a);
        vs.advanceUntilIdle(Duration.ofSeconds(1));
        assertNull(errorOf(again), "the bucket refills");
        assertEquals(2, r.stats().rateLimitHits());
    }

    @Test
    void fullDeviceQueueAnswersBusyWithRetryAfter() {
        fake.latency.put(0x8200, Duration.ofSeconds(1));
        ScheduledRadio r = radio(SchedulerConfig.builder().queues(2, 100).build());
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fs.add(r.send(OutgoingMessage.unicast(0x8200, 1, 6, payload(i))));
        }
        // One in flight, two queued, two refused at once (no time has passed).
        assertEquals(RadioError.BUSY, errorOf(fs.get(3)));
        assertEquals(RadioError.BUSY, errorOf(fs.get(4)));
        assertTrue(RadioException.find(catchIt(fs.get(4))).retryAfterMillis() > 0);
        assertFalse(fs.get(2).isDone());
        vs.advanceUntilIdle(Duration.ofSeconds(10));
        assertNull(errorOf(fs.get(2)));
    }

    @Test
    void aFullQueueMakesRoomForHigherPriority() {
        fake.latency.put(0x8210, Duration.ofSeconds(1));
        ScheduledRadio r = radio(SchedulerConfig.builder().queues(3, 5).window(1, 1, 1).build());
        r.send(OutgoingMessage.unicast(0x8210, 1, 6, payload(0)), opts(Priority.BACKGROUND, Duration.ofSeconds(30)));
        List<CompletableFuture<Void>> bg = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            bg.add(r.send(OutgoingMessage.unicast(0x8210, 1, 6, payload(i)), opts(Priority.BACKGROUND, Duration.ofSeconds(30))));
        }
        CompletableFuture<Void> urgent = r.send(OutgoingMessage.unicast(0x8210, 1, 6, payload(10)));
        assertEquals(RadioError.BUSY, errorOf(bg.get(2)), "the newest background request made room");
        assertFalse(urgent.isDone());
        // Radio-wide bound (5): background work elsewhere yields to a poll too.
        for (int i = 0; i < 2; i++) {
            r.send(OutgoingMessage.unicast(0x8220 + i, 1, 6, payload(20 + i)), opts(Priority.BACKGROUND, Duration.ofSeconds(30)));
        }
        CompletableFuture<Void> poll = r.send(OutgoingMessage.unicast(0x8230, 1, 6, payload(30)), opts(Priority.POLL, Duration.ofSeconds(30)));
        CompletableFuture<Void> anotherBg = r.send(OutgoingMessage.unicast(0x8240, 1, 6, payload(40)), opts(Priority.BACKGROUND, Duration.ofSeconds(30)));
        assertEquals(RadioError.BUSY, errorOf(anotherBg), "equal priority does not displace");
        assertEquals(RadioError.BUSY, errorOf(bg.get(1)), "the poll displaced queued background work");
        vs.advanceUntilIdle(Duration.ofSeconds(30));
        assertNull(errorOf(urgent));
        assertNull(errorOf(poll));
        List<Integer> ids = fake.deliveries.stream().map(d -> idOf(d.payload())).toList();
        assertTrue(ids.indexOf(10) < ids.indexOf(1), "the interactive one overtook the queued background work: " + ids);
    }

    @Test
    void queuedRequestsPastTheirDeadlineAreAnswered() {
        fake.latency.put(0x8300, Duration.ofSeconds(5));
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        CompletableFuture<Void> first = r.send(OutgoingMessage.unicast(0x8300, 1, 6, payload(1)));
        CompletableFuture<Void> waiting = r.send(OutgoingMessage.unicast(0x8300, 1, 6, payload(2)), opts(Priority.INTERACTIVE, Duration.ofSeconds(1)));
        vs.advance(Duration.ofMillis(1001));
        assertEquals(RadioError.DEADLINE_EXCEEDED, errorOf(waiting), "answered at its deadline, not when the lane frees");
        vs.advanceUntilIdle(Duration.ofSeconds(10));
        assertNull(errorOf(first));
        assertEquals(1, fake.deliveries.size());
    }

    @Test
    void zdoRequestsGoThroughTheDeviceQueue() {
        fake.latency.put(0x8400, Duration.ofMillis(500));
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        CompletableFuture<Void> cmd = r.send(OutgoingMessage.unicast(0x8400, 1, 6, payload(1)));
        var nd = r.nodeDescriptor(0x8400);
        vs.advance(Duration.ofMillis(600));
        assertTrue(cmd.isDone());
        assertFalse(nd.isDone(), "one request per device at a time");
        vs.advance(Duration.ofMillis(600));
        assertEquals(0x8400, nd.join().nwk());
    }

    @Test
    void brokenConfigFallsBackToDefaults() {
        SchedulerConfig broken = SchedulerConfig.builder().unicast(0, 0).window(0, 5, 2).queues(4, -1)
                .broadcast(Double.NaN, 8, 8, Duration.ZERO).build();
        List<String> problems = broken.problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("unicastRate=")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("unicastBurst=")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("windowMax=")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("queueTotal=")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("broadcastRate=")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("broadcastWindow=")), problems.toString());
        SchedulerConfig fixed = broken.sanitized();
        assertTrue(fixed.problems().isEmpty(), fixed.problems().toString());
        assertEquals(SchedulerConfig.defaults().unicastRate(), fixed.unicastRate());
        assertEquals(4, fixed.queuePerDevice(), "sound values are kept");
        assertTrue(fixed.windowMax() >= fixed.windowMin());

        ScheduledRadio r = radio(broken);
        assertEquals(problems, r.configProblems());
        CompletableFuture<Void> f = r.send(OutgoingMessage.unicast(0x9000, 1, 6, payload(1)));
        vs.advanceUntilIdle(Duration.ofSeconds(5));
        assertNull(errorOf(f), "the radio still works on the defaults");
        assertTrue(SchedulerConfig.defaults().problems().isEmpty());
    }

    @Test
    void settingsThatDoNotParseKeepTheirDefaults() {
        List<String> warnings = new ArrayList<>();
        SchedulerConfig c = SchedulerConfig.fromMap(Map.of("CIRCUIT_BREAKER_FAILURE_THRESHOLD", "five",
                "CIRCUIT_BREAKER_RECOVERY_TIMEOUT", "30", "RATE_LIMIT_PER_SECOND", "2.5", "RADIO_WINDOW_MAX", ""), warnings);
        assertEquals(2, warnings.size(), warnings.toString());
        assertEquals(5, c.breakerFailureThreshold());
        assertEquals(Duration.ofSeconds(30), c.breakerRecoveryTimeout());
        assertEquals(2.5, c.clientRate());
        assertEquals(16, c.windowMax());
    }

    @Test
    void windowComesFromTheFirmware() {
        assertEquals(16, SchedulerConfig.windowForFirmware("Z-Stack 3.x.0 20230507"));
        assertEquals(16, SchedulerConfig.windowForFirmware("zstack 3.30"));
        assertEquals(2, SchedulerConfig.windowForFirmware("Z-Stack Home 1.2"));
        assertEquals(2, SchedulerConfig.windowForFirmware(null));
        fake.firmware = "Z-Stack Home 1.2 20190608";
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        assertEquals(2, r.stats().window());
        fake.firmware = "Z-Stack 3.x.0 20230507";
        r.start();
        vs.advance(Duration.ofMillis(50));
        assertEquals(16, r.stats().window());
    }

    @Test
    void aRadioThatRestoresItselfClosesTheBreakerWithoutWaitingOutTheOpenState() {
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        fake.unplug();
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fs.add(r.send(OutgoingMessage.unicast(0xC000 + i, 1, 6, payload(i))));
        }
        vs.advance(Duration.ofSeconds(1));
        assertEquals("OPEN", r.stats().breakerState(), "link loss is a radio-level failure");
        fake.replugAndRestore(); // no recovery supervisor: the coordinator came back by itself
        vs.advance(Duration.ofMillis(1));
        assertEquals("CLOSED", r.stats().breakerState(), "closed at once, not after the 60 s open state");
        CompletableFuture<Void> after = r.send(OutgoingMessage.unicast(0xC100, 1, 6, payload(9)));
        vs.advance(Duration.ofSeconds(1));
        assertNull(errorOf(after));
    }

    @Test
    void breakerOpensAfterThresholdTimeoutsButNotAfterNoAcks() {
        List<String> states = new ArrayList<>();
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        r.addListener(new RadioListener() {
            @Override
            public void stateChanged(RadioState state, String reason) {
                states.add(state.name());
            }
        });
        for (int d = 0; d < 10; d++) {
            fake.unreachable.add(0xA000 + d);
            r.send(OutgoingMessage.unicast(0xA000 + d, 1, 6, payload(d)));
        }
        vs.advanceUntilIdle(Duration.ofSeconds(30));
        assertEquals("CLOSED", r.stats().breakerState(), "a device's no-ack is not a radio failure");

        fake.hang();
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(r.send(OutgoingMessage.unicast(0xB000 + i, 1, 6, payload(i))));
        }
        vs.advance(Duration.ofSeconds(7));
        assertEquals("CLOSED", r.stats().breakerState(), "4 timeouts are below the threshold of 5");
        CompletableFuture<Void> fifth = r.send(OutgoingMessage.unicast(0xB010, 1, 6, payload(5)));
        CompletableFuture<Void> queued = r.send(OutgoingMessage.unicast(0xB010, 1, 6, payload(6)));
        vs.advance(Duration.ofSeconds(7));
        assertEquals(RadioError.TIMEOUT, errorOf(fifth));
        assertEquals("OPEN", r.stats().breakerState());
        assertEquals(RadioState.DOWN, r.state());
        assertEquals(List.of("DOWN"), states);
        assertEquals(RadioError.CIRCUIT_OPEN, errorOf(queued), "queued requests fail fast when the breaker opens");
        int attemptsBefore = fake.timeouts;
        CompletableFuture<Void> rejected = r.send(OutgoingMessage.unicast(0xB020, 1, 6, payload(7)));
        assertEquals(RadioError.CIRCUIT_OPEN, errorOf(rejected));
        long after = RadioException.find(catchIt(rejected)).retryAfterMillis();
        assertTrue(after > 50_000 && after <= 60_000, "retry after " + after);
        assertEquals(attemptsBefore, fake.timeouts, "nothing reaches the radio while open");

        // The radio comes back by itself; after the recovery timeout the half-open trials close the breaker.
        fake.hardReset();
        vs.advance(Duration.ofSeconds(61));
        CompletableFuture<Void> trial = r.send(OutgoingMessage.unicast(0xB030, 1, 6, payload(8)));
        vs.advanceUntilIdle(Duration.ofSeconds(5));
        assertNull(errorOf(trial));
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Void> t = r.send(OutgoingMessage.unicast(0xB031 + i, 1, 6, payload(9 + i)));
            vs.advanceUntilIdle(Duration.ofSeconds(5));
            assertNull(errorOf(t));
        }
        assertEquals("CLOSED", r.stats().breakerState());
        assertEquals(List.of("DOWN", "UP"), states);
        assertEquals(3, r.stats().breakerTransitions(), "closed->open->half-open->closed");
    }

    @Test
    void linkLossCountsAgainstTheBreaker() {
        ScheduledRadio r = radio(SchedulerConfig.builder().breaker(3, Duration.ofSeconds(10), 1).build());
        fake.unplug();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Void> f = r.send(OutgoingMessage.unicast(0xC000, 1, 6, payload(i)));
            vs.advanceUntilIdle(Duration.ofSeconds(1));
            assertEquals(RadioError.RADIO_UNAVAILABLE, errorOf(f));
        }
        assertEquals("OPEN", r.stats().breakerState());
    }

    @Test
    void statsReportDepthsPerPriority() {
        fake.latency.put(0xD000, Duration.ofSeconds(1));
        ScheduledRadio r = radio(SchedulerConfig.defaults());
        r.send(OutgoingMessage.unicast(0xD000, 1, 6, payload(0)));
        r.send(OutgoingMessage.unicast(0xD000, 1, 6, payload(1)), opts(Priority.INTERACTIVE, Duration.ofSeconds(9)));
        r.send(OutgoingMessage.unicast(0xD000, 1, 6, payload(2)), opts(Priority.POLL, Duration.ofSeconds(9)));
        r.send(OutgoingMessage.unicast(0xD000, 1, 6, payload(3)), opts(Priority.BACKGROUND, Duration.ofSeconds(9)));
        r.send(OutgoingMessage.group(5, 6, payload(4)));
        SchedulerStats s = r.stats();
        assertEquals(1, s.queuedInteractive());
        assertEquals(1, s.queuedPoll());
        assertEquals(1, s.queuedBackground());
        assertEquals(3, s.queued());
        assertEquals(2, s.inFlight());
        assertEquals(7.0, Math.floor(s.broadcastTokens()));
        assertEquals(1, s.broadcastsInWindow());
        assertEquals("zigbee0", s.radioId());
        vs.advanceUntilIdle(Duration.ofSeconds(10));
        assertEquals(5, r.stats().delivered());
    }

}
