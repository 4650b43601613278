package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.util.Arrays;

import static io.tetheritall.hub.radios.znp.sim.SimMt.*;

/**
 * The APP_CNF subsystem and what it starts: BDB commissioning (formation from the NV configuration
 * items, network steering), the BDB channel masks, the NIB written on formation, and startup (restoring
 * the network from the NIB, ZDO_STARTUP_FROM_APP). Called under the simulator's lock.
 */
final class SimAppCnf extends SimComponent {
    private final SimJoins joins;
    private long primaryChannels;
    private long secondaryChannels;

    SimAppCnf(SimContext ctx, SimJoins joins) {
        super(ctx);
        this.joins = joins;
    }

    /** Handles an APP_CNF SREQ. Returns false for a command id this subsystem does not know. */
    boolean handle(UnpiFrame f, SimBytes.R r) {
        switch (f.command()) {
            case 0x01, 0x03, 0x04, 0x09, 0xFF -> srsp(f, (byte) ST_SUCCESS);
            case 0x05 -> bdbStartCommissioning(f, r.u8());
            case 0x08 -> {
                int primary = r.u8();
                long mask = r.u32();
                if (primary != 0) {
                    primaryChannels = mask;
                } else {
                    secondaryChannels = mask;
                }
                srsp(f, (byte) ST_SUCCESS);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** ZDO_STARTUP_FROM_APP: restores the network from the NIB in NV, or forms a new one. */
    void startupFromApp(UnpiFrame f) {
        byte[] nib = nv.get(NV_NIB);
        if (ctx.devState == DEV_ZB_COORD) {
            srsp(f, (byte) 0x00);
            later(10, () -> areq(ZDO, 0xC0, new byte[] {(byte) DEV_ZB_COORD}));
        } else if (nib != null && nib.length == NIB_LEN) {
            srsp(f, (byte) 0x00); // restored network state
            restoreFromNib(nib);
            startNetwork(false);
        } else {
            srsp(f, (byte) 0x01); // new network state
            form();
        }
    }

    private void bdbStartCommissioning(UnpiFrame f, int mode) {
        srsp(f, (byte) ST_SUCCESS);
        if ((mode & 0x04) != 0) {
            if (nv.get(NV_NIB) != null && ctx.devState == DEV_ZB_COORD) {
                later(20, () -> areq(APP_CNF, 0x80, new byte[] {0x00, 0x04, 0x00}));
                return;
            }
            later(5, () -> areq(APP_CNF, 0x80, new byte[] {0x01, 0x04, 0x04})); // in progress
            form();
        } else if ((mode & 0x02) != 0) {
            // network steering on a coordinator opens the network for 180 s (BDBC_MIN_COMMISSIONING_TIME)
            if (ctx.devState == DEV_ZB_COORD) {
                joins.permitCoordinator(180);
                later(20, () -> areq(APP_CNF, 0x80, new byte[] {0x00, 0x02, 0x00}));
            } else {
                later(20, () -> areq(APP_CNF, 0x80, new byte[] {0x02, 0x02, 0x00})); // no network
            }
        } else {
            later(20, () -> areq(APP_CNF, 0x80, new byte[] {0x00, (byte) mode, 0x00}));
        }
    }

    /** BDB formation from the NV configuration items. */
    private void form() {
        byte[] p = nv.get(NV_PANID);
        int pan = p == null ? 0xFFFF : (p[0] & 0xFF) | (p[1] & 0xFF) << 8;
        if (pan == 0xFFFF || pan == 0) {
            pan = 1 + rnd.nextInt(0xFFF6);
        }
        byte[] ext = nv.get(NV_EXTENDED_PAN_ID);
        if (ext == null || allSame(ext, 0) || allSame(ext, 0xFF)) {
            ext = new SimBytes.W().u64(ctx.ieee).done();
        }
        long mask = primaryChannels;
        if (mask == 0) {
            byte[] c = nv.get(NV_CHANLIST);
            mask = c == null ? 0x800 : new SimBytes.R(c).u32();
        }
        int ch = 11;
        for (int i = 11; i <= 26; i++) {
            if ((mask & (1L << i)) != 0) {
                ch = i;
                break;
            }
        }
        byte[] key = nv.get(NV_PRECFGKEY);
        if (key == null || key.length != 16) {
            key = DEFAULT_KEY;
        }
        ctx.panId = pan;
        ctx.channel = ch;
        ctx.extPanLe = ext.clone();
        nv.put(NV_PANID, new SimBytes.W().u16(pan).done());
        nv.put(NV_EXTENDED_PAN_ID, ext);
        byte[] keyInfo = new SimBytes.W().u8(0).bytes(key).done();
        nv.put(NV_ACTIVE_KEY_INFO, keyInfo);
        nv.put(NV_ALTERN_KEY_INFO, keyInfo);
        nv.put(NV_NWKKEY, new SimBytes.W().u8(0).bytes(key).u8(0).u8(0).u8(0).u32(1).done());
        nv.put(NV_NIB, buildNib(mask));
        nv.put(NV_STARTUP_OPTION, new byte[] {0});
        startNetwork(true);
    }

    private static boolean allSame(byte[] b, int v) {
        for (byte x : b) {
            if ((x & 0xFF) != v) {
                return false;
            }
        }
        return true;
    }

    /**
     * The CC26xx (16-bit aligned, 116-byte) layout of nwkIB_t as herdsman's {@code structs/entries/nib.ts}
     * reads it: PAN id at 36, logical channel at 24, channel list at 40, extended PAN id at 57.
     */
    private byte[] buildNib(long chanMask) {
        byte[] n = new byte[NIB_LEN];
        n[0] = 0x5B; // SequenceNum
        n[1] = 5; // PassiveAckTimeout
        n[2] = 2; // MaxBroadcastRetries
        n[3] = 20; // MaxChildren
        n[4] = 15; // MaxDepth
        n[5] = 20; // MaxRouters
        n[7] = 30; // BroadcastDeliveryTime (100 ms units)
        n[9] = 2; // RouteDiscRetries
        n[11] = 1; // SecureAllFrames
        n[12] = 5; // SecurityLevel
        n[13] = 1; // SymLink
        n[14] = (byte) 0x8F; // CapabilityFlags
        n[16] = 7; // TransactionPersistenceTime
        n[18] = 2; // nwkProtocolVersion
        n[19] = 30; // RouteDiscoveryTime
        n[20] = 60; // RouteExpiryTime
        // nwkDevAddress 22-23 = 0x0000
        n[24] = (byte) ctx.channel;
        // nwkCoordAddress 26-27 = 0, nwkCoordExtAddress 28-35 = 0
        n[36] = (byte) ctx.panId;
        n[37] = (byte) (ctx.panId >> 8);
        n[38] = 1; // nwkState
        for (int i = 0; i < 4; i++) {
            n[40 + i] = (byte) (chanMask >> (8 * i));
        }
        n[44] = 0x0F; // beaconOrder
        n[45] = 0x0F; // superFrameOrder
        System.arraycopy(ctx.extPanLe, 0, n, 57, 8);
        n[65] = 1; // nwkKeyLoaded
        n[102] = 15; // nwkLinkStatusPeriod
        n[103] = 3; // nwkRouterAgeLimit
        n[105] = 1; // nwkIsConcentrator
        n[106] = 100; // nwkConcentratorDiscoveryTime
        n[107] = 10; // nwkConcentratorRadius
        n[108] = 1; // nwkAllFresh
        return n;
    }

    private void restoreFromNib(byte[] nib) {
        ctx.channel = nib[24] & 0xFF;
        ctx.panId = (nib[36] & 0xFF) | (nib[37] & 0xFF) << 8;
        ctx.extPanLe = Arrays.copyOfRange(nib, 57, 65);
    }

    private void startNetwork(boolean formed) {
        later(40, () -> {
            ctx.devState = DEV_COORD_STARTING;
            areq(ZDO, 0xC0, new byte[] {(byte) DEV_COORD_STARTING});
        });
        later(formed ? 400 : 150, () -> {
            ctx.devState = DEV_ZB_COORD;
            areq(ZDO, 0xC0, new byte[] {(byte) DEV_ZB_COORD});
            if (formed) {
                areq(APP_CNF, 0x80, new byte[] {0x00, 0x04, 0x00});
            }
        });
    }

    /** A reset forgets the BDB channel masks (they live in RAM). */
    void halt() {
        primaryChannels = 0;
        secondaryChannels = 0;
    }
}
