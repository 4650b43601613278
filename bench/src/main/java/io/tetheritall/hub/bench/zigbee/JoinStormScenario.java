package io.tetheritall.hub.bench.zigbee;

import io.tetheritall.hub.daemon.core.CoreConfig;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.radios.link.SerialLink;
import io.tetheritall.hub.radios.link.pty.SocatPty;
import io.tetheritall.hub.radios.znp.sim.LatencyModel;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A join storm: {@code n} devices (every kind, cycling) waiting to join when the hub permits joining;
 * the simulator lets them in 1 ms apart. Measures the time from the permit-join call to the last
 * INTERVIEW_SUCCESSFUL, over a socat pty, with the hub's default timing policy (CoreConfig and
 * SchedulerConfig defaults). Two simulated radios: zero latency with no UART pacing and 20 ms polls
 * (the hub's own limit), and the default latency model at 115200 baud with 1 s polls.
 *
 * <p>Run: {@code java -cp 'bench/target/classes:bench/target/lib/*' io.tetheritall.hub.bench.zigbee.JoinStormScenario [n]}
 */
public final class JoinStormScenario {
    private JoinStormScenario() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        System.out.printf("## %d devices joining at once to ready%n", n);
        run("warm-up", 16, LatencyModel.ZERO, 0, Duration.ofMillis(20), false);
        run("zero latency, no UART pacing, 20 ms polls", n, LatencyModel.ZERO, 0, Duration.ofMillis(20), true);
        if (Boolean.getBoolean("zeroOnly")) {
            System.exit(0);
        }
        run("default latency model, 115200 baud, 1 s polls", n, LatencyModel.DEFAULT, 115200, Duration.ofSeconds(1), true);
        System.exit(0);
    }

    static void run(String label, int n, LatencyModel latency, int baud, Duration poll, boolean print) throws Exception {
        Files.createDirectories(Path.of("target/tmp"));
        Path dir = Files.createTempDirectory(Path.of("target/tmp").toAbsolutePath(), "storm");
        try (SocatPty pty = SocatPty.start(dir.resolve("pty"))) {
            ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(5).devices(ZnpSimulatorConfig.population(n))
                    .latency(latency).baud(baud).pollInterval(poll).joinSpacing(Duration.ofMillis(Long.getLong("spacingMs", 1)))
                    .bootTime(Duration.ofMillis(20)).build();
            try (ZnpSimulator sim = ZnpSimulator.realTime(cfg, new SerialLink(pty.devicePath().toString(), 115200, false));
                 ZigbeeRig rig = ZigbeeRig.onSerial(pty.hostPath().toString(), dir.resolve("state"),
                         CoreConfig.defaults())) {
                sim.start();
                rig.start();
                long hub0 = ZigbeeRig.threadCpu(ZigbeeRig::hubThread);
                long sim0 = ZigbeeRig.threadCpu(ZigbeeRig::simThread);
                long t0 = System.nanoTime();
                rig.hub.permitJoin(Duration.ofSeconds(250), null).get();
                rig.awaitCount(HubEvent.Type.DEVICE_JOINED, n, Duration.ofMinutes(1));
                long allJoined = System.nanoTime() - t0;
                rig.awaitCount(HubEvent.Type.INTERVIEW_SUCCESSFUL, n, Duration.ofMinutes(5));
                long wall = System.nanoTime() - t0;
                long hubCpu = ZigbeeRig.threadCpu(ZigbeeRig::hubThread) - hub0;
                long simCpu = ZigbeeRig.threadCpu(ZigbeeRig::simThread) - sim0;
                if (!print) {
                    return;
                }
                Map<String, Long> joined = rig.first(HubEvent.Type.DEVICE_JOINED);
                Map<String, Long> done = rig.first(HubEvent.Type.INTERVIEW_SUCCESSFUL);
                List<Long> per = new ArrayList<>();
                List<Long> readyAt = new ArrayList<>();
                done.forEach((ieee, t) -> {
                    per.add(t - joined.get(ieee));
                    readyAt.add(t - t0);
                });
                long[] p = ZigbeeRig.sorted(per);
                long[] r = ZigbeeRig.sorted(readyAt);
                System.out.printf("%n### %s%n", label);
                System.out.printf("all %d joined after %s ms; all ready after **%s ms**; half ready after %s ms%n", n,
                        ZigbeeRig.ms(allJoined), ZigbeeRig.ms(wall), ZigbeeRig.ms(ZigbeeRig.percentile(r, 50)));
                System.out.printf("per-device interview (joined -> successful): p50 %s ms, p90 %s ms, max %s ms%n",
                        ZigbeeRig.ms(ZigbeeRig.percentile(p, 50)), ZigbeeRig.ms(ZigbeeRig.percentile(p, 90)),
                        ZigbeeRig.ms(p[p.length - 1]));
                System.out.printf("interview retries (INTERVIEW_FAILED) %d; sim BUFFER_FULL %d, max AF in flight %d, "
                                + "MAC transaction expired %d; CPU: hub threads %s ms, simulator threads %s ms%n",
                        rig.count(HubEvent.Type.INTERVIEW_FAILED), sim.counters().bufferFull(),
                        sim.counters().maxInFlight(), sim.counters().transactionExpired(), ZigbeeRig.ms(hubCpu),
                        ZigbeeRig.ms(simCpu));
            }
        }
    }
}
