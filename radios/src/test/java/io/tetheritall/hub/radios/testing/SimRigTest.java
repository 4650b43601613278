package io.tetheritall.hub.radios.testing;

import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.sim.DeviceKind;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rig's own promise: real threads inside, yet a run on virtual time is repeatable to the nanosecond. */
class SimRigTest {

    /** Completion times (virtual ns since the burst) of 300 commands to 30 devices, in completion order per request. */
    private static List<Long> burst() throws Exception {
        ZnpSimulatorConfig sim = ZnpSimulatorConfig.builder().seed(5).baud(115200).joinSpacing(Duration.ofMillis(5))
                .devices(Collections.nCopies(30, DeviceKind.COLOUR_BULB)).build();
        try (SimRig r = new SimRig(sim, SchedulerConfig.builder().window(12, 1, 12).build(), ZnpConfig.defaults("z"))) {
            r.start();
            r.joinAll(30);
            List<Integer> nwks = new ArrayList<>();
            r.sim.devices().forEach(d -> nwks.add(r.joined.get(d.ieee())));
            long t0 = r.now();
            long[] done = new long[300];
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int k = i;
                CompletableFuture<Void> f = r.radio.send(OutgoingMessage.unicast(nwks.get(i % 30), 1, 6,
                        new byte[] {1, (byte) i, 1}));
                f.whenComplete((v, t) -> done[k] = t == null ? r.now() - t0 : -1);
                all.add(f);
            }
            assertTrue(r.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(60)));
            List<Long> l = new ArrayList<>();
            for (long d : done) {
                l.add(d);
            }
            return l;
        }
    }

    @Test
    void twoRunsOfTheSameBurstCompleteAtTheSameVirtualTimes() throws Exception {
        List<Long> a = burst();
        List<Long> b = burst();
        assertTrue(a.stream().allMatch(t -> t > 0), "all delivered");
        assertEquals(a, b, "the link and event threads did not leak real-time ordering into virtual time");
    }
}
