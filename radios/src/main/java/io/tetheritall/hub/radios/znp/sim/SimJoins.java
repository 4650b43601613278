package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.time.TaskScheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.tetheritall.hub.radios.znp.sim.SimMt.*;

/**
 * Joining and leaving: where joining is permitted (the coordinator, routers) and until when, the
 * seeded schedule of joins while it is, TC_DEV_IND / END_DEVICE_ANNCE for each join and LEAVE_IND
 * for each leave. Called under the simulator's lock.
 */
final class SimJoins extends SimComponent {
    private final SimPopulation population;
    private long coordPermitUntil = Long.MIN_VALUE;
    private final Map<Integer, Long> routerPermitUntil = new HashMap<>();
    private TaskScheduler.Cancellable joinTask;

    SimJoins(SimContext ctx, SimPopulation population) {
        super(ctx);
        this.population = population;
    }

    void permitCoordinator(int seconds) {
        long now = sched.nanos();
        coordPermitUntil = seconds == 0 ? Long.MIN_VALUE : seconds == 0xFF ? Long.MAX_VALUE : now + seconds * 1_000_000_000L;
        areq(ZDO, 0xCB, new byte[] {(byte) seconds});
        scheduleJoins();
    }

    private boolean permitted(long now) {
        if (coordPermitUntil > now) {
            return true;
        }
        return routerPermitUntil.entrySet().stream().anyMatch(e -> e.getValue() > now && routerAlive(e.getKey()));
    }

    boolean routerAlive(int nwk) {
        SimDevice r = ctx.byNwk.get(nwk);
        return r != null && r.joined && !r.silent && !r.kind.sleepy();
    }

    void scheduleJoins() {
        if (joinTask != null || !up()) {
            return;
        }
        long now = sched.nanos();
        if (!permitted(now) || ctx.devices.stream().noneMatch(d -> !d.joined && !d.silent)) {
            return;
        }
        long ms = cfg.joinSpacing().toMillis();
        long delay = ms / 2 + (ms == 0 ? 0 : rnd.nextInt((int) ms));
        int e = ctx.epoch;
        joinTask = sched.schedule(Duration.ofMillis(delay), () -> {
            synchronized (ctx.lock) {
                joinTask = null;
                if (ctx.epoch == e) {
                    joinOne();
                    scheduleJoins();
                }
            }
        });
    }

    private void joinOne() {
        long now = sched.nanos();
        if (!up() || !permitted(now)) {
            return;
        }
        for (SimDevice d : ctx.devices) {
            if (d.joined || d.silent) {
                continue;
            }
            int parent = 0;
            if (coordPermitUntil <= now) {
                for (Map.Entry<Integer, Long> en : routerPermitUntil.entrySet()) {
                    if (en.getValue() > now && routerAlive(en.getKey())) {
                        parent = en.getKey();
                        break;
                    }
                }
            }
            d.joined = true;
            d.parent = parent;
            population.persistDevice(d);
            counters.joins.incrementAndGet();
            areq(ZDO, 0xCA, new SimBytes.W().u16(d.nwk).u64(d.ieee).u16(parent).done());
            areq(ZDO, 0xC1, new SimBytes.W().u16(d.nwk).u16(d.nwk).u64(d.ieee).u8(d.capabilities()).done());
            population.startDeviceTasks(d);
            return;
        }
    }

    void leave(SimDevice d, boolean viaMgmt) {
        if (!d.joined) {
            return;
        }
        d.joined = false;
        population.stopDeviceTasks(d);
        population.persistDevice(d);
        counters.leaves.incrementAndGet();
        if (viaMgmt) {
            areq(ZDO, 0xB4, new SimBytes.W().u16(d.nwk).u8(ST_SUCCESS).done());
        }
        if (up()) {
            areq(ZDO, 0xC9, new SimBytes.W().u16(d.nwk).u64(d.ieee).u8(0).u8(0).u8(0).done());
        }
    }

    /**
     * ZDO_MGMT_PERMIT_JOIN, once accepted: opens joining at the routers addressed and/or at the
     * coordinator for {@code duration} seconds (0 closes, 0xFF forever) and schedules the joins.
     */
    void permitJoin(int mode, int dst, int duration) {
        long now = sched.nanos();
        long until = duration == 0 ? Long.MIN_VALUE : duration == 0xFF ? Long.MAX_VALUE : now + duration * 1_000_000_000L;
        boolean everywhere = mode == 0x0F || dst == 0xFFFF || (mode == 0x0F && dst == 0xFFFC);
        boolean coordinator = everywhere || dst == 0x0000 || dst == 0xFFFC;
        if (everywhere) {
            for (SimDevice d : ctx.devices) {
                if (d.joined && !d.kind.sleepy()) {
                    routerPermitUntil.put(d.nwk, until);
                }
            }
        } else if (dst != 0x0000 && dst != 0xFFFC) {
            if (routerAlive(dst)) {
                routerPermitUntil.put(dst, until);
                later(cfg.latency().replyMs(rnd, ctx.byNwk.get(dst).hops),
                        () -> areq(ZDO, 0xB6, new SimBytes.W().u16(dst).u8(ST_SUCCESS).done()));
            }
        }
        if (coordinator) {
            areq(ZDO, 0xB6, new SimBytes.W().u16(0x0000).u8(ST_SUCCESS).done());
            permitCoordinator(duration);
        } else {
            scheduleJoins();
        }
    }

    /** A reset closes joining everywhere and drops the pending join. */
    void halt() {
        coordPermitUntil = Long.MIN_VALUE;
        routerPermitUntil.clear();
        if (joinTask != null) {
            joinTask.cancel();
            joinTask = null;
        }
    }
}
