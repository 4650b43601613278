package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.time.TaskScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static io.tetheritall.hub.radios.znp.sim.SimMt.AF;

/**
 * The simulated devices' side of the network: the population built from the seed, its NV records, each
 * device's own activity (polls, sensor reports, configured periodic reports), the ZCL frames devices handle
 * and answer, AF_INCOMING_MSG towards the host, and the indirect queue of frames waiting for a sleepy
 * device's poll. Called under the simulator's lock.
 */
final class SimPopulation extends SimComponent {
    private int afInSeq;

    /** A message waiting for a sleepy device's poll. */
    static final class Indirect {
        final Runnable deliver;
        final Runnable expire;
        TaskScheduler.Cancellable expiry;

        Indirect(Runnable deliver, Runnable expire) {
            this.deliver = deliver;
            this.expire = expire;
        }
    }

    SimPopulation(SimContext ctx) {
        super(ctx);
    }

    void buildPopulation() {
        Random r = new Random(cfg.seed() * 0x9E3779B97F4A7C15L + 17);
        Set<Long> ieees = new HashSet<>();
        Set<Integer> nwks = new HashSet<>();
        long coord;
        do {
            coord = 0x00124B0000000000L | (r.nextInt() & 0xFFFFFFFFL);
        } while (!ieees.add(coord));
        ctx.ieee = coord;
        int routers = 0;
        List<DeviceKind> kinds = cfg.devices();
        for (int i = 0; i < kinds.size(); i++) {
            long ie;
            do {
                ie = 0x00124B0000000000L | (r.nextInt() & 0xFFFFFFFFL);
            } while (!ieees.add(ie));
            int nwk;
            do {
                nwk = 1 + r.nextInt(0xFFF6);
            } while (!nwks.add(nwk));
            DeviceKind k = kinds.get(i);
            // Routers near the coordinator are one hop away; every third one sits two hops out.
            int hops = k.sleepy() ? 1 : (routers++ % 3 == 2 ? 2 : 1);
            SimDevice d = new SimDevice(i, k, ie, nwk, hops, r.nextLong());
            d.pollMillis = cfg.pollInterval().toMillis();
            ctx.devices.add(d);
            ctx.byNwk.put(nwk, d);
            ctx.byIeee.put(ie, d);
        }
    }

    /** Restores each device's membership, parent and groups from NV (absent: never joined). */
    void loadDeviceRecords() {
        for (SimDevice d : ctx.devices) {
            String rec = nv.record(devKey(d));
            if (rec == null) {
                continue;
            }
            for (String kv : rec.split(" ")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[0].equals("joined")) {
                    d.joined = p[1].equals("1");
                } else if (p.length == 2 && p[0].equals("groups") && !p[1].isEmpty()) {
                    for (String g : p[1].split(",")) {
                        d.groups.add(Integer.parseInt(g, 16));
                    }
                } else if (p.length == 2 && p[0].equals("parent")) {
                    d.parent = Integer.parseInt(p[1], 16);
                }
            }
        }
    }

    private static String devKey(SimDevice d) {
        return String.format("dev.%016x", d.ieee);
    }

    void persistDevice(SimDevice d) {
        StringBuilder g = new StringBuilder();
        for (int x : d.groups) {
            g.append(g.length() == 0 ? "" : ",").append(Integer.toHexString(x));
        }
        nv.putRecord(devKey(d), "joined=" + (d.joined ? 1 : 0) + " parent=" + Integer.toHexString(d.parent)
                + " groups=" + g);
    }

    /** A sleepy device polls its parent: everything waiting for it is delivered. */
    void poll(SimDevice d) {
        if (d.silent || !d.joined) {
            return;
        }
        long t = cfg.latency().confirmMs(rnd, d.hops);
        while (!d.indirect.isEmpty()) {
            Indirect i = d.indirect.poll();
            i.expiry.cancel();
            later(t, i.deliver);
        }
    }

    void queueIndirect(SimDevice d, Runnable deliver, Runnable expire) {
        Indirect i = new Indirect(deliver, expire);
        d.indirect.add(i);
        int e = ctx.epoch;
        i.expiry = sched.schedule(cfg.indirectHold(), () -> {
            synchronized (ctx.lock) {
                if (ctx.epoch == e && d.indirect.remove(i)) {
                    i.expire.run();
                }
            }
        });
    }

    /**
     * The device handles a ZCL frame on endpoint {@code ep}; its answers (from that endpoint) and change
     * reports (from its {@link DeviceKind#appEndpoint()}) go back to the host.
     */
    void deliverZcl(SimDevice d, int ep, int cluster, int replyEp, byte[] data, boolean groupcast) {
        if (!d.joined || d.silent) {
            return;
        }
        SimZcl.Header h = SimZcl.header(data);
        List<SimDevice.Out> out = d.handle(ep, cluster, data, groupcast, sched.nanos());
        for (SimDevice.Out o : out) {
            incoming(d, o, ep, replyEp, false);
        }
        if (h != null && !h.clusterSpecific() && h.cmd() == SimZcl.CONFIG_REPORT) {
            rescheduleReporting(d);
        }
        reportChanges(d, false);
    }

    /** Sends on-change reports for attributes the catalogue or a reporting configuration covers. */
    private void reportChanges(SimDevice d, boolean periodicOnly) {
        long now = sched.nanos();
        Map<Integer, List<Integer>> byCluster = new TreeMap<>();
        for (int[] c : d.takeChanges()) {
            SimDevice.ReportCfg rc = d.reporting.get(((long) c[0] << 16) | c[1]);
            boolean send = !periodicOnly && d.reportsOnChange(c[0], c[1]);
            if (!send && rc != null && rc.max != 0xFFFF) {
                long v = d.num(c[0], c[1]);
                long last = rc.lastValue instanceof Number n ? n.longValue() : Long.MIN_VALUE / 4;
                send = Math.abs(v - last) >= Math.max(rc.change, SimZcl.analog(rc.type) ? 1 : 0)
                        && now - rc.lastNanos >= rc.min * 1_000_000_000L;
            }
            if (send) {
                byCluster.computeIfAbsent(c[0], k -> new ArrayList<>()).add(c[1]);
                if (rc != null) {
                    rc.lastValue = d.num(c[0], c[1]);
                    rc.lastNanos = now;
                }
            }
        }
        byCluster.forEach((c, ids) -> report(d, d.report(c, ids.stream().mapToInt(Integer::intValue).toArray())));
    }

    private void report(SimDevice d, SimDevice.Out o) {
        counters.reports.incrementAndGet();
        incoming(d, o, d.kind.appEndpoint(), 1, false);
    }

    /** AF_INCOMING_MSG with the real layout (MT p.32, zigpy-znp af.py IncomingMsg), from endpoint {@code srcEp}. */
    void incoming(SimDevice d, SimDevice.Out o, int srcEp, int dstEp, boolean wasBcast) {
        if (!up() || !d.joined || d.silent) {
            return;
        }
        int macSrc = d.nwk;
        if (d.hops > 1 || d.parent != 0) {
            macSrc = d.parent != 0 ? d.parent : firstRouter(d);
        }
        long ts = (sched.nanos() - ctx.startNanos) / 1_000_000L;
        SimBytes.W w = new SimBytes.W().u16(0).u16(o.cluster()).u16(d.nwk).u8(srcEp).u8(dstEp)
                .u8(wasBcast ? 1 : 0).u8(d.lqi).u8(0).u32(ts).u8(afInSeq++ & 0xFF).u8(o.zcl().length)
                .bytes(o.zcl()).u16(macSrc).u8(30 - d.hops);
        counters.incomingMsgs.incrementAndGet();
        areq(AF, 0x81, w.done());
    }

    private int firstRouter(SimDevice self) {
        for (SimDevice d : ctx.devices) {
            if (d != self && d.joined && !d.kind.sleepy() && d.hops == 1) {
                return d.nwk;
            }
        }
        return self.nwk;
    }

    void every(SimDevice d, String name, long firstMs, long periodMs, Runnable r) {
        TaskScheduler.Cancellable old = d.tasks.remove(name);
        if (old != null) {
            old.cancel();
        }
        d.activity.put(name, r);
        d.tasks.put(name, sched.schedule(Duration.ofMillis(firstMs), () -> {
            synchronized (ctx.lock) {
                if (!d.joined) {
                    return;
                }
                if (!d.silent) {
                    r.run();
                }
                every(d, name, periodMs, periodMs, r);
            }
        }));
    }

    void startDeviceTasks(SimDevice d) {
        Random r = d.rnd;
        if (d.kind.sleepy()) {
            every(d, "poll", 1 + r.nextInt((int) Math.max(1, d.pollMillis)), d.pollMillis, () -> poll(d));
            every(d, "battery", 60_000L + r.nextInt(3_540_000), 3_600_000L,
                    () -> report(d, d.report(0x0001, 0x0020, 0x0021)));
        }
        switch (d.kind) {
            case WEATHER_SENSOR -> every(d, "climate", 5_000L + r.nextInt(55_000), 60_000L, () -> {
                d.set(0x0402, 0, clamp(d.num(0x0402, 0) + r.nextInt(41) - 20, 1500, 3000));
                d.set(0x0405, 0, clamp(d.num(0x0405, 0) + r.nextInt(201) - 100, 3000, 7000));
                d.set(0x0403, 0, clamp(d.num(0x0403, 0) + r.nextInt(3) - 1, 980, 1040));
                d.set(0x0403, 0x0010, d.num(0x0403, 0) * 10);
                d.takeChanges();
                report(d, d.report(0x0402, 0));
                report(d, d.report(0x0405, 0));
                report(d, d.report(0x0403, 0, 0x0010, 0x0014));
            });
            case MOTION_SENSOR -> {
                every(d, "motion", 20_000L + r.nextInt(70_000), 60_000L, () -> {
                    d.set(0x0406, 0, d.num(0x0406, 0) == 0 ? 1 : 0);
                    d.set(0x0400, 0, clamp(d.num(0x0400, 0) + r.nextInt(2001) - 1000, 1, 40000));
                    reportChanges(d, false);
                });
                every(d, "temperature", 30_000L + r.nextInt(270_000), 300_000L, () -> {
                    d.set(0x0402, 0, clamp(d.num(0x0402, 0) + r.nextInt(41) - 20, 1500, 3000));
                    d.takeChanges();
                    report(d, d.report(0x0402, 0));
                });
            }
            case CONTACT_SENSOR, WATER_LEAK_SENSOR -> {
                long period = d.kind == DeviceKind.CONTACT_SENSOR ? 120_000L : 1_800_000L;
                every(d, "zone", period / 4 + r.nextInt((int) period), period, () -> {
                    long status = d.num(0x0500, 2) ^ 0x0001;
                    d.set(0x0500, 2, status);
                    d.takeChanges();
                    // Zone Status Change Notification (ZCL §8.2.2.4.1): status, extended status, zone id, delay
                    counters.reports.incrementAndGet();
                    incoming(d, new SimDevice.Out(0x0500, new SimBytes.W().u8(0x19).u8(d.nextTsn()).u8(0x00)
                            .u16((int) status).u8(0).u8((int) d.num(0x0500, 0x11)).u16(0).done()), d.kind.appEndpoint(), 1, false);
                });
            }
            case METERING_PLUG -> every(d, "metering", 5_000L + r.nextInt(55_000), 60_000L, () -> {
                long power = d.num(0x0006, 0) != 0 ? 20 + r.nextInt(60) : 0;
                d.set(0x0B04, 0x050B, power);
                d.set(0x0B04, 0x0508, power * 1000 / 230);
                d.set(0x0702, 0, d.num(0x0702, 0) + power / 60);
                d.takeChanges();
                report(d, d.report(0x0B04, 0x050B));
                report(d, d.report(0x0702, 0x0000));
            });
            default -> {
            }
        }
        rescheduleReporting(d);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    void stopDeviceTasks(SimDevice d) {
        d.tasks.values().forEach(TaskScheduler.Cancellable::cancel);
        d.tasks.clear();
        for (SimDevice.ReportCfg rc : d.reporting.values()) {
            if (rc.periodic != null) {
                rc.periodic.cancel();
            }
        }
        for (Indirect i : d.indirect) {
            i.expiry.cancel();
        }
        d.indirect.clear();
    }

    /** Periodic reports at each configured maximum interval (ZCL §2.5.7.1.6). */
    private void rescheduleReporting(SimDevice d) {
        d.reporting.forEach((key, rc) -> {
            if (rc.periodic != null) {
                rc.periodic.cancel();
                rc.periodic = null;
            }
            if (rc.max > 0 && rc.max != 0xFFFF && d.joined) {
                int c = (int) (key >> 16);
                int a = (int) (key & 0xFFFF);
                every(d, "report." + key, rc.max * 1000L, rc.max * 1000L, () -> {
                    rc.lastValue = d.num(c, a);
                    rc.lastNanos = sched.nanos();
                    report(d, d.report(c, a));
                });
                rc.periodic = d.tasks.get("report." + key);
            }
        });
    }

    /** A reset drops every frame waiting for a sleepy device (the parent's RAM is lost). */
    void dropIndirect() {
        for (SimDevice d : ctx.devices) {
            for (Indirect i : d.indirect) {
                if (i.expiry != null) {
                    i.expiry.cancel();
                }
            }
            d.indirect.clear();
        }
    }
}
