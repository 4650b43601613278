package io.tetheritall.hub.daemon.wiring;

import io.tetheritall.hub.daemon.Component;
import io.tetheritall.hub.daemon.health.HealthContributor;
import io.tetheritall.hub.radios.link.SerialLink;
import io.tetheritall.hub.radios.link.pty.SocatPty;
import io.tetheritall.hub.radios.znp.sim.SimCounters;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;
import org.tinylog.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code run --simulate}: a simulated Z-Stack coordinator on one end of a socat pty pair. The hub opens
 * the other end with the same jssc {@link SerialLink} it uses for {@code /dev/ttyUSB0}, so simulate mode
 * runs the production code path, byte for byte. The simulator keeps its NV (network, paired devices) in
 * the state directory, so a restarted hub finds its simulated network again.
 */
public final class SimulatedStickComponent implements Component {
    private final Path stateDir;
    private final int devices;
    private final long seed;
    private SocatPty pty;
    private ZnpSimulator simulator;

    public SimulatedStickComponent(Path stateDir, int devices, long seed) {
        this.stateDir = stateDir;
        this.devices = devices;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "simulated-stick";
    }

    @Override
    public void start() throws Exception {
        if (!SocatPty.available()) {
            throw new IllegalStateException("--simulate needs socat to make the pty pair: apt-get install socat");
        }
        Path dir = Files.createDirectories(stateDir.resolve("simulate"));
        pty = SocatPty.start(dir.resolve("pty"));
        ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(seed)
                .devices(ZnpSimulatorConfig.population(devices)).nvFile(dir.resolve("znp-nv.txt")).build();
        simulator = ZnpSimulator.realTime(cfg, new SerialLink(pty.devicePath().toString(), 115200, false));
        simulator.start();
        Logger.info("simulated Z-Stack 3.x.0 coordinator with {} devices (seed {}) on {}", devices, seed, hostPath());
    }

    /** The tty the hub opens, like {@code /dev/ttyUSB0}. */
    public String hostPath() {
        return pty.hostPath().toString();
    }

    /** The simulator, for the pairing button and tests. */
    public ZnpSimulator simulator() {
        return simulator;
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    @Override
    public Optional<HealthContributor> health() {
        return Optional.of(HealthContributor.of("simulated-stick", () -> {
            SimCounters c = simulator.counters();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("devices", simulator.devices().size());
            m.put("tty", hostPath());
            m.put("joined", simulator.devices().stream().filter(d -> d.joined()).count());
            m.put("max_in_flight", c.maxInFlight());
            m.put("buffer_full", c.bufferFull());
            m.put("broadcast_refusals", c.broadcastRefusals());
            return Map.of("simulator", m);
        }));
    }
}
