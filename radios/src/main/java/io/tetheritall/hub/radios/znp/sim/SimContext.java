package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.time.TaskScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tetheritall.hub.radios.znp.sim.SimMt.DEV_HOLD;
import static io.tetheritall.hub.radios.znp.sim.SimMt.DEV_ZB_COORD;

/**
 * What the simulator's parts share: configuration, scheduler, the one seeded random source, NV, counters,
 * the wire to the host, the device population and the coordinator's RAM state. Every mutable field is
 * guarded by {@link #lock} (the {@link ZnpSimulator} itself, whose public methods synchronize on it).
 */
final class SimContext {
    final ZnpSimulatorConfig cfg;
    final TaskScheduler sched;
    /** The seeded source every random draw of the simulator comes from, in a fixed order per seed. */
    final Random rnd;
    final SimNv nv;
    final SimCounters counters;
    final SimWire wire;
    final Object lock;
    final long startNanos;

    // the population, in configuration order, and by address
    final List<SimDevice> devices = new ArrayList<>();
    final Map<Integer, SimDevice> byNwk = new HashMap<>();
    final Map<Long, SimDevice> byIeee = new LinkedHashMap<>();

    // coordinator state (RAM, lost on reset unless in NV)
    long ieee;
    int devState = DEV_HOLD;
    /** Incremented by every reset: delayed events of an earlier epoch are dropped. */
    int epoch;
    int panId = 0xFFFF;
    int channel;
    byte[] extPanLe = new byte[8];

    SimContext(ZnpSimulatorConfig cfg, TaskScheduler sched, SimNv nv, SimCounters counters, SimWire wire, Object lock) {
        this.cfg = cfg;
        this.sched = sched;
        this.rnd = new Random(cfg.seed());
        this.nv = nv;
        this.counters = counters;
        this.wire = wire;
        this.lock = lock;
        this.startNanos = sched.nanos();
    }

    /** Runs {@code r} after {@code ms} unless the stick reset in between. */
    void later(long ms, Runnable r) {
        int e = epoch;
        sched.schedule(Duration.ofMillis(ms), () -> {
            synchronized (lock) {
                if (epoch == e) {
                    r.run();
                }
            }
        });
    }

    /** Whether the network is up (the coordinator is running). */
    boolean up() {
        return devState == DEV_ZB_COORD;
    }
}
