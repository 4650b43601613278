package io.tetheritall.hub.bench.zigbee;

import io.tetheritall.hub.daemon.core.CoreConfig;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.radios.link.SerialLink;
import io.tetheritall.hub.radios.link.pty.SocatPty;
import io.tetheritall.hub.radios.znp.sim.DeviceKind;
import io.tetheritall.hub.radios.znp.sim.LatencyModel;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Interview time per device: the hub (over a socat pty, as with a dongle) interviews devices of every
 * kind that join one at a time, first against a simulator with zero air-time latency, UART pacing
 * off and fast polls (what is left is the hub, the MT/serial path and the simulator's own CPU), then
 * against the default latency model at 115200 baud with 1 s polls (a plausible radio).
 *
 * <p>Per device: wall time from DEVICE_JOINED to INTERVIEW_SUCCESSFUL. Hub CPU: the CPU time of the
 * hub's own threads (core timer, radio scheduler, ZNP events, MT sweeper, host link reader) over the
 * whole run divided by the number of devices; the simulator's threads (its scheduler and the device
 * end of the pty) are counted apart, and the process total (with JIT and GC) is given too.
 *
 * <p>Run: {@code java -cp 'bench/target/classes:bench/target/lib/*' io.tetheritall.hub.bench.zigbee.InterviewTimeScenario [devices]}
 */
public final class InterviewTimeScenario {
    private InterviewTimeScenario() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        System.out.printf("## Interview time per device (%d devices, %d kinds, joining one at a time)%n", n,
                DeviceKind.values().length);
        // warm-up round so that JIT compilation is not billed to the first configuration
        run("warm-up", Math.min(n, 16), LatencyModel.ZERO, 0, Duration.ofMillis(20), Duration.ofMillis(100), false);
        Duration spacing = Duration.ofMillis(Long.getLong("spacingMs", 1500));
        if (!Boolean.getBoolean("skipZero")) {
            run("zero latency, no UART pacing, 20 ms polls", n, LatencyModel.ZERO, 0, Duration.ofMillis(20), spacing,
                    true);
        }
        if (!Boolean.getBoolean("skipDefault")) {
            run("default latency model, 115200 baud, 1 s polls", n, LatencyModel.DEFAULT, 115200,
                    Duration.ofSeconds(1), spacing, true);
        }
        System.exit(0);
    }

    static void run(String label, int n, LatencyModel latency, int baud, Duration poll, Duration spacing,
                    boolean print) throws Exception {
        Files.createDirectories(Path.of("target/tmp"));
        Path dir = Files.createTempDirectory(Path.of("target/tmp").toAbsolutePath(), "interview");
        try (SocatPty pty = SocatPty.start(dir.resolve("pty"))) {
            ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(11).devices(ZnpSimulatorConfig.population(n))
                    .latency(latency).baud(baud).pollInterval(poll).joinSpacing(spacing)
                    .bootTime(Duration.ofMillis(20)).build();
            try (ZnpSimulator sim = ZnpSimulator.realTime(cfg, new SerialLink(pty.devicePath().toString(), 115200, false));
                 ZigbeeRig rig = ZigbeeRig.onSerial(pty.hostPath().toString(), dir.resolve("state"),
                         CoreConfig.defaults())) {
                sim.start();
                rig.start();
                long sim0 = ZigbeeRig.threadCpu(ZigbeeRig::simThread);
                long hub0 = ZigbeeRig.threadCpu(ZigbeeRig::hubThread);
                long proc0 = ZigbeeRig.processCpu();
                long frames0 = sim.counters().framesIn();
                long t0 = System.nanoTime();
                rig.hub.permitJoin(Duration.ofSeconds(250), null).get();
                rig.awaitCount(HubEvent.Type.INTERVIEW_SUCCESSFUL, n, Duration.ofMinutes(3));
                long wall = System.nanoTime() - t0;
                long simCpu = ZigbeeRig.threadCpu(ZigbeeRig::simThread) - sim0;
                long hubCpu = ZigbeeRig.threadCpu(ZigbeeRig::hubThread) - hub0;
                long procCpu = ZigbeeRig.processCpu() - proc0;
                long frames = sim.counters().framesIn() - frames0;
                if (!print) {
                    return;
                }
                Map<String, Long> joined = rig.first(HubEvent.Type.DEVICE_JOINED);
                Map<String, Long> done = rig.first(HubEvent.Type.INTERVIEW_SUCCESSFUL);
                Map<DeviceKind, List<Long>> byKind = new TreeMap<>();
                List<Long> all = new ArrayList<>();
                sim.devices().forEach(d -> {
                    String ieee = String.format("0x%016x", d.ieee());
                    long t = done.get(ieee) - joined.get(ieee);
                    byKind.computeIfAbsent(d.kind(), k -> new ArrayList<>()).add(t);
                    all.add(t);
                });
                System.out.printf("%n### %s%n%n", label);
                System.out.println("| kind | devices | wall p50 ms | wall max ms |");
                System.out.println("|---|---:|---:|---:|");
                byKind.forEach((k, l) -> {
                    long[] s = ZigbeeRig.sorted(l);
                    System.out.printf("| %s | %d | %s | %s |%n", k, s.length, ZigbeeRig.ms(ZigbeeRig.percentile(s, 50)),
                            ZigbeeRig.ms(s[s.length - 1]));
                });
                long[] s = ZigbeeRig.sorted(all);
                System.out.printf("| all | %d | %s | %s |%n%n", s.length, ZigbeeRig.ms(ZigbeeRig.percentile(s, 50)),
                        ZigbeeRig.ms(s[s.length - 1]));
                System.out.printf("run wall %.0f ms; MT requests from the hub %d (%.1f per device); retries/failures %d%n",
                        wall / 1e6, frames, frames / (double) n, rig.count(HubEvent.Type.INTERVIEW_FAILED));
                System.out.printf("CPU per device: hub threads %s ms, simulator threads %s ms, whole process %s ms%n",
                        ZigbeeRig.ms(hubCpu / (double) n), ZigbeeRig.ms(simCpu / (double) n),
                        ZigbeeRig.ms(procCpu / (double) n));
            }
        }
    }
}
