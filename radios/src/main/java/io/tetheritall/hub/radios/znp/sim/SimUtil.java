package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.util.ArrayList;
import java.util.List;

import static io.tetheritall.hub.radios.znp.sim.SimMt.*;

/** The UTIL subsystem: device info, time alive, address lookups and the association table. Called under the simulator's lock. */
final class SimUtil extends SimComponent {

    SimUtil(SimContext ctx) {
        super(ctx);
    }

    /** Handles a UTIL SREQ. Returns false for a command id this subsystem does not know. */
    boolean handle(UnpiFrame f, SimBytes.R r) {
        switch (f.command()) {
            case 0x00 -> deviceInfo(f);
            case 0x06, 0x0A, 0x63, 0x64 -> srsp(f, (byte) ST_SUCCESS);
            case 0x09 -> srsp(f, new SimBytes.W().u32((sched.nanos() - ctx.startNanos) / 1_000_000_000L));
            case 0x40 -> {
                SimDevice d = ctx.byIeee.get(r.u64());
                srsp(f, new SimBytes.W().u16(d != null && d.joined ? d.nwk : 0xFFFE));
            }
            case 0x41 -> {
                SimDevice d = ctx.byNwk.get(r.u16());
                srsp(f, new SimBytes.W().u64(d != null && d.joined ? d.ieee : 0));
            }
            case 0x4A -> assocGet(f, r);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void deviceInfo(UnpiFrame f) {
        List<Integer> children = new ArrayList<>();
        for (SimDevice d : ctx.devices) {
            if (d.joined && d.parent == 0 && children.size() < 100) {
                children.add(d.nwk);
            }
        }
        boolean configured = nv.get(NV_NIB) != null;
        SimBytes.W w = new SimBytes.W().u8(ST_SUCCESS).u64(ctx.ieee).u16(up() || configured ? 0x0000 : 0xFFFE)
                .u8(0x07).u8(ctx.devState).u8(children.size());
        children.forEach(w::u16);
        srsp(f, w);
    }

    private void assocGet(UnpiFrame f, SimBytes.R r) {
        long ie = r.u64();
        int nwk = r.u16();
        SimDevice d = ctx.byIeee.get(ie);
        if (d == null) {
            d = ctx.byNwk.get(nwk);
        }
        SimBytes.W w = new SimBytes.W();
        if (d == null || !d.joined || d.parent != 0) {
            w.u16(0xFFFE).u16(0xFFFF).u8(0xFF).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0).u16(0);
        } else {
            // associated_devices_t: shortAddr, addrIdx, nodeRelation (1 RFD child, 4 FFD rx-on-idle child),
            // devStatus, assocCnt, age, linkInfo {txCounter, txCost, rxLqi, inKeySeqNum, inFrmCntr, txFailure}
            w.u16(d.nwk).u16(d.index).u8(d.kind.sleepy() ? 1 : 4).u8(0).u8(1).u8(0)
                    .u8(0).u8(1).u8(d.lqi).u8(0).u32(0).u16(0);
        }
        srsp(f, w);
    }
}
