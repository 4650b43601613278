package io.tetheritall.hub.bench.zigbee;

import io.tetheritall.hub.daemon.core.CoreConfig;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.link.SerialLink;
import io.tetheritall.hub.radios.link.pty.SocatPty;
import io.tetheritall.hub.radios.znp.sim.LatencyModel;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Warm restart with 100 paired devices: from JVM start to "network up" and to the hub having loaded
 * every device.
 *
 * <p>The parent process plays the dongle: it starts a socat pty and the ZNP simulator (default latency
 * model, 115200 baud, 200 ms stick boot time) and pairs 100 devices through a first hub, which then
 * shuts down, leaving the simulator's NV (network + 100 devices) and the hub's state directory (network
 * parameters file + device repository with 100 devices). It then launches a fresh JVM {@code runs}
 * times ({@code measure} mode: the daemon's hub wiring on the same pty and state directory) and
 * collects its timings, taken from {@code RuntimeMXBean.getStartTime()} (JVM start, epoch ms) and
 * {@code System.currentTimeMillis()}.
 *
 * <p>Run: {@code java -cp 'bench/target/classes:bench/target/lib/*' io.tetheritall.hub.bench.zigbee.WarmStartScenario [runs]}
 */
public final class WarmStartScenario {
    private static final int DEVICES = 100;

    private WarmStartScenario() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("measure")) {
            measure(args[1], Path.of(args[2]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Files.createDirectories(Path.of("target/tmp"));
        Path dir = Files.createTempDirectory(Path.of("target/tmp").toAbsolutePath(), "warmstart");
        Path state = dir.resolve("state");
        try (SocatPty pty = SocatPty.start(dir.resolve("pty"))) {
            ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(9).devices(ZnpSimulatorConfig.population(DEVICES))
                    .latency(LatencyModel.DEFAULT).baud(115200).pollInterval(Duration.ofMillis(100))
                    .joinSpacing(Duration.ofMillis(5)).nvFile(dir.resolve("sim-nv.txt")).build();
            try (ZnpSimulator sim = ZnpSimulator.realTime(cfg, new SerialLink(pty.devicePath().toString(), 115200, false))) {
                sim.start();
                long t = System.nanoTime();
                try (ZigbeeRig rig = ZigbeeRig.onSerial(pty.hostPath().toString(), state, CoreConfig.defaults())) {
                    rig.start();
                    rig.hub.permitJoin(Duration.ofSeconds(250), null).get();
                    rig.awaitCount(HubEvent.Type.INTERVIEW_SUCCESSFUL, DEVICES, Duration.ofMinutes(5));
                    rig.hub.permitJoin(Duration.ZERO, null).get();
                }
                System.out.printf("## Warm restart with %d paired devices%n%n(prepared: %d devices paired in %.1f s; "
                        + "simulator NV %d bytes, device repository in %s)%n%n", DEVICES, DEVICES,
                        (System.nanoTime() - t) / 1e9, Files.size(dir.resolve("sim-nv.txt")), state);
                String java = ProcessHandle.current().info().command().orElse("java");
                Path jsa = dir.resolve("hub-cds.jsa");
                // one run that writes a dynamic AppCDS archive of the classes a warm start loads (not counted)
                child(java, List.of("-XX:ArchiveClassesAtExit=" + jsa), pty.hostPath().toString(), state, new ArrayList<>());
                List<String> modes = List.of("plain JVM", "AppCDS archive (-XX:SharedArchiveFile)");
                java.util.Map<String, List<String>> rows = new java.util.LinkedHashMap<>();
                java.util.Map<String, List<String>> breakdowns = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= runs; i++) { // interleaved, so that load changes hit both alike
                    for (String mode : modes) {
                        List<String> flags = mode.startsWith("plain") ? List.of() : List.of("-XX:SharedArchiveFile=" + jsa);
                        rows.computeIfAbsent(mode, k -> new ArrayList<>()).add("| " + i + " "
                                + child(java, flags, pty.hostPath().toString(), state,
                                breakdowns.computeIfAbsent(mode, k -> new ArrayList<>())));
                    }
                }
                for (String mode : modes) {
                    System.out.printf("%n### %s%n%n", mode);
                    System.out.println("| run | JVM start -> main ms | main -> 100 devices loaded ms | main -> network up "
                            + "(start() done) ms | JVM start -> network up ms | process CPU ms |");
                    System.out.println("|---:|---:|---:|---:|---:|---:|");
                    rows.get(mode).forEach(System.out::println);
                    System.out.println();
                    breakdowns.get(mode).forEach(b -> System.out.println("    " + b));
                }
                System.out.printf("%njoins seen by the simulator after preparing: %d (of %d devices)%n",
                        sim.counters().joins(), DEVICES);
            }
        }
        System.exit(0);
    }

    /** Runs one measuring JVM; returns its table row, collects its breakdown line. */
    private static String child(String java, List<String> flags, String hostPath, Path state, List<String> breakdowns)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(flags);
        cmd.addAll(List.of("-Dtinylog.writer.level=off", "-cp", jarsOnly(System.getProperty("java.class.path")),
                WarmStartScenario.class.getName(), "measure", hostPath, state.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line);
            }
        }
        p.waitFor();
        out.stream().filter(l -> l.startsWith("BREAKDOWN")).forEach(breakdowns::add);
        return out.stream().filter(l -> l.startsWith("|")).findFirst()
                .orElseThrow(() -> new IllegalStateException("measure run failed: " + out));
    }

    /**
     * The class path with each {@code target/classes} directory replaced by the module's jar next to it: a
     * CDS archive refuses non-empty directories on the class path (and the daemon runs from jars anyway).
     */
    static String jarsOnly(String classPath) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (String e : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isDirectory(p) && p.getFileName().toString().equals("classes")) {
                try (var s = Files.list(p.getParent())) {
                    var jar = s.filter(j -> j.toString().endsWith(".jar") && !j.toString().endsWith("-tests.jar"))
                            .findFirst();
                    if (jar.isPresent()) {
                        out.add(jar.get().toAbsolutePath().toString());
                        continue;
                    }
                }
            }
            out.add(p.toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    /** One warm start in this (fresh) JVM; prints one table row. */
    static void measure(String hostPath, Path state) throws Exception {
        long mainAt = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        // the costs of the pieces, touched one by one in wiring order (class loading + static init)
        long a = System.nanoTime();
        io.tetheritall.hub.radios.link.Links.class.getName();
        io.tetheritall.hub.radios.znp.ZnpConfig.defaults("x").hashCode();
        long b = System.nanoTime();
        io.tetheritall.hub.radios.scheduler.RadioBreakers.class.getName();
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.ofDefaults();
        long c = System.nanoTime();
        io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry.builtIn();
        long d = System.nanoTime();
        new com.fasterxml.jackson.databind.ObjectMapper().hashCode();
        long d2 = System.nanoTime();
        new io.tetheritall.hub.daemon.core.registry.JsonFileDeviceRepository(state).hashCode();
        long e = System.nanoTime();
        System.out.printf("BREAKDOWN (class loading + init, first touch) links+ZNP %d ms, resilience4j %d ms, "
                        + "definitions %d ms, Jackson ObjectMapper %d ms, reading devices.json (100 devices) %d ms%n",
                (b - a) / 1_000_000, (c - b) / 1_000_000, (d - c) / 1_000_000, (d2 - d) / 1_000_000,
                (e - d2) / 1_000_000);
        ZigbeeRig rig = ZigbeeRig.onSerial(hostPath, state, CoreConfig.defaults());
        List<DeviceView> devices = rig.hub.devices();
        long loadedAt = System.currentTimeMillis();
        if (devices.size() != DEVICES || devices.stream().anyMatch(v -> !"SUCCESSFUL".equals(v.interview()))) {
            throw new IllegalStateException("expected " + DEVICES + " interviewed devices, got " + devices.size());
        }
        NetworkInfo net = rig.start();
        long upAt = System.currentTimeMillis();
        if (net.formed()) {
            throw new IllegalStateException("the network was formed again instead of restored");
        }
        long cpu = ZigbeeRig.processCpu();
        System.out.printf("| %d | %d | %d | %d | %d |%n", mainAt - jvmStart, loadedAt - mainAt, upAt - mainAt,
                upAt - jvmStart, cpu / 1_000_000);
        rig.close();
        System.exit(0);
    }
}
