package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

import static io.tetheritall.hub.radios.znp.sim.SimMt.*;

/**
 * The AF subsystem: endpoint registration, data requests (unicast, group, broadcast, to sleepy devices)
 * and their confirms, with the stick's limits: requests in flight (BUFFER_FULL beyond
 * {@link ZnpSimulatorConfig#inFlightLimit()}) and the broadcast transaction table. Called under the
 * simulator's lock.
 */
final class SimAf extends SimComponent {
    private final SimPopulation population;
    /** The host's registered endpoints (AF_REGISTER payloads), lost on reset. */
    final Map<Integer, byte[]> endpoints = new TreeMap<>();
    /** When each broadcast in the transaction table expires (clock nanos). */
    private final ArrayDeque<Long> broadcastTable = new ArrayDeque<>();
    /** Fault: AF_DATA_CONFIRMs are swallowed (the stack still frees their buffers). */
    boolean dropConfirms;

    SimAf(SimContext ctx, SimPopulation population) {
        super(ctx);
        this.population = population;
    }

    /** Handles an AF SREQ. Returns false for a command id this subsystem does not know. */
    boolean handle(UnpiFrame f, SimBytes.R r) {
        switch (f.command()) {
            case 0x00 -> afRegister(f, r);
            case 0x01 -> {
                int dst = r.u16();
                int dstEp = r.u8();
                int srcEp = r.u8();
                int cluster = r.u16();
                int trans = r.u8();
                r.u8(); // options
                r.u8(); // radius
                int len = r.u8();
                byte[] data = r.bytes(len);
                int mode = dst >= 0xFFF8 ? 0x0F : 0x02;
                afData(f, mode, dst, dstEp, srcEp, cluster, trans, data);
            }
            case 0x02 -> {
                int mode = r.u8();
                long dst = r.u64();
                int dstEp = r.u8();
                r.u16(); // dst PAN (inter-PAN unsupported)
                int srcEp = r.u8();
                int cluster = r.u16();
                int trans = r.u8();
                r.u8();
                r.u8();
                int len = r.u16();
                byte[] data = r.bytes(len);
                if (mode == 0x03) {
                    SimDevice d = ctx.byIeee.get(dst);
                    afData(f, 0x02, d == null ? 0xFFFE : d.nwk, dstEp, srcEp, cluster, trans, data);
                } else {
                    afData(f, mode, (int) (dst & 0xFFFF), dstEp, srcEp, cluster, trans, data);
                }
            }
            case 0x04 -> srsp(f, (byte) (endpoints.remove(r.u8()) != null ? ST_SUCCESS : ST_INVALID_PARAMETER));
            case 0x10 -> srsp(f, (byte) ST_SUCCESS);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void afRegister(UnpiFrame f, SimBytes.R r) {
        byte[] desc = f.data();
        int ep = r.u8();
        r.u16();
        r.u16();
        r.u8();
        r.u8();
        int nIn = r.u8();
        r.bytes(2 * nIn);
        int nOut = r.u8();
        r.bytes(2 * nOut);
        if (endpoints.containsKey(ep)) {
            srsp(f, (byte) ST_APS_DUPLICATE);
            return;
        }
        endpoints.put(ep, desc);
        srsp(f, (byte) ST_SUCCESS);
    }

    private void afData(UnpiFrame f, int mode, int dst, int dstEp, int srcEp, int cluster, int trans, byte[] data) {
        counters.afRequests.incrementAndGet();
        if (!up()) {
            srsp(f, (byte) ST_NWK_INVALID_REQUEST);
            return;
        }
        if (counters.inFlight() >= cfg.inFlightLimit()) {
            counters.bufferFull.incrementAndGet();
            srsp(f, (byte) ST_BUFFER_FULL);
            return;
        }
        boolean groupcast = mode == 0x01 || mode == 0x0F || dst >= 0xFFF8;
        if (groupcast) {
            long now = sched.nanos();
            while (!broadcastTable.isEmpty() && broadcastTable.peek() <= now) {
                broadcastTable.poll();
            }
            if (broadcastTable.size() >= cfg.broadcastTableSize()) {
                counters.broadcastRefusals.incrementAndGet();
                srsp(f, (byte) ZnpSimulator.BROADCAST_REFUSED_STATUS);
                return;
            }
            broadcastTable.add(now + cfg.broadcastHold().toNanos());
            counters.broadcasts.incrementAndGet();
        }
        srsp(f, (byte) ST_SUCCESS);
        counters.inFlightUp();
        if (groupcast) {
            long conf = cfg.latency().confirmMs(rnd, 1);
            long reply = Math.max(conf, cfg.latency().replyMs(rnd, 1));
            later(conf, () -> confirm(ST_SUCCESS, srcEp, trans));
            later(reply, () -> {
                for (SimDevice d : ctx.devices) {
                    if (!d.joined || d.silent || d.kind.sleepy()) {
                        continue; // sleepy devices are neither group members nor awake for broadcasts here
                    }
                    boolean member = mode == 0x01 ? d.groups.contains(dst) && (dstEp == 0xFF || d.hasEndpoint(dstEp))
                            : dst == 0xFFFF || dst == 0xFFFD || dst == 0xFFFC;
                    if (member) {
                        population.deliverZcl(d, d.endpointFor(dstEp), cluster, srcEp, data, true);
                    }
                }
            });
            return;
        }
        SimDevice d = ctx.byNwk.get(dst);
        if (dst == 0x0000) {
            later(cfg.latency().confirmMs(rnd, 0), () -> confirm(ST_SUCCESS, srcEp, trans));
            return;
        }
        if (d == null || !d.joined || (d.silent && !d.kind.sleepy())) {
            // MAC retries (macMaxFrameRetries 3) before giving up: about three times the usual wait
            long t = 3 * cfg.latency().confirmMs(rnd, d == null ? 1 : d.hops);
            later(t, () -> {
                counters.macNoAck.incrementAndGet();
                confirm(ST_MAC_NO_ACK, srcEp, trans);
            });
            return;
        }
        if (d.kind.sleepy()) {
            if (d.indirect.size() >= 3) {
                // MAC_TRANSACTION_OVERFLOW: the parent holds at most 3 frames per child
                later(cfg.latency().confirmMs(rnd, 1), () -> {
                    counters.transactionOverflow.incrementAndGet();
                    confirm(ST_MAC_TRANSACTION_OVERFLOW, srcEp, trans);
                });
                return;
            }
            population.queueIndirect(d, () -> {
                confirm(ST_SUCCESS, srcEp, trans);
                if (!d.hasEndpoint(dstEp) && dstEp != 0xFF) {
                    return;
                }
                later(cfg.latency().replyMs(rnd, d.hops),
                        () -> population.deliverZcl(d, d.endpointFor(dstEp), cluster, srcEp, data, false));
            }, () -> {
                counters.transactionExpired.incrementAndGet();
                confirm(ST_MAC_TRANSACTION_EXPIRED, srcEp, trans);
            });
            return;
        }
        long conf = cfg.latency().confirmMs(rnd, d.hops);
        long reply = Math.max(conf, cfg.latency().replyMs(rnd, d.hops));
        later(conf, () -> confirm(ST_SUCCESS, srcEp, trans));
        if (d.hasEndpoint(dstEp) || dstEp == 0xFF) {
            later(reply, () -> population.deliverZcl(d, d.endpointFor(dstEp), cluster, srcEp, data, false));
        } // else: MAC-acked, then dropped by the device's APS layer (no such endpoint), as on air
    }

    private void confirm(int status, int srcEp, int trans) {
        counters.inFlightDown();
        if (dropConfirms) {
            counters.confirmsDropped.incrementAndGet();
            return;
        }
        counters.confirms.incrementAndGet();
        areq(AF, 0x80, new byte[] {(byte) status, (byte) srcEp, (byte) trans});
    }

    /** A reset frees every buffer: no endpoints, no broadcasts, nothing in flight. */
    void halt() {
        endpoints.clear();
        broadcastTable.clear();
        counters.inFlight.set(0);
    }
}
