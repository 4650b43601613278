package io.tetheritall.hub.bench.zigbee;

import io.tetheritall.hub.radios.link.Backoff;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.link.Links;
import io.tetheritall.hub.radios.link.SerialLink;
import io.tetheritall.hub.radios.link.pty.SocatPty;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.znp.NetworkParamsStore;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.ZnpCoordinator;
import io.tetheritall.hub.radios.znp.sim.LatencyModel;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SYS_PING round trips (SREQ → SRSP, one at a time) from {@link ZnpCoordinator#ping()} to the ZNP
 * simulator and back: in process over an {@link InMemoryLink}, over a socat pty through jssc on both
 * ends without UART pacing, and over the pty with the simulator pacing its output at 115200 baud.
 * The three run interleaved in rounds of 200 so that load changes on the shared machine hit them alike.
 *
 * <p>Run: {@code java -cp 'bench/target/classes:bench/target/lib/*' io.tetheritall.hub.bench.zigbee.PingScenario [pings]}
 */
public final class PingScenario {
    private PingScenario() {
    }

    private record Path3(String name, ZnpCoordinator coordinator, List<Long> rtts) {
    }

    public static void main(String[] args) throws Exception {
        int pings = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Files.createDirectories(Path.of("target/tmp"));
        Path dir = Files.createTempDirectory(Path.of("target/tmp").toAbsolutePath(), "ping");
        List<AutoCloseable> close = new ArrayList<>();
        Map<String, Path3> paths = new LinkedHashMap<>();

        InMemoryLink[] mem = InMemoryLink.pair("sim-mem");
        paths.put("in-process", open("in-process", mem[0], sim(0, mem[1], close), close));
        SocatPty pty = SocatPty.start(dir.resolve("pty"));
        close.add(pty);
        paths.put("pty", open("pty", Links.reconnecting(pty.hostPath().toString(), 115200, false, Backoff.DEFAULT, null),
                sim(0, new SerialLink(pty.devicePath().toString(), 115200, false), close), close));
        SocatPty pty2 = SocatPty.start(dir.resolve("pty2"));
        close.add(pty2);
        paths.put("pty, 115200 pacing", open("pty paced",
                Links.reconnecting(pty2.hostPath().toString(), 115200, false, Backoff.DEFAULT, null),
                sim(115200, new SerialLink(pty2.devicePath().toString(), 115200, false), close), close));

        // warm-up: 500 each, not counted
        for (Path3 p : paths.values()) {
            for (int i = 0; i < 500; i++) {
                p.coordinator().ping().get(5, TimeUnit.SECONDS);
            }
        }
        for (int done = 0; done < pings; done += 200) {
            for (Path3 p : paths.values()) {
                for (int i = 0; i < 200 && done + i < pings; i++) {
                    long t = System.nanoTime();
                    p.coordinator().ping().get(5, TimeUnit.SECONDS);
                    p.rtts().add(System.nanoTime() - t);
                }
            }
        }
        System.out.printf("## SYS_PING round trip, %d pings per path (interleaved rounds of 200)%n%n", pings);
        System.out.println("| path | p50 ms | p90 ms | p99 ms | max ms | vs in-process (p50) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        double base = ZigbeeRig.percentile(ZigbeeRig.sorted(paths.get("in-process").rtts()), 50);
        for (Path3 p : paths.values()) {
            long[] s = ZigbeeRig.sorted(p.rtts());
            System.out.printf("| %s | %s | %s | %s | %s | %.1fx |%n", p.name(), ZigbeeRig.ms(ZigbeeRig.percentile(s, 50)),
                    ZigbeeRig.ms(ZigbeeRig.percentile(s, 90)), ZigbeeRig.ms(ZigbeeRig.percentile(s, 99)),
                    ZigbeeRig.ms(s[s.length - 1]), ZigbeeRig.percentile(s, 50) / base);
        }
        for (int i = close.size() - 1; i >= 0; i--) {
            close.get(i).close();
        }
        System.exit(0);
    }

    private static ZnpSimulator sim(int baud, ByteLink link, List<AutoCloseable> close) throws Exception {
        ZnpSimulator s = ZnpSimulator.realTime(ZnpSimulatorConfig.builder().seed(3).deviceCount(0)
                .latency(LatencyModel.ZERO).baud(baud).bootTime(Duration.ofMillis(10)).build(), link);
        close.add(s);
        s.start();
        return s;
    }

    private static Path3 open(String name, ByteLink link, ZnpSimulator sim, List<AutoCloseable> close) throws Exception {
        ZnpCoordinator c = new ZnpCoordinator(ZnpConfig.defaults("ping-" + name.replace(' ', '-').replace(",", "")),
                link, NetworkParamsStore.inMemory(), HubClock.system());
        close.add(c);
        close.add(link);
        c.start().get(30, TimeUnit.SECONDS);
        return new Path3(name, c, new ArrayList<>());
    }
}
