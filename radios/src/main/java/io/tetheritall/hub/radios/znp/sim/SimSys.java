package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.util.Arrays;

import static io.tetheritall.hub.radios.znp.sim.SimMt.*;

/**
 * The SYS subsystem: identity, extended address, random numbers, TX power, the NV items (legacy OSAL
 * items and the CC26xx extended ones) and resets: what survives one (NV) and what does not (the RAM
 * state of every other subsystem), and what Z-Stack does on boot. Called under the simulator's lock.
 */
final class SimSys extends SimComponent {
    /** Items reset to their defaults by STARTUP_OPTION bit 0 (the zgItemTable config items). */
    private static final int[] CONFIG_ITEMS = {NV_PANID, NV_CHANLIST, NV_EXTENDED_PAN_ID, NV_APS_USE_EXT_PANID,
        NV_PRECFGKEY, NV_PRECFGKEYS_ENABLE, NV_LOGICAL_TYPE, NV_ZDO_DIRECT_CB};
    /** Network state cleared by STARTUP_OPTION bit 1 (and bit 0). */
    private static final int[] STATE_ITEMS = {NV_NIB, NV_ACTIVE_KEY_INFO, NV_ALTERN_KEY_INFO};

    private final SimPopulation population;
    private final SimAf af;
    private final SimJoins joins;
    private final SimAppCnf appCnf;
    private final SimZdo zdo;

    SimSys(SimContext ctx, SimPopulation population, SimAf af, SimJoins joins, SimAppCnf appCnf, SimZdo zdo) {
        super(ctx);
        this.population = population;
        this.af = af;
        this.joins = joins;
        this.appCnf = appCnf;
        this.zdo = zdo;
    }

    /** Handles a SYS SREQ (SYS_RESET_REQ is an AREQ: see {@link #scheduleReset}). Returns false for a command id this subsystem does not know. */
    boolean handle(UnpiFrame f, SimBytes.R r) {
        switch (f.command()) {
            case 0x01 -> srsp(f, new SimBytes.W().u16(CAPABILITIES));
            case 0x02 -> srsp(f, new SimBytes.W().u8(TRANSPORT_REV).u8(PRODUCT).u8(MAJOR).u8(MINOR).u8(MAINT)
                    .u32(REVISION));
            case 0x03 -> {
                ctx.ieee = r.u64();
                nv.putRecord("ieee", Long.toHexString(ctx.ieee));
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x04 -> srsp(f, new SimBytes.W().u64(ctx.ieee));
            case 0x07 -> nvItemInit(f, r);
            case 0x08 -> nvRead(f, r.u16(), r.u8());
            case 0x09 -> {
                int id = r.u16();
                int off = r.u8();
                int len = r.u8();
                srsp(f, (byte) nvWrite(id, off, r.bytes(len)));
            }
            case 0x0C -> srsp(f, new SimBytes.W().u16(rnd.nextInt(0x10000)));
            case 0x12 -> {
                int id = r.u16();
                int len = r.u16();
                byte[] cur = nv.get(id);
                int st = cur == null ? ST_NV_ITEM_UNINIT : cur.length != len ? ST_NV_OPER_FAILED : ST_SUCCESS;
                if (st == ST_SUCCESS) {
                    nv.delete(id);
                }
                srsp(f, (byte) st);
            }
            case 0x13 -> {
                byte[] cur = nv.get(r.u16());
                srsp(f, new SimBytes.W().u16(cur == null ? 0 : cur.length));
            }
            case 0x0F -> { // SYS_STACK_TUNE (older herdsman sets TX power with it): operation, value → value
                r.u8();
                srsp(f, (byte) r.u8());
            }
            case 0x14 -> {
                r.u8();
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x1C -> nvRead(f, r.u16(), r.u16());
            case 0x1D -> {
                int id = r.u16();
                int off = r.u16();
                int len = r.u16();
                srsp(f, (byte) nvWrite(id, off, r.bytes(len)));
            }
            case 0x30 -> { // NV_CREATE sysId, itemId, subId, len(4)
                int sys = r.u8();
                int item = r.u16();
                int sub = r.u16();
                long len = r.u32();
                if (nv.getExt(sys, item, sub) == null) {
                    nv.putExt(sys, item, sub, new byte[(int) Math.min(len, 4096)]);
                }
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x31 -> srsp(f, (byte) (nv.deleteExt(r.u8(), r.u16(), r.u16()) ? ST_SUCCESS : ST_NV_OPER_FAILED));
            case 0x32 -> {
                byte[] v = nv.getExt(r.u8(), r.u16(), r.u16());
                srsp(f, new SimBytes.W().u32(v == null ? 0 : v.length));
            }
            case 0x33 -> {
                byte[] v = nv.getExt(r.u8(), r.u16(), r.u16());
                int off = r.u16();
                int len = r.u8();
                if (v == null || off > v.length) {
                    srsp(f, (byte) ST_NV_OPER_FAILED, (byte) 0);
                } else {
                    int n = Math.min(Math.min(len, v.length - off), 244);
                    srsp(f, new SimBytes.W().u8(ST_SUCCESS).u8(n).bytes(Arrays.copyOfRange(v, off, off + n)));
                }
            }
            case 0x34 -> {
                int sys = r.u8();
                int item = r.u16();
                int sub = r.u16();
                int off = r.u16();
                int len = r.u8();
                byte[] data = r.bytes(len);
                byte[] v = nv.getExt(sys, item, sub);
                if (v == null) {
                    srsp(f, (byte) ST_NV_OPER_FAILED);
                } else {
                    byte[] nvv = Arrays.copyOf(v, Math.max(v.length, off + len));
                    System.arraycopy(data, 0, nvv, off, len);
                    nv.putExt(sys, item, sub, nvv);
                    srsp(f, (byte) ST_SUCCESS);
                }
            }
            case 0x35 -> {
                int sys = r.u8();
                int item = r.u16();
                int sub = r.u16();
                int len = r.u8();
                nv.putExt(sys, item, sub, r.bytes(len));
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x36 -> srsp(f, (byte) ST_SUCCESS);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void nvItemInit(UnpiFrame f, SimBytes.R r) {
        int id = r.u16();
        int len = r.u16();
        int initLen = r.u8();
        byte[] init = r.bytes(Math.min(initLen, r.remaining()));
        if (nv.has(id)) {
            srsp(f, (byte) ST_SUCCESS); // "0x00 item already exists"
            return;
        }
        if (len == 0 || len > 2048) {
            srsp(f, (byte) ST_NV_OPER_FAILED);
            return;
        }
        byte[] v = new byte[len];
        System.arraycopy(init, 0, v, 0, Math.min(len, init.length));
        nv.put(id, v);
        srsp(f, (byte) ST_NV_ITEM_UNINIT); // "0x09 created and initialised" (MT p.87)
    }

    private void nvRead(UnpiFrame f, int id, int off) {
        byte[] v = nv.get(id);
        if (v == null || off > v.length) {
            srsp(f, (byte) ST_INVALID_PARAMETER, (byte) 0);
            return;
        }
        int n = Math.min(v.length - off, 248); // MT payload limit: 250 - status - len
        srsp(f, new SimBytes.W().u8(ST_SUCCESS).u8(n).bytes(Arrays.copyOfRange(v, off, off + n)));
    }

    private int nvWrite(int id, int off, byte[] data) {
        byte[] v = nv.get(id);
        if (v == null) {
            return ST_NV_ITEM_UNINIT;
        }
        if (off + data.length > v.length) {
            return ST_NV_OPER_FAILED;
        }
        byte[] nvv = v.clone();
        System.arraycopy(data, 0, nvv, off, data.length);
        nv.put(id, nvv);
        return ST_SUCCESS;
    }

    /** NV of a stick fresh from the flasher: Z-Stack's default config items, no network. */
    void factoryDefaults() {
        nv.put(NV_STARTUP_OPTION, new byte[] {0});
        configDefaults();
        byte[] seed = new byte[16];
        rnd.nextBytes(seed);
        nv.put(NV_TCLK_SEED, seed);
        // ZCD_NV_NWKKEY always exists on a real stick; herdsman reads its length (21 unaligned,
        // 24 aligned) to learn the platform's struct alignment before anything else.
        nv.put(NV_NWKKEY, new byte[24]);
    }

    private void configDefaults() {
        nv.put(NV_PANID, new byte[] {(byte) 0xFF, (byte) 0xFF});
        nv.put(NV_CHANLIST, new byte[] {0x00, 0x08, 0x00, 0x00});
        nv.put(NV_EXTENDED_PAN_ID, new byte[8]);
        nv.put(NV_APS_USE_EXT_PANID, new byte[8]);
        nv.put(NV_PRECFGKEY, DEFAULT_KEY);
        nv.put(NV_PRECFGKEYS_ENABLE, new byte[] {0});
        nv.put(NV_LOGICAL_TYPE, new byte[] {0});
        nv.put(NV_ZDO_DIRECT_CB, new byte[] {0});
    }

    void scheduleReset(int reason) {
        ctx.epoch++;
        haltNetwork();
        sched.schedule(cfg.bootTime(), () -> {
            synchronized (ctx.lock) {
                boot(reason);
            }
        });
    }

    private void haltNetwork() {
        ctx.devState = DEV_HOLD;
        af.halt();
        joins.halt();
        population.dropIndirect();
        appCnf.halt();
    }

    /** What Z-Stack does on boot: honour STARTUP_OPTION (zgInit), then report RESET_IND. */
    private void boot(int reason) {
        counters.resets.incrementAndGet();
        byte[] so = nv.get(NV_STARTUP_OPTION);
        int opt = so == null || so.length == 0 ? 0 : so[0] & 0xFF;
        if ((opt & 0x01) != 0) {
            configDefaults();
        }
        if ((opt & 0x03) != 0) {
            for (int id : STATE_ITEMS) {
                nv.delete(id);
            }
            nv.put(NV_NWKKEY, new byte[24]); // reset, not removed
            for (SimDevice d : ctx.devices) {
                if (d.joined) {
                    d.joined = false;
                    population.stopDeviceTasks(d);
                    population.persistDevice(d);
                }
            }
            zdo.clearGroups();
            nv.put(NV_STARTUP_OPTION, new byte[] {0});
        }
        areq(SYS, 0x80, new byte[] {(byte) reason, TRANSPORT_REV, PRODUCT, MAJOR, MINOR, HW_REV});
    }
}
