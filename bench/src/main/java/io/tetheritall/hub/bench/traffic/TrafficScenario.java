package io.tetheritall.hub.bench.traffic;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.api.ZigbeeRadio;
import io.tetheritall.hub.radios.gpio.GpioFactory;
import io.tetheritall.hub.radios.gpio.ResetPin;
import io.tetheritall.hub.radios.recovery.HealthProbe;
import io.tetheritall.hub.radios.recovery.RecoveryConfig;
import io.tetheritall.hub.radios.recovery.RecoveryStep;
import io.tetheritall.hub.radios.recovery.RecoverySupervisor;
import io.tetheritall.hub.radios.scheduler.ScheduledRadio;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.testing.FakeCoordinator;
import io.tetheritall.hub.radios.time.VirtualScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Load scenarios for the per-radio traffic control, on virtual time against a coordinator model.
 *
 * <p>The radio here is {@link FakeCoordinator} (radios test-jar), which models the ZNP simulator's
 * limits: 12 AF requests in flight (BUFFER_FULL 0x11 beyond), a 9-entry x 9 s broadcast table, 30 ms from
 * request to DATA_CONFIRM. {@link TrafficSimScenario} runs the same figures against the real ZNP coordinator
 * and simulator on virtual time. Times reported
 * are virtual (modelled) times, except the "wall" figures, which measure the dispatcher's own CPU cost.
 *
 * <p>Run: {@code java -cp <bench classpath> io.tetheritall.hub.bench.traffic.TrafficScenario}
 */
public final class TrafficScenario {
    private static final Duration CONFIRM = Duration.ofMillis(30);
    private static final int AF_LIMIT = 12;

    private TrafficScenario() {
    }

    /** The radio under test: swap this for the ZNP coordinator on the simulator. */
    static FakeCoordinator coordinator(VirtualScheduler vs) {
        FakeCoordinator f = new FakeCoordinator("zigbee0", vs);
        f.afLimit = AF_LIMIT;
        f.confirmLatency = CONFIRM;
        return f;
    }

    public static void main(String[] args) {
        System.out.println("## Radio traffic control (virtual time, FakeCoordinator: " + AF_LIMIT + " in flight, "
                + CONFIRM.toMillis() + " ms to confirm => modelled capacity " + capacity() + " unicasts/s)");
        System.out.println();
        // First run warms the JIT; its wall figure is not reported.
        throughput(null, SchedulerConfig.builder().queues(16, 4000).build());
        throughput("defaults (window-limited; unicast bucket 1000/s)", SchedulerConfig.builder().queues(16, 4000).build());
        throughput("unicast bucket configured to 100/s", SchedulerConfig.builder().unicast(100, 20).queues(16, 4000).build());
        System.out.println();
        overload();
        System.out.println();
        recovery(false);
        recovery(true);
    }

    private static int capacity() {
        return (int) (AF_LIMIT * 1000 / CONFIRM.toMillis());
    }

    private static void throughput(String label, SchedulerConfig cfg) {
        long wall0 = System.nanoTime();
        VirtualScheduler vs = new VirtualScheduler();
        FakeCoordinator fake = coordinator(vs);
        ScheduledRadio r = new ScheduledRadio(fake, cfg, vs);
        long[] ok = new long[1];
        long[] okAfterWarmup = new long[1];
        long[] congested = new long[1];
        long[] busy = new long[1];
        long t0 = vs.clock().nanos();
        long warm = t0 + Duration.ofSeconds(10).toNanos();
        long end = t0 + Duration.ofSeconds(60).toNanos();
        int[] n = new int[1];
        // Offer 1000/s (2.5x the modelled capacity) to 200 devices for 60 s.
        Runnable[] gen = new Runnable[1];
        gen[0] = () -> {
            if (vs.clock().nanos() >= end) {
                return;
            }
            int i = n[0]++;
            r.send(OutgoingMessage.unicast(0x100 + i % 200, 1, 6, new byte[] {1}),
                    new SendOptions(Priority.INTERACTIVE, null, null, Duration.ofSeconds(60))).whenComplete((v, t) -> {
                        if (t == null) {
                            ok[0]++;
                            long now = vs.clock().nanos();
                            if (now >= warm && now < end) {
                                okAfterWarmup[0]++;
                            }
                        } else {
                            RadioError e = RadioException.find(t).error();
                            if (e == RadioError.CONGESTED) {
                                congested[0]++;
                            } else if (e == RadioError.BUSY) {
                                busy[0]++;
                            }
                        }
                    });
            vs.schedule(gen[0], Duration.ofMillis(1).toNanos());
        };
        vs.execute(gen[0]);
        vs.advanceUntilIdle(Duration.ofMinutes(3));
        long wall = System.nanoTime() - wall0;
        double tput = okAfterWarmup[0] / 50.0;
        if (label == null) {
            return;
        }
        System.out.printf(Locale.ROOT, "- Throughput, %s: %.1f delivered/s over 10..60 s = %.1f%% of %d/s; "
                        + "BUFFER_FULL surfaced to callers: %d; absorbed by window/retry: %d; BUSY answers: %d of %d offered; "
                        + "window at end %d; max in flight at the radio %d; wall %.0f ms (%.1f us per request)%n",
                label, tput, 100.0 * tput / capacity(), capacity(), congested[0], fake.refusedBufferFull, busy[0], n[0],
                r.stats().window(), fake.maxInFlight, wall / 1e6, wall / 1e3 / n[0]);
    }

    private static void overload() {
        VirtualScheduler vs = new VirtualScheduler();
        FakeCoordinator fake = coordinator(vs);
        ScheduledRadio r = new ScheduledRadio(fake, SchedulerConfig.builder().unicast(1000, 50).build(), vs);
        Map<Priority, List<Long>> lat = new EnumMap<>(Priority.class);
        Map<Priority, long[]> outcomes = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            lat.put(p, new ArrayList<>());
            outcomes.put(p, new long[4]);
        }
        long end = vs.clock().nanos() + Duration.ofSeconds(20).toNanos();
        int[] n = new int[1];
        // 10x overload: 4000/s offered against 400/s, 5 % interactive, 25 % polls, 70 % background, 400 devices.
        Runnable[] gen = new Runnable[1];
        gen[0] = () -> {
            if (vs.clock().nanos() >= end) {
                return;
            }
            for (int k = 0; k < 4; k++) {
                int i = n[0]++;
                int m = i % 20;
                Priority p = m == 0 ? Priority.INTERACTIVE : m <= 5 ? Priority.POLL : Priority.BACKGROUND;
                long start = vs.clock().nanos();
                r.send(OutgoingMessage.unicast(0x1000 + (i * 7) % 400, 1, 6, new byte[] {1}),
                        new SendOptions(p, null, null, Duration.ofSeconds(10))).whenComplete((v, t) -> {
                            long[] o = outcomes.get(p);
                            if (t == null) {
                                o[0]++;
                                lat.get(p).add(vs.clock().nanos() - start);
                            } else {
                                RadioError e = RadioException.find(t).error();
                                o[e == RadioError.BUSY ? 1 : e == RadioError.DEADLINE_EXCEEDED ? 2 : 3]++;
                            }
                        });
            }
            vs.schedule(gen[0], Duration.ofMillis(1).toNanos());
        };
        vs.execute(gen[0]);
        vs.advanceUntilIdle(Duration.ofMinutes(2));
        System.out.println("- 10x overload (4000/s offered for 20 s, capacity " + capacity() + "/s), latency of delivered requests:");
        System.out.println();
        System.out.println("| priority | offered | delivered | p50 ms | p99 ms | BUSY | deadline | other |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Priority p : Priority.values()) {
            List<Long> l = lat.get(p);
            l.sort(null);
            long[] o = outcomes.get(p);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %d | %d | %d |%n", p, o[0] + o[1] + o[2] + o[3], o[0],
                    pct(l, 0.50), pct(l, 0.99), o[1], o[2], o[3]);
        }
        System.out.println();
        System.out.println("  (BUFFER_FULL absorbed: " + fake.refusedBufferFull + ", max in flight at the radio: "
                + fake.maxInFlight + ")");
    }

    private static String pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return "-";
        }
        long v = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
        return String.format(Locale.ROOT, "%.0f", v / 1e6);
    }

    private static void recovery(boolean softResetHelps) {
        VirtualScheduler vs = new VirtualScheduler();
        FakeCoordinator fake = coordinator(vs);
        fake.softResetHelps = softResetHelps;
        ScheduledRadio r = new ScheduledRadio(fake, SchedulerConfig.defaults(), vs);
        Context pi4j = GpioFactory.mock();
        try {
            DigitalOutput line = GpioFactory.output(pi4j, "radio-reset", 17, DigitalState.HIGH, DigitalState.HIGH);
            line.addListener(e -> {
                if (e.state() == DigitalState.HIGH) {
                    fake.hardReset();
                }
            });
            ResetPin pin = new ResetPin(line, vs, Duration.ofMillis(100));
            RecoverySupervisor sup = new RecoverySupervisor("zigbee0", vs, List.of(
                    RecoveryStep.of("soft-reset", Duration.ofSeconds(2), fake::softReset),
                    RecoveryStep.of("gpio-reset", Duration.ofSeconds(3), pin::pulse),
                    RecoveryStep.of("reopen-link", Duration.ofSeconds(2), () -> fake.reopen(true))),
                    HealthProbe.coordinatorNodeDescriptor(fake), RecoveryConfig.DEFAULT, (s, why) -> { });
            sup.attach(r);
            long[] downAt = {-1};
            long[] upAt = {-1};
            r.addListener(new RadioListener() {
                @Override
                public void stateChanged(RadioState state, String reason) {
                    if (state == RadioState.DOWN && downAt[0] < 0) {
                        downAt[0] = vs.clock().nanos();
                    } else if (state == RadioState.UP) {
                        upAt[0] = vs.clock().nanos();
                    }
                }
            });
            long hangAt = vs.clock().nanos() + Duration.ofSeconds(5).toNanos();
            long end = hangAt + Duration.ofSeconds(60).toNanos();
            long[] firstOkAfter = {-1};
            Map<RadioError, Integer> failures = new EnumMap<>(RadioError.class);
            boolean[] hung = {false};
            Runnable[] gen = new Runnable[1];
            int[] n = new int[1];
            // Steady 20 commands/s to 50 devices; the dongle wedges at t = 5 s.
            gen[0] = () -> {
                long now = vs.clock().nanos();
                if (now >= end) {
                    return;
                }
                if (!hung[0] && now >= hangAt) {
                    hung[0] = true;
                    fake.hang();
                }
                int i = n[0]++;
                CompletableFuture<Void> f = r.send(OutgoingMessage.unicast(0x100 + i % 50, 1, 6, new byte[] {1}));
                f.whenComplete((v, t) -> {
                    long at = vs.clock().nanos();
                    if (t == null) {
                        if (at > hangAt && firstOkAfter[0] < 0 && downAt[0] > 0) {
                            firstOkAfter[0] = at;
                        }
                    } else {
                        failures.merge(RadioException.find(t).error(), 1, Integer::sum);
                    }
                });
                vs.schedule(gen[0], Duration.ofMillis(50).toNanos());
            };
            vs.execute(gen[0]);
            vs.advanceUntilIdle(Duration.ofMinutes(3));
            System.out.printf(Locale.ROOT, "- Wedged dongle (SRSP timeout 6 s, breaker threshold 5, %s): breaker open %.1f s "
                            + "after the hang; radio UP again %.1f s after the hang (recovery itself %.1f s); first delivered "
                            + "command %.1f s after the hang; failures meanwhile: %s; steps: %s%n",
                    softResetHelps ? "soft reset answers" : "soft reset times out, GPIO reset needed",
                    (downAt[0] - hangAt) / 1e9, (upAt[0] - hangAt) / 1e9, sup.lastRecoveryTime().toMillis() / 1e3,
                    (firstOkAfter[0] - hangAt) / 1e9, failures, sup.history());
        } finally {
            pi4j.shutdown();
        }
    }
}
