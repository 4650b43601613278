package io.tetheritall.hub.radios.scheduler;

import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.ZigbeeRadio;
import io.tetheritall.hub.radios.testing.FakeCoordinator;
import io.tetheritall.hub.radios.time.ExecutorTaskScheduler;
import io.tetheritall.hub.radios.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real executor path: callers on several threads, the radio on its own named thread. */
class ScheduledRadioThreadsTest {

    @Test
    void manyCallerThreadsOnTheRealExecutor() throws Exception {
        ExecutorTaskScheduler ex = new ExecutorTaskScheduler("radio-test");
        FakeCoordinator fake = new FakeCoordinator("zigbee-t", ex);
        fake.confirmLatency = Duration.ofMillis(1);
        fake.srspDelay = Duration.ofMillis(1);
        ScheduledRadio r = new ScheduledRadio(fake, SchedulerConfig.builder().unicast(100_000, 100).queues(16, 2000).build(), ex);
        List<CompletableFuture<Void>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 250;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    all.add(r.send(OutgoingMessage.unicast(0x100 + (base + i) % 100, 1, 6, new byte[] {(byte) i})));
                }
            }, "caller-" + t);
            callers.add(th);
            th.start();
        }
        for (Thread th : callers) {
            th.join();
        }
        int ok = 0;
        int busy = 0;
        for (CompletableFuture<Void> f : all) {
            try {
                f.get(30, TimeUnit.SECONDS);
                ok++;
            } catch (ExecutionException e) {
                RadioException re = RadioException.find(e);
                assertNotNull(re);
                assertEquals(RadioError.BUSY, re.error(), re.toString());
                busy++;
            }
        }
        assertEquals(1000, ok + busy);
        assertTrue(ok >= 1000 - 100, "ok " + ok);
        CompletableFuture<Integer> delivered = new CompletableFuture<>();
        ex.execute(() -> delivered.complete(fake.deliveries.size()));
        assertEquals(ok, delivered.get(5, TimeUnit.SECONDS));
        assertTrue(fake.maxInFlight <= fake.afLimit);
        r.close();
    }

    @Test
    void aRadioThatThrowsIsAnsweredNotCrashed() {
        VirtualScheduler vs = new VirtualScheduler();
        FakeCoordinator fake = new FakeCoordinator("z", vs);
        ZigbeeRadio throwing = (ZigbeeRadio) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ZigbeeRadio.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("send") && args.length == 2 && ((OutgoingMessage) args[0]).address() == 0xEEEE) {
                        throw new IllegalStateException("driver bug");
                    }
                    try {
                        return m.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ScheduledRadio r = new ScheduledRadio(throwing, SchedulerConfig.defaults(), vs);
        CompletableFuture<Void> bad = r.send(OutgoingMessage.unicast(0xEEEE, 1, 6, new byte[] {1}));
        CompletableFuture<Void> next = r.send(OutgoingMessage.unicast(0xEEEE, 1, 6, new byte[] {1}));
        CompletableFuture<Void> other = r.send(OutgoingMessage.unicast(0x1234, 1, 6, new byte[] {1}));
        vs.advanceUntilIdle(Duration.ofSeconds(5));
        RadioException re = RadioException.find(catchIt(bad));
        assertEquals(RadioError.REJECTED, re.error());
        assertTrue(re.getCause() instanceof IllegalStateException);
        assertEquals(RadioError.REJECTED, RadioException.find(catchIt(next)).error(), "the lane was freed for the next one");
        assertTrue(other.isDone() && !other.isCompletedExceptionally());
        assertEquals("CLOSED", r.stats().breakerState(), "a driver bug is not a radio failure");
    }

    @Test
    void closeAnswersQueuedRequests() {
        VirtualScheduler vs = new VirtualScheduler();
        FakeCoordinator fake = new FakeCoordinator("z", vs);
        fake.latency.put(0x10, Duration.ofSeconds(1));
        ScheduledRadio r = new ScheduledRadio(fake, SchedulerConfig.defaults(), vs);
        r.send(OutgoingMessage.unicast(0x10, 1, 6, new byte[] {1}));
        CompletableFuture<Void> queued = r.send(OutgoingMessage.unicast(0x10, 1, 6, new byte[] {2}));
        r.close();
        assertEquals(RadioError.RADIO_UNAVAILABLE, RadioException.find(catchIt(queued)).error());
        CompletableFuture<Void> late = r.send(OutgoingMessage.unicast(0x11, 1, 6, new byte[] {3}));
        assertEquals(RadioError.RADIO_UNAVAILABLE, RadioException.find(catchIt(late)).error());
    }

    private static Throwable catchIt(CompletableFuture<?> f) {
        assertTrue(f.isDone());
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
