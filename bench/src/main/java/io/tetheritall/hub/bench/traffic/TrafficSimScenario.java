package io.tetheritall.hub.bench.traffic;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.gpio.GpioFactory;
import io.tetheritall.hub.radios.gpio.ResetPin;
import io.tetheritall.hub.radios.recovery.HealthProbe;
import io.tetheritall.hub.radios.recovery.RecoveryConfig;
import io.tetheritall.hub.radios.recovery.RecoverySupervisor;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.testing.SimRig;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.sim.DeviceKind;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link TrafficScenario}'s figures against the REAL stack: the ZNP simulator (Z-Stack 3.x model: 12 NWK
 * buffers, 9-entry broadcast table, default air-time model, UART paced at 115200 baud) ← MT bytes →
 * {@code ZnpCoordinator} → {@code ScheduledRadio}, all on one virtual clock ({@link SimRig}, radios test-jar),
 * stepped by 1 ms. Times are virtual (modelled) times, accurate to one step.
 *
 * <p>The simulator's capacity is measured, not assumed: an ideal host that keeps exactly 12 AF requests in
 * flight on the bare coordinator (no policy) gives the ceiling the scheduler is compared with.
 *
 * <p>Run: {@code java -cp <bench classpath> io.tetheritall.hub.bench.traffic.TrafficSimScenario}
 */
public final class TrafficSimScenario {
    private static final int LIMIT = 12;
    private static final int DEVICES = 100;

    private TrafficSimScenario() {
    }

    static ZnpSimulatorConfig simConfig(int devices) {
        DeviceKind[] k = {DeviceKind.COLOUR_BULB, DeviceKind.WHITE_SPECTRUM_BULB, DeviceKind.HUE_COLOUR_BULB,
                DeviceKind.METERING_PLUG};
        List<DeviceKind> l = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            l.add(k[i % k.length]);
        }
        return ZnpSimulatorConfig.builder().seed(11).devices(l).baud(115200).joinSpacing(Duration.ofMillis(5))
                .inFlightLimit(LIMIT).build();
    }

    static SimRig rig(SchedulerConfig cfg, int devices) throws Exception {
        SimRig r = new SimRig(simConfig(devices), cfg, ZnpConfig.defaults("zigbee0"));
        r.start();
        r.joinAll(devices);
        return r;
    }

    static byte[] on(int tsn) {
        return new byte[] {0x01, (byte) tsn, 0x01};
    }

    public static void main(String[] args) throws Exception {
        System.out.println("## Radio traffic control against the ZNP simulator (virtual time, real coordinator)");
        System.out.println();
        double cap = capacity();
        System.out.printf(Locale.ROOT, "- Simulator capacity (ideal host, exactly %d AF requests in flight on the bare "
                + "coordinator, %d devices, 5..30 s): %.1f unicasts/s%n", LIMIT, DEVICES, cap);
        throughput("window pinned to 12", SchedulerConfig.builder().window(LIMIT, 1, LIMIT).queues(16, 4000).build(), cap);
        throughput("defaults (window 16 from the firmware, adaptive)", SchedulerConfig.builder().queues(16, 4000).build(), cap);
        System.out.println();
        overload(cap);
        System.out.println();
        recovery();
    }

    /** An ideal host: 12 requests in flight on the bare coordinator, round robin over the devices. */
    private static double capacity() throws Exception {
        try (SimRig r = rig(SchedulerConfig.builder().window(LIMIT, 1, LIMIT).build(), DEVICES)) {
            List<Integer> nwks = new ArrayList<>(r.joined.values());
            long t0 = r.now();
            long warm = t0 + Duration.ofSeconds(5).toNanos();
            long end = t0 + Duration.ofSeconds(30).toNanos();
            long[] ok = {0};
            long[] failed = {0};
            int[] n = {0};
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (r.now() >= end) {
                    return;
                }
                int i = n[0]++;
                r.coordinator.send(OutgoingMessage.unicast(nwks.get(i % nwks.size()), 1, 0x0006, on(i)))
                        .whenComplete((v, t) -> r.radioThread.execute(() -> {
                            long now = r.now();
                            if (t == null && now >= warm && now < end) {
                                ok[0]++;
                            } else if (t != null) {
                                failed[0]++;
                            }
                            next[0].run();
                        }));
            };
            for (int k = 0; k < LIMIT; k++) {
                r.radioThread.execute(next[0]);
            }
            r.advance(Duration.ofSeconds(31));
            if (failed[0] > 0 || r.sim.counters().bufferFull() > 0) {
                System.out.println("  (ideal host saw " + failed[0] + " failures, " + r.sim.counters().bufferFull()
                        + " BUFFER_FULL)");
            }
            return ok[0] / 25.0;
        }
    }

    private static void throughput(String label, SchedulerConfig cfg, double cap) throws Exception {
        long wall0 = System.nanoTime();
        try (SimRig r = rig(cfg, DEVICES)) {
            List<Integer> nwks = new ArrayList<>(r.joined.values());
            long t0 = r.now();
            long warm = t0 + Duration.ofSeconds(5).toNanos();
            long end = t0 + Duration.ofSeconds(30).toNanos();
            long[] okAfterWarmup = {0};
            long[] congested = {0};
            long[] busy = {0};
            long[] other = {0};
            int[] n = {0};
            int perMs = (int) Math.ceil(2.5 * cap / 1000); // offered: about 2.5x capacity
            Runnable[] gen = new Runnable[1];
            gen[0] = () -> {
                if (r.now() >= end) {
                    return;
                }
                for (int k = 0; k < perMs; k++) {
                    int i = n[0]++;
                    r.radio.send(OutgoingMessage.unicast(nwks.get(i % nwks.size()), 1, 0x0006, on(i)),
                            new SendOptions(Priority.INTERACTIVE, null, null, Duration.ofSeconds(60))).whenComplete((v, t) -> {
                                if (t == null) {
                                    long now = r.now();
                                    if (now >= warm && now < end) {
                                        okAfterWarmup[0]++;
                                    }
                                } else {
                                    RadioError e = RadioException.find(t).error();
                                    if (e == RadioError.CONGESTED) {
                                        congested[0]++;
                                    } else if (e == RadioError.BUSY) {
                                        busy[0]++;
                                    } else {
                                        other[0]++;
                                    }
                                }
                            });
                }
                r.radioThread.schedule(gen[0], Duration.ofMillis(1).toNanos());
            };
            r.radioThread.execute(gen[0]);
            r.advance(Duration.ofSeconds(31));
            r.runUntil(() -> r.radio.stats().inFlight() == 0 && r.radio.stats().queuedInteractive() == 0,
                    Duration.ofSeconds(90));
            long wall = System.nanoTime() - wall0;
            double tput = okAfterWarmup[0] / 25.0;
            System.out.printf(Locale.ROOT, "- Throughput, %s: %.1f delivered/s over 5..30 s = %.1f%% of %.1f/s; "
                            + "BUFFER_FULL surfaced to callers: %d; absorbed by window/retry: %d; BUSY answers: %d of %d offered; "
                            + "other failures: %d; window at end %d; max in flight at the stick %d; wall %.1f s%n",
                    label, tput, 100.0 * tput / cap, cap, congested[0], r.sim.counters().bufferFull(), busy[0], n[0],
                    other[0], r.radio.stats().window(), r.sim.counters().maxInFlight(), wall / 1e9);
        }
    }

    private static void overload(double cap) throws Exception {
        try (SimRig r = rig(SchedulerConfig.builder().window(LIMIT, 1, LIMIT).build(), DEVICES)) {
            List<Integer> nwks = new ArrayList<>(r.joined.values());
            Map<Priority, List<Long>> lat = new EnumMap<>(Priority.class);
            Map<Priority, long[]> outcomes = new EnumMap<>(Priority.class);
            for (Priority p : Priority.values()) {
                lat.put(p, new ArrayList<>());
                outcomes.put(p, new long[4]);
            }
            long end = r.now() + Duration.ofSeconds(20).toNanos();
            int[] n = {0};
            int perMs = (int) Math.round(10 * cap / 1000); // 10x overload
            java.util.Random pick = new java.util.Random(3);
            Runnable[] gen = new Runnable[1];
            gen[0] = () -> {
                if (r.now() >= end) {
                    return;
                }
                for (int k = 0; k < perMs; k++) {
                    int i = n[0]++;
                    int m = i % 20;
                    Priority p = m == 0 ? Priority.INTERACTIVE : m <= 5 ? Priority.POLL : Priority.BACKGROUND;
                    long start = r.now();
                    // a seeded random device: TrafficScenario's (i * 7) % n sends every interactive request (i % 20 == 0)
                    // to 1 device in 20, over one device's own limit (one request in flight at a time)
                    r.radio.send(OutgoingMessage.unicast(nwks.get(pick.nextInt(nwks.size())), 1, 0x0006, on(i)),
                            new SendOptions(p, null, null, Duration.ofSeconds(10))).whenComplete((v, t) -> {
                                long[] o = outcomes.get(p);
                                if (t == null) {
                                    o[0]++;
                                    lat.get(p).add(r.now() - start);
                                } else {
                                    RadioError e = RadioException.find(t).error();
                                    o[e == RadioError.BUSY ? 1 : e == RadioError.DEADLINE_EXCEEDED ? 2 : 3]++;

                                }
                            });
                }
                r.radioThread.schedule(gen[0], Duration.ofMillis(1).toNanos());
            };
            r.radioThread.execute(gen[0]);
            r.advance(Duration.ofSeconds(21));
            r.runUntil(() -> r.radio.stats().inFlight() == 0, Duration.ofSeconds(30));
            r.advance(Duration.ofSeconds(11));
            System.out.printf(Locale.ROOT, "- 10x overload (%d/s offered for 20 s against %.0f/s; 5 %% interactive, 25 %% polls, "
                    + "70 %% background; %d devices; deadline 10 s), latency of delivered requests:%n", perMs * 1000, cap, DEVICES);
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
            System.out.println("| unloaded reference (1 per 100 ms) | " + unloaded() + " |");
            System.out.println();
            System.out.println("  (BUFFER_FULL at the stick: " + r.sim.counters().bufferFull() + ", max in flight at the stick: "
                    + r.sim.counters().maxInFlight() + ", offered in total " + n[0] + ")");
        }
    }

    /** "offered | delivered | p50 | p99" of one INTERACTIVE command every 100 ms for 20 s. */
    private static String unloaded() throws Exception {
        try (SimRig r = rig(SchedulerConfig.builder().window(LIMIT, 1, LIMIT).build(), DEVICES)) {
            List<Integer> nwks = new ArrayList<>(r.joined.values());
            List<Long> lat = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long start = r.now();
                r.radio.send(OutgoingMessage.unicast(nwks.get(i % nwks.size()), 1, 0x0006, on(i)))
                        .whenComplete((v, t) -> {
                            if (t == null) {
                                lat.add(r.now() - start);
                            }
                        });
                r.advance(Duration.ofMillis(100));
            }
            r.advance(Duration.ofSeconds(2));
            lat.sort(null);
            return "200 | " + lat.size() + " | " + pct(lat, 0.5) + " | " + pct(lat, 0.99) + " | | |";
        }
    }

    private static String pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return "-";
        }
        long v = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
        return String.format(Locale.ROOT, "%.0f", v / 1e6);
    }

    /** Wedged dongle under steady traffic; the standard ladder with the GPIO reset wired to the simulator. */
    private static void recovery() throws Exception {
        Context pi4j = GpioFactory.mock();
        try (SimRig r = rig(SchedulerConfig.builder().window(LIMIT, 1, LIMIT).build(), 50)) {
            List<Integer> nwks = new ArrayList<>(r.joined.values());
            DigitalOutput line = GpioFactory.output(pi4j, "radio-reset", 17, DigitalState.HIGH, DigitalState.HIGH);
            line.addListener(e -> {
                if (e.state() == DigitalState.LOW) {
                    r.sim.faults().hang();
                } else {
                    r.sim.faults().resume();
                    r.sim.faults().reboot();
                }
            });
            ResetPin pin = new ResetPin(line, r.radioThread, Duration.ofMillis(100));
            RecoverySupervisor sup = new RecoverySupervisor("zigbee0", r.radioThread,
                    RecoverySupervisor.standardLadder(r.coordinator::softReset, pin,
                            () -> CompletableFuture.failedFuture(new IllegalStateException("in-memory link"))),
                    HealthProbe.coordinatorNodeDescriptor(r.coordinator), RecoveryConfig.DEFAULT, (s, why) -> { });
            sup.attach(r.radio);
            long[] openAt = {-1};
            long[] closedAt = {-1};
            r.radio.breaker().getEventPublisher().onStateTransition(e -> {
                CircuitBreaker.State to = e.getStateTransition().getToState();
                if ((to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) && openAt[0] < 0) {
                    openAt[0] = r.now();
                } else if (to == CircuitBreaker.State.CLOSED && openAt[0] >= 0 && closedAt[0] < 0) {
                    closedAt[0] = r.now();
                }
            });
            long hangAt = r.now() + Duration.ofSeconds(5).toNanos();
            long end = hangAt + Duration.ofSeconds(90).toNanos();
            long[] firstOk = {-1};
            boolean[] hung = {false};
            Map<RadioError, Integer> failures = new EnumMap<>(RadioError.class);
            int[] n = {0};
            Runnable[] gen = new Runnable[1];
            gen[0] = () -> {
                long now = r.now();
                if (now >= end) {
                    return;
                }
                if (!hung[0] && now >= hangAt) {
                    hung[0] = true;
                    r.sim.faults().hang();
                }
                int i = n[0]++;
                r.radio.send(OutgoingMessage.unicast(nwks.get(i % nwks.size()), 1, 0x0006, on(i))).whenComplete((v, t) -> {
                    if (t == null) {
                        if (closedAt[0] >= 0 && firstOk[0] < 0) {
                            firstOk[0] = r.now();
                        }
                    } else if (hung[0]) {
                        failures.merge(RadioException.find(t).error(), 1, Integer::sum);
                    }
                });
                r.radioThread.schedule(gen[0], Duration.ofMillis(50).toNanos());
            };
            r.radioThread.execute(gen[0]);
            r.step(Duration.ofMillis(2));
            r.advance(Duration.ofSeconds(100));
            System.out.printf(Locale.ROOT, "- Wedged dongle (steady 20 commands/s to 50 devices, hang at t = 5 s; SRSP timeout 6 s, "
                            + "breaker threshold 5; ladder soft reset -> GPIO pulse 100 ms on the pi4j mock wired to the "
                            + "simulator's reset -> reopen): breaker open %.1f s after the hang; breaker closed %.1f s after "
                            + "(recovery itself %.1f s); first delivered command %.1f s after the hang; failures meanwhile: %s; "
                            + "steps: %s%n",
                    (openAt[0] - hangAt) / 1e9, (closedAt[0] - hangAt) / 1e9,
                    sup.lastRecoveryTime() == null ? -1 : sup.lastRecoveryTime().toMillis() / 1e3,
                    (firstOk[0] - hangAt) / 1e9, failures, sup.history());
        } finally {
            pi4j.shutdown();
        }
    }
}
