package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.tetheritall.hub.radios.znp.sim.SimMt.*;

/**
 * The ZDO subsystem: address and descriptor requests answered by the coordinator or the simulated node
 * (after its latency, or its next poll if sleepy), bind/unbind, management requests (LQI, routing,
 * leave, permit join), the coordinator's groups (ZDO_EXT_*) and network info. Called under the
 * simulator's lock.
 */
final class SimZdo extends SimComponent {
    private final SimPopulation population;
    private final SimJoins joins;
    private final SimAf af;
    private final SimAppCnf appCnf;
    /** The coordinator's group memberships by endpoint, kept in NV. */
    private final Map<Integer, Set<Integer>> coordGroups = new TreeMap<>();

    SimZdo(SimContext ctx, SimPopulation population, SimJoins joins, SimAf af, SimAppCnf appCnf) {
        super(ctx);
        this.population = population;
        this.joins = joins;
        this.af = af;
        this.appCnf = appCnf;
    }

    /** Handles a ZDO SREQ. Returns false for a command id this subsystem does not know. */
    boolean handle(UnpiFrame f, SimBytes.R r) {
        switch (f.command()) {
            case 0x00 -> zdoNwkAddr(f, r);
            case 0x01 -> zdoIeeeAddr(f, r);
            case 0x02 -> zdoDescriptor(f, r, 0x82);
            case 0x03 -> zdoDescriptor(f, r, 0x83);
            case 0x04 -> zdoDescriptor(f, r, 0x84);
            case 0x05 -> zdoDescriptor(f, r, 0x85);
            case 0x21, 0x22 -> zdoBind(f, r);
            case 0x23, 0x24 -> srsp(f, (byte) ST_SUCCESS);
            case 0x31 -> zdoMgmtLqi(f, r);
            case 0x32 -> {
                int dst = r.u16();
                int start = r.u8();
                srsp(f, (byte) ST_SUCCESS);
                toNode(dst, () -> areq(ZDO, 0xB2, new SimBytes.W().u16(dst).u8(ST_SUCCESS).u8(0).u8(start).u8(0).done()));
            }
            case 0x34 -> zdoMgmtLeave(f, r);
            case 0x36 -> zdoPermitJoin(f, r);
            case 0x37, 0x3E, 0x3F, 0x45, 0x4E, 0x4F -> srsp(f, (byte) ST_SUCCESS);
            case 0x40 -> appCnf.startupFromApp(f);
            case 0x47 -> {
                int ep = r.u8();
                int g = r.u16();
                Set<Integer> gs = coordGroups.get(ep);
                boolean had = gs != null && gs.remove(g);
                persistCoordGroups();
                srsp(f, (byte) (had ? ST_SUCCESS : ST_FAILURE));
            }
            case 0x48 -> {
                coordGroups.remove(r.u8());
                persistCoordGroups();
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x49 -> {
                Set<Integer> gs = coordGroups.getOrDefault(r.u8(), Set.of());
                SimBytes.W w = new SimBytes.W().u8(gs.size());
                gs.forEach(w::u16);
                srsp(f, w);
            }
            case 0x4A -> {
                int ep = r.u8();
                int g = r.u16();
                boolean has = coordGroups.getOrDefault(ep, Set.of()).contains(g);
                srsp(f, new SimBytes.W().u8(has ? ST_SUCCESS : ST_FAILURE).u16(has ? g : 0).u8(0));
            }
            case 0x4B -> {
                int ep = r.u8();
                int g = r.u16();
                boolean added = coordGroups.computeIfAbsent(ep, k -> new TreeSet<>()).add(g);
                persistCoordGroups();
                srsp(f, (byte) (added ? ST_SUCCESS : ST_FAILURE));
            }
            case 0x4C -> srsp(f, (byte) coordGroups.values().stream().mapToInt(Set::size).sum());
            case 0x50 -> {
                boolean up = ctx.devState == DEV_ZB_COORD;
                srsp(f, new SimBytes.W().u16(up ? 0x0000 : 0xFFFE).u8(ctx.devState).u16(up ? ctx.panId : 0xFFFF)
                        .u16(0xFFFE).bytes(up ? ctx.extPanLe : new byte[8]).u64(0).u8(up ? ctx.channel : 0));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code answer} as the node {@code nwk} answering a ZDO request (coordinator: at once). */
    private void toNode(int nwk, Runnable answer) {
        if (nwk == 0x0000) {
            // The coordinator answers itself at once; inside a request the frame still follows the SRSP.
            answer.run();
            return;
        }
        SimDevice d = ctx.byNwk.get(nwk);
        if (d == null || !d.joined || d.silent || !up()) {
            return; // nobody answers; the host times out as with a real stick
        }
        if (d.kind.sleepy()) {
            population.queueIndirect(d, () -> later(cfg.latency().replyMs(rnd, d.hops), answer), () -> { });
        } else {
            later(cfg.latency().replyMs(rnd, d.hops), answer);
        }
    }

    private void zdoDescriptor(UnpiFrame f, SimBytes.R r, int rspId) {
        int dst = r.u16();
        int nwkOfInterest = r.u16();
        int ep = rspId == 0x84 ? r.u8() : 0;
        srsp(f, (byte) ST_SUCCESS);
        toNode(dst, () -> areq(ZDO, rspId, describe(dst, nwkOfInterest, ep, rspId)));
    }

    private byte[] describe(int src, int nwk, int ep, int rspId) {
        SimDevice d = nwk == 0 ? null : ctx.byNwk.get(nwk);
        SimBytes.W w = new SimBytes.W().u16(src);
        if (nwk != 0 && (d == null || !d.joined)) {
            return w.u8(0x81).u16(nwk).u8(0).done(); // DEVICE_NOT_FOUND
        }
        switch (rspId) {
            case 0x82 -> {
                // node descriptor: logical type, 2.4 GHz band, MAC capabilities, manufacturer code,
                // max buffer 82, max in/out transfer 82, server mask (stack compliance rev 22), descriptor caps
                int logical = d == null ? 0 : d.kind.sleepy() ? 2 : 1;
                int cap = d == null ? 0x8F : d.capabilities();
                int mask = d == null ? 0x2C41 : 0x2C00;
                w.u8(ST_SUCCESS).u16(nwk).u8(logical).u8(0x40).u8(cap).u16(d == null ? 0 : d.kind.manufacturerCode())
                        .u8(82).u16(82).u16(mask).u16(82).u8(0);
            }
            case 0x83 -> {
                boolean battery = d != null && d.kind.sleepy();
                w.u8(ST_SUCCESS).u16(nwk).u8(battery ? 0x40 : 0x10).u8(battery ? 0xC4 : 0xC1);
            }
            case 0x85 -> {
                w.u8(ST_SUCCESS).u16(nwk);
                if (d == null) {
                    w.u8(af.endpoints.size());
                    af.endpoints.keySet().forEach(w::u8);
                } else {
                    List<DeviceKind.Endpoint> eps = d.kind.endpoints();
                    w.u8(eps.size());
                    eps.forEach(e -> w.u8(e.id()));
                }
            }
            case 0x84 -> {
                byte[] desc;
                if (d == null) {
                    byte[] reg = af.endpoints.get(ep);
                    if (reg == null) {
                        return w.u8(0x83).u16(nwk).u8(0).done(); // NOT_ACTIVE
                    }
                    desc = new byte[reg.length - 1];
                    // AF_REGISTER is EP, Profile, DevId, Ver, Latency, NIn, In, NOut, Out: drop the latency byte
                    System.arraycopy(reg, 0, desc, 0, 6);
                    System.arraycopy(reg, 7, desc, 6, reg.length - 7);
                } else {
                    DeviceKind.Endpoint e = d.kind.endpoint(ep);
                    if (e == null) {
                        return w.u8(0x82).u16(nwk).u8(0).done(); // INVALID_EP
                    }
                    SimBytes.W s = new SimBytes.W().u8(e.id()).u16(e.profile()).u16(e.deviceId()).u8(1)
                            .u8(e.inClusters().size());
                    e.inClusters().forEach(s::u16);
                    s.u8(e.outClusters().size());
                    e.outClusters().forEach(s::u16);
                    desc = s.done();
                }
                w.u8(ST_SUCCESS).u16(nwk).u8(desc.length).bytes(desc);
            }
            default -> throw new IllegalStateException();
        }
        return w.done();
    }

    private void zdoNwkAddr(UnpiFrame f, SimBytes.R r) {
        long ie = r.u64();
        r.u8();
        int start = r.u8();
        srsp(f, (byte) ST_SUCCESS);
        if (ie == ctx.ieee) {
            areq(ZDO, 0x80, new SimBytes.W().u8(ST_SUCCESS).u64(ie).u16(0).u8(start).u8(0).done());
            return;
        }
        SimDevice d = ctx.byIeee.get(ie);
        if (d != null) {
            toNode(d.nwk, () -> areq(ZDO, 0x80, new SimBytes.W().u8(ST_SUCCESS).u64(ie).u16(d.nwk).u8(start).u8(0).done()));
        }
    }

    private void zdoIeeeAddr(UnpiFrame f, SimBytes.R r) {
        int nwk = r.u16();
        r.u8();
        int start = r.u8();
        srsp(f, (byte) ST_SUCCESS);
        if (nwk == 0) {
            areq(ZDO, 0x81, new SimBytes.W().u8(ST_SUCCESS).u64(ctx.ieee).u16(0).u8(start).u8(0).done());
            return;
        }
        SimDevice d = ctx.byNwk.get(nwk);
        if (d != null) {
            toNode(nwk, () -> areq(ZDO, 0x81, new SimBytes.W().u8(ST_SUCCESS).u64(d.ieee).u16(nwk).u8(start).u8(0).done()));
        }
    }

    private void zdoBind(UnpiFrame f, SimBytes.R r) {
        int dst = r.u16();
        r.u64(); // source IEEE
        int srcEp = r.u8();
        int cluster = r.u16();
        int mode = r.u8();
        long target = r.u64(); // MT always carries 8 address bytes, even for a group
        srsp(f, (byte) ST_SUCCESS);
        boolean bind = f.command() == 0x21;
        toNode(dst, () -> {
            SimDevice d = ctx.byNwk.get(dst);
            int st = ST_SUCCESS;
            DeviceKind.Endpoint e = d == null ? null : d.kind.endpoint(srcEp);
            if (d != null && e == null) {
                st = 0x82; // INVALID_EP: the source endpoint is not one of the device's
            } else if (d != null) {
                if (!e.inClusters().contains(cluster) && !e.outClusters().contains(cluster)) {
                    st = 0x84; // NOT_SUPPORTED
                } else if (bind) {
                    d.bindings.add(new long[] {cluster, mode, target});
                } else if (!d.bindings.removeIf(b -> b[0] == cluster && b[2] == target)) {
                    st = 0x88; // NO_ENTRY
                }
            }
            areq(ZDO, bind ? 0xA1 : 0xA2, new SimBytes.W().u16(dst).u8(st).done());
        });
    }

    private void zdoMgmtLeave(UnpiFrame f, SimBytes.R r) {
        int dst = r.u16();
        long target = r.u64();
        r.u8();
        srsp(f, (byte) ST_SUCCESS);
        SimDevice d = ctx.byNwk.get(dst);
        if (d == null && dst != 0) {
            return;
        }
        SimDevice leaving = target == 0 || d != null && target == d.ieee ? d : ctx.byIeee.get(target);
        if (leaving == null) {
            return;
        }
        toNode(dst, () -> joins.leave(leaving, true));
    }

    private void zdoMgmtLqi(UnpiFrame f, SimBytes.R r) {
        int dst = r.u16();
        int start = r.u8();
        srsp(f, (byte) ST_SUCCESS);
        toNode(dst, () -> {
            List<byte[]> table = new ArrayList<>();
            SimDevice self = ctx.byNwk.get(dst);
            for (SimDevice d : ctx.devices) {
                if (!d.joined || d == self) {
                    continue;
                }
                boolean neighbour = self == null ? d.parent == 0 && d.hops == 1 : d.parent == dst;
                if (neighbour) {
                    int type = d.kind.sleepy() ? 2 : 1;
                    int rx = d.kind.sleepy() ? 0 : 1;
                    int rel = d.kind.sleepy() ? 1 : 2; // child / sibling
                    table.add(new SimBytes.W().bytes(ctx.extPanLe).u64(d.ieee).u16(d.nwk).u8(type | rx << 2 | rel << 4)
                            .u8(2).u8(1).u8(d.lqi).done());
                }
            }
            if (self != null) {
                table.add(0, new SimBytes.W().bytes(ctx.extPanLe).u64(ctx.ieee).u16(0).u8(0 | 1 << 2 | 0 << 4).u8(2).u8(0)
                        .u8(self.lqi).done());
            }
            int n = Math.max(0, Math.min(3, table.size() - start));
            SimBytes.W w = new SimBytes.W().u16(dst).u8(ST_SUCCESS).u8(table.size()).u8(start).u8(n);
            for (int i = 0; i < n; i++) {
                w.bytes(table.get(start + i));
            }
            areq(ZDO, 0xB1, w.done());
        });
    }

    private void zdoPermitJoin(UnpiFrame f, SimBytes.R r) {
        int mode = r.u8();
        int dst = r.u16();
        int duration = r.u8();
        r.u8();
        if (!up()) {
            srsp(f, (byte) ST_NWK_INVALID_REQUEST);
            return;
        }
        srsp(f, (byte) ST_SUCCESS);
        joins.permitJoin(mode, dst, duration);
    }

    /** Restores the coordinator's group memberships from NV. */
    void loadGroups() {
        String cg = nv.record("coordGroups");
        if (cg != null && !cg.isEmpty()) {
            for (String e : cg.split(",")) {
                String[] p = e.split(":");
                coordGroups.computeIfAbsent(Integer.parseInt(p[0], 16), k -> new TreeSet<>()).add(Integer.parseInt(p[1], 16));
            }
        }
    }

    /** A factory reset forgets the coordinator's groups. */
    void clearGroups() {
        coordGroups.clear();
        persistCoordGroups();
    }

    private void persistCoordGroups() {
        StringBuilder b = new StringBuilder();
        coordGroups.forEach((ep, gs) -> gs.forEach(g -> b.append(b.length() == 0 ? "" : ",")
                .append(Integer.toHexString(ep)).append(':').append(Integer.toHexString(g))));
        nv.putRecord("coordGroups", b.toString());
    }
}
