package io.tetheritall.hub.radios.it;

import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.testing.SimRig;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.sim.DeviceKind;
import io.tetheritall.hub.radios.znp.sim.DeviceView;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.gpio.GpioFactory;
import io.tetheritall.hub.radios.gpio.ResetPin;
import io.tetheritall.hub.radios.recovery.HealthProbe;
import io.tetheritall.hub.radios.recovery.RecoveryConfig;
import io.tetheritall.hub.radios.recovery.RecoverySupervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of "Radio traffic control" against the REAL {@code ZnpCoordinator} and {@code ZnpSimulator}
 * (not the fake), with the scheduler on top, all on one virtual clock ({@link SimRig}: no sleeping).
 */
class TrafficControlAgainstSimulatorTest {
    /** The simulator's modelled NWK buffer count (AF requests between SRSP and AF_DATA_CONFIRM). */
    static final int SIM_LIMIT = 12;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** Mains-powered devices only: sleepy ones answer on their next poll, which is another test. */
    static List<DeviceKind> mains(int n) {
        DeviceKind[] k = {DeviceKind.COLOUR_BULB, DeviceKind.WHITE_SPECTRUM_BULB, DeviceKind.HUE_COLOUR_BULB,
                DeviceKind.METERING_PLUG};
        List<DeviceKind> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(k[i % k.length]);
        }
        return l;
    }

    static ZnpSimulatorConfig.Builder sim(int devices) {
        return ZnpSimulatorConfig.builder().seed(7).devices(mains(devices)).baud(0).joinSpacing(Duration.ofMillis(5))
                .inFlightLimit(SIM_LIMIT);
    }

    /** The scheduler's window pinned to the simulator's limit (see the class comment of the test for why). */
    static SchedulerConfig.Builder policy() {
        return SchedulerConfig.builder().window(SIM_LIMIT, 1, SIM_LIMIT);
    }

    private SimRig rig(ZnpSimulatorConfig s, SchedulerConfig p) throws Exception {
        SimRig r = new SimRig(s, p, ZnpConfig.defaults("zigbee0"));
        toClose.add(r);
        r.start();
        return r;
    }

    /** Outcome counts of a set of futures. */
    static final class Outcomes {
        final AtomicLong delivered = new AtomicLong();
        final Map<RadioError, AtomicLong> failed = new EnumMap<>(RadioError.class);
        final AtomicLong other = new AtomicLong();
        final List<String> samples = new CopyOnWriteArrayList<>();

        <T> void track(CompletableFuture<T> f) {
            f.whenComplete((v, t) -> {
                if (t == null) {
                    delivered.incrementAndGet();
                } else {
                    RadioException re = RadioException.find(t);
                    if (re == null) {
                        other.incrementAndGet();
                    } else {
                        synchronized (failed) {
                            failed.computeIfAbsent(re.error(), e -> new AtomicLong()).incrementAndGet();
                            if (re.error() == RadioError.REJECTED || re.error() == RadioError.TIMEOUT) {
                                samples.add(re.error() + ": " + re.getMessage() + " <- " + t);
                            }
                        }
                    }
                }
            });
        }

        long failed(RadioError e) {
            AtomicLong n = failed.get(e);
            return n == null ? 0 : n.get();
        }

        long total() {
            return delivered.get() + failed.values().stream().mapToLong(AtomicLong::get).sum() + other.get();
        }

        @Override
        public String toString() {
            return "delivered=" + delivered + " failed=" + failed + " other=" + other;
        }
    }

    static byte[] zclOn(int tsn) {
        return new byte[] {0x01, (byte) tsn, 0x01};
    }

    @Test
    void thousandCommandsToHundredDevicesAtOnceAreDeliveredOrBusyNeverLostNorCongested() throws Exception {
        SimRig r = rig(sim(100).build(), policy().build());
        r.joinAll(100);
        List<Integer> nwks = new ArrayList<>(r.joined.values());
        Outcomes o = new Outcomes();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            CompletableFuture<Void> f = r.radio.send(OutgoingMessage.unicast(nwks.get(i % 100), 1, 0x0006, zclOn(i)),
                    new SendOptions(io.tetheritall.hub.radios.api.Priority.INTERACTIVE, null, null, Duration.ofSeconds(30)));
            o.track(f);
            all.add(f);
        }
        assertTrue(r.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(60)),
                () -> "not all 1000 answered: " + o + " " + r.describe());
        assertEquals(1000, o.total(), o.toString());
        assertEquals(1000, o.delivered.get() + o.failed(RadioError.BUSY), "delivered or BUSY, nothing else: " + o);
        assertEquals(0, o.failed(RadioError.CONGESTED), o.toString());
        assertTrue(r.sim.counters().maxInFlight() <= SIM_LIMIT, "max in flight " + r.sim.counters().maxInFlight());
        assertEquals(0, r.sim.counters().bufferFull(), "a window of 12 never overruns the stick's 12 buffers");
        for (DeviceView d : r.sim.devices()) {
            assertTrue(d.onOff(), "every device got its On");
        }
    }

    /**
     * The same burst with the window NOT pinned: the firmware string says Z-Stack 3, so the scheduler starts at
     * its default of 16, over the stick's 12 buffers. The stick answers the extra requests BUFFER_FULL; the
     * scheduler must absorb that (shrink, back off, retry) so that no caller ever sees it.
     */
    @Test
    void adaptiveWindowStartingAboveTheStickLimitAbsorbsBufferFull() throws Exception {
        SimRig r = rig(sim(100).build(), SchedulerConfig.builder().build());
        r.joinAll(100);
        List<Integer> nwks = new ArrayList<>(r.joined.values());
        Outcomes o = new Outcomes();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            CompletableFuture<Void> f = r.radio.send(OutgoingMessage.unicast(nwks.get(i % 100), 1, 0x0006, zclOn(i)),
                    new SendOptions(Priority.INTERACTIVE, null, null, Duration.ofSeconds(30)));
            o.track(f);
            all.add(f);
        }
        assertTrue(r.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(60)), o::toString);
        assertEquals(1000, o.delivered.get() + o.failed(RadioError.BUSY), o.toString());
        assertEquals(0, o.failed(RadioError.CONGESTED), o.toString());
        assertTrue(r.sim.counters().bufferFull() > 0, "the stick did refuse the 13th request");
        assertTrue(r.radio.stats().window() <= SIM_LIMIT, "the window learnt the stick's limit: " + r.radio.stats());
        assertTrue(r.sim.counters().maxInFlight() <= SIM_LIMIT);
    }

    /** 50 group commands at once: the broadcast budget keeps the stick's 9-entry broadcast table from refusing any. */
    @Test
    void fiftyGroupCommandsInABurstNeverHitTheBroadcastTableLimit() throws Exception {
        SimRig r = rig(sim(10).build(), policy().build()).step(Duration.ofMillis(5));
        r.joinAll(10);
        Outcomes o = new Outcomes();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            // five groups: one group's queue holds 16, so fifty to a single group would be mostly BUSY at once
            CompletableFuture<Void> f = r.radio.send(OutgoingMessage.group(0x0100 + i % 5, 0x0006, zclOn(i)),
                    new SendOptions(Priority.INTERACTIVE, null, null, Duration.ofMinutes(2)));
            o.track(f);
            all.add(f);
        }
        assertTrue(r.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone), Duration.ofMinutes(3)), o::toString);
        assertEquals(0, r.sim.counters().broadcastRefusals(), "the stick never refused a broadcast: " + r.sim.counters());
        assertEquals(50, o.delivered.get(), "with a 2-minute deadline every group command goes out: " + o);
        assertEquals(50, r.sim.counters().broadcasts());
    }

    /** Per-request completion latency (ms) of the commands to every device but {@code skip}. */
    private static List<Long> othersLatency(SimRig r, List<Integer> nwks, int skip, Outcomes skipped) {
        List<Long> lat = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long t0 = r.now();
        for (int round = 0; round < 5; round++) {
            for (int d = 0; d < nwks.size(); d++) {
                CompletableFuture<Void> f = r.radio.send(OutgoingMessage.unicast(nwks.get(d), 1, 0x0006, zclOn(round)),
                        new SendOptions(Priority.INTERACTIVE, null, null, Duration.ofSeconds(30)));
                all.add(f);
                if (d == skip) {
                    skipped.track(f);
                } else {
                    f.whenComplete((v, t) -> {
                        assertEquals(null, t, "a command to a healthy device failed");
                        lat.add((r.now() - t0) / 1_000_000);
                    });
                }
            }
        }
        assertTrue(r.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(60)));
        List<Long> sorted = new ArrayList<>(lat);
        sorted.sort(null);
        return sorted;
    }

    static long pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /**
     * One unreachable device (it no longer acks: MAC_NO_ACK after the MAC retries) costs the others nothing
     * beyond the window slot its first requests hold: the scheduler keeps one request per device in flight and
     * marks it unreachable after two no-acks, failing its queue fast.
     */
    @Test
    void oneSilentDeviceDoesNotSlowTheOthers() throws Exception {
        List<Long> base;
        List<Long> withSilent;
        Outcomes silentBase = new Outcomes();
        Outcomes silentOnes = new Outcomes();
        long silentIeee;
        try (SimRig a = new SimRig(sim(40).build(), policy().build(), ZnpConfig.defaults("zigbee0"))) {
            a.start();
            a.joinAll(40);
            List<Integer> nwks = sortedNwks(a);
            base = othersLatency(a, nwks, 0, silentBase);
        }
        try (SimRig b = new SimRig(sim(40).build(), policy().build(), ZnpConfig.defaults("zigbee0"))) {
            b.start();
            b.joinAll(40);
            List<Integer> nwks = sortedNwks(b);
            silentIeee = b.sim.devices().stream().filter(d -> d.nwk() == nwks.get(0)).findFirst().orElseThrow().ieee();
            assertTrue(b.sim.faults().silent(silentIeee, true));
            withSilent = othersLatency(b, nwks, 0, silentOnes);
        }
        assertEquals(5, silentBase.delivered.get());
        assertEquals(0, silentOnes.delivered.get(), "nothing reaches a silent device: " + silentOnes);
        assertEquals(5, silentOnes.failed(RadioError.DEVICE_UNREACHABLE), silentOnes.toString());
        long p50a = pct(base, 0.5);
        long p50b = pct(withSilent, 0.5);
        long p99a = pct(base, 0.99);
        long p99b = pct(withSilent, 0.99);
        System.out.printf("others' completion latency ms: without silent p50 %d p99 %d; with silent p50 %d p99 %d%n",
                p50a, p99a, p50b, p99b);
        // Same seeds, but the air-time draws shift by the silent device's requests: allow 10 % + 10 ms of noise.
        assertTrue(p50b <= p50a * 1.1 + 10, "p50 " + p50a + " -> " + p50b);
        assertTrue(p99b <= p99a * 1.1 + 10, "p99 " + p99a + " -> " + p99b);
    }

    private static List<Integer> sortedNwks(SimRig r) {
        List<Integer> l = new ArrayList<>();
        for (DeviceView d : r.sim.devices()) {
            l.add(r.joined.get(d.ieee()));
        }
        return l;
    }

    /**
     * The dongle wedges under steady traffic: the breaker opens after the configured number of radio-level
     * failures, the recovery supervisor runs the standard ladder (soft reset over MT times out, then a pulse on
     * the GPIO reset line, wired on the pi4j mock to the simulator's reset as a real nRESET line would be), the
     * breaker closes and commands flow again.
     */
    @Test
    void wedgedDongleOpensTheBreakerAndTheLadderBringsItBack() throws Exception {
        SimRig r = rig(sim(20).build(), policy().build()).step(Duration.ofMillis(2));
        r.joinAll(20);
        List<Integer> nwks = sortedNwks(r);
        Context pi4j = GpioFactory.mock();
        toClose.add(pi4j::shutdown);
        DigitalOutput line = GpioFactory.output(pi4j, "radio-reset", 17, DigitalState.HIGH, DigitalState.HIGH);
        List<String> lineEvents = new CopyOnWriteArrayList<>();
        line.addListener(e -> {
            lineEvents.add(e.state().name());
            if (e.state() == DigitalState.LOW) {
                r.sim.faults().hang(); // held in reset: the chip is silent
            } else if (e.state() == DigitalState.HIGH) {
                r.sim.faults().resume(); // released: the firmware boots (NV kept) and says SYS_RESET_IND
                r.sim.faults().reboot();
            }
        });
        ResetPin pin = new ResetPin(line, r.radioThread, Duration.ofMillis(100));
        List<String> exits = new CopyOnWriteArrayList<>();
        RecoverySupervisor sup = new RecoverySupervisor("zigbee0", r.radioThread,
                RecoverySupervisor.standardLadder(r.coordinator::softReset, pin,
                        () -> CompletableFuture.failedFuture(new IllegalStateException("no serial link to reopen"))),
                HealthProbe.coordinatorNodeDescriptor(r.coordinator), RecoveryConfig.DEFAULT, (status, why) -> exits.add(why));
        toClose.add(sup);
        sup.attach(r.radio);
        long[] openedAt = {-1};
        long[] closedAt = {-1};
        r.radio.breaker().getEventPublisher().onStateTransition(e -> {
            CircuitBreaker.State to = e.getStateTransition().getToState();
            if ((to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) && openedAt[0] < 0) {
                openedAt[0] = r.now();
            } else if (to == CircuitBreaker.State.CLOSED && openedAt[0] >= 0) {
                closedAt[0] = r.now();
            }
        });
        // steady 20 commands/s to the 20 devices
        Outcomes before = new Outcomes();
        Outcomes during = new Outcomes();
        long[] hangAt = {Long.MAX_VALUE};
        long[] firstOkAfterClose = {-1};
        int[] n = {0};
        Runnable[] gen = new Runnable[1];
        gen[0] = () -> {
            int i = n[0]++;
            CompletableFuture<Void> f = r.radio.send(OutgoingMessage.unicast(nwks.get(i % nwks.size()), 1, 0x0006, zclOn(i)));
            (r.now() < hangAt[0] ? before : during).track(f);
            f.whenComplete((v, t) -> {
                if (t == null && closedAt[0] >= 0 && firstOkAfterClose[0] < 0) {
                    firstOkAfterClose[0] = r.now();
                }
            });
            r.radioThread.schedule(gen[0], Duration.ofMillis(50).toNanos());
        };
        r.radioThread.execute(gen[0]);
        r.advance(Duration.ofSeconds(5));
        assertEquals(0, before.total() - before.delivered.get(), "healthy: everything delivered " + before);

        hangAt[0] = r.now();
        r.sim.faults().hang();
        int threshold = r.radio.config().breakerFailureThreshold();
        long sreq = ZnpConfig.defaults("x").sreqTimeout().toNanos();
        assertTrue(r.runUntil(() -> openedAt[0] >= 0, Duration.ofSeconds(threshold * 6L + 10)), "the breaker opened");
        long toOpen = openedAt[0] - hangAt[0];
        assertTrue(r.runUntil(() -> firstOkAfterClose[0] >= 0, Duration.ofSeconds(60)),
                () -> "commands flow again; supervisor: " + sup.history() + " breaker " + r.radio.breaker().getState());
        r.radioThread.execute(() -> gen[0] = () -> { }); // stop the generator
        r.advance(Duration.ofSeconds(15));
        System.out.printf("wedged dongle: breaker open %.1f s after the hang, closed %.1f s after, first command "
                        + "delivered %.1f s after; ladder %s; callers saw %s%n", toOpen / 1e9, (closedAt[0] - hangAt[0]) / 1e9,
                (firstOkAfterClose[0] - hangAt[0]) / 1e9, sup.history(), during);
        during.samples.forEach(System.out::println);
        // Opens on the threshold-th consecutive SRSP timeout. The MT session writes one SREQ at a time (MT p.17), so
        // the timeouts come one per SRSP timeout; and an AF request the stick accepted just before hanging ends in a
        // missing AF_DATA_CONFIRM, which the coordinator reports as DEVICE_UNREACHABLE (a device fault, a breaker
        // success) and so restarts the count once: (threshold + 1) x 6 s at most.
        assertTrue(toOpen <= (threshold + 1) * sreq + Duration.ofSeconds(1).toNanos(), "open after " + toOpen / 1e6 + " ms");
        assertTrue(during.failed(RadioError.TIMEOUT) >= threshold, during.toString());
        // Requests still queued in the MT session when the stick came back from its reset fail RADIO_UNAVAILABLE,
        // not REJECTED (0xC2 from a stick not yet running the network): regression test for the coordinator fix.
        assertEquals(0, during.failed(RadioError.REJECTED), during.samples.toString());
        assertEquals(CircuitBreaker.State.CLOSED, r.radio.breaker().getState());
        assertTrue(sup.history().stream().anyMatch(h -> h.startsWith("gpio-reset: recovered")), sup.history().toString());
        assertTrue(sup.history().stream().anyMatch(h -> h.startsWith("soft-reset: failed")), sup.history().toString());
        assertEquals(List.of("LOW", "HIGH"), lineEvents, "one pulse on the reset line");
        assertTrue(exits.isEmpty(), exits.toString());
        assertEquals(0, during.failed(RadioError.CONGESTED));
        assertFalse(r.sim.faults().hung());
        assertNotEquals(-1, closedAt[0]);
    }

    /**
     * Regression (ZnpCoordinator): a stick that reboots by itself (unsolicited SYS_RESET_IND) while the MT session
     * holds a hung SREQ and more queued behind it. Before the fix the queued AF requests were written to the freshly
     * booted stick, which is not running the network yet and answers 0xC2 (callers saw REJECTED), and the restore
     * waited behind the hung SREQ's 6 s timeout. Now they fail RADIO_UNAVAILABLE at the reset and the restore goes
     * out at once.
     */
    @Test
    void unsolicitedStickResetFailsStaleRequestsAsUnavailableAndRestoresAtOnce() throws Exception {
        SimRig r = rig(sim(5).build(), policy().build());
        r.joinAll(5);
        List<Integer> nwks = sortedNwks(r);
        long recoveriesBefore = r.coordinator.recoveries();
        r.sim.faults().hang();
        Outcomes o = new Outcomes();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Void> f = r.coordinator.send(OutgoingMessage.unicast(nwks.get(i), 1, 0x0006, zclOn(i)));
            o.track(f);
            all.add(f);
        }
        r.advance(Duration.ofSeconds(1));
        assertTrue(all.stream().noneMatch(CompletableFuture::isDone), "the hung stick answers nothing");
        long resetAt = r.now();
        r.sim.faults().resume();
        r.sim.faults().reboot(); // a watchdog reset: SYS_RESET_IND reason 2 after the boot time, unasked for
        assertTrue(r.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone)
                && r.coordinator.recoveries() > recoveriesBefore
                && r.coordinator.state() == io.tetheritall.hub.radios.api.RadioState.UP, Duration.ofSeconds(20)),
                () -> o + " state " + r.coordinator.state());
        long took = r.now() - resetAt;
        assertEquals(5, o.failed(RadioError.RADIO_UNAVAILABLE), o + " " + o.samples);
        assertTrue(took < Duration.ofSeconds(2).toNanos(), "restored " + took / 1e6 + " ms after the reset, not "
                + "after the hung SREQ's 6 s timeout");
        CompletableFuture<Void> after = r.coordinator.send(OutgoingMessage.unicast(nwks.get(0), 1, 0x0006, zclOn(9)));
        r.await(after, Duration.ofSeconds(5), "a command after the restore");
    }
}
