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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
