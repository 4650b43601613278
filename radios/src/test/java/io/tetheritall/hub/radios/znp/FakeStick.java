package io.tetheritall.hub.radios.znp;

import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.znp.mt.ScriptedPeer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.cmd0;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.cmd1;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.d;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.d16;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.frame;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.frameOf;

/**
 * A small stateful Z-Stack 3.x.0 stand-in for coordinator tests, written from protocols.md §A:
 * NV items (LENGTH / READ_EXT / ITEM_INIT / WRITE_EXT / DELETE), resets that honour STARTUP_OPTION,
 * BDB commissioning, STARTUP_FROM_APP, device info, self-addressed ZDO_ACTIVE_EP_REQ, AF_REGISTER,
 * and AF data with immediate confirms. Tests override any command with {@link #override}.
 * Its state (NV, device state) survives {@link #powerCycle()} like a real stick's flash does.
 */
final class FakeStick {
    static final long IEEE = 0x00124B0012345678L;

    final ScriptedPeer peer;
    final Map<Integer, byte[]> nv = new ConcurrentHashMap<>();
    final Set<Integer> endpoints = new TreeSet<>();
    volatile int devState;
    /** Checked first; return null to fall through to the default behaviour. */
    volatile Function<byte[], List<byte[]>> override;
    volatile int product = 1;

    FakeStick(InMemoryLink deviceEnd) {
        peer = new ScriptedPeer(deviceEnd);
        peer.responder = this::answer;
    }

    FakeStick open() {
        peer.open();
        return this;
    }

    /** RAM is lost: endpoints gone, stack not started. NV survives. */
    synchronized void powerCycle() {
        endpoints.clear();
        devState = 0;
    }

    private synchronized List<byte[]> answer(byte[] f) {
        Function<byte[], List<byte[]>> o = override;
        if (o != null) {
            List<byte[]> r = o.apply(f);
            if (r != null) {
                return r;
            }
        }
        int c0 = cmd0(f);
        int c1 = cmd1(f);
        List<byte[]> out = new ArrayList<>();
        switch ((c0 << 8) | c1) {
            case 0x2101 -> out.add(frame(0x61, 0x01, 0x79, 0x01));
            case 0x2102 -> out.add(product == 1
                    ? ScriptedPeer.hex("FE 09 61 02 02 01 02 07 01 6B B1 34 01 82")
                    : frame(0x61, 0x02, 0x02, product, 0x02, 0x06, 0x03));
            case 0x2113 -> {
                byte[] v = nv.get(d16(f, 0));
                int len = v == null ? 0 : v.length;
                out.add(frame(0x61, 0x13, len & 0xFF, len >> 8));
            }
            case 0x211C -> {
                byte[] v = nv.get(d16(f, 0));
                int off = d16(f, 2);
                if (v == null) {
                    out.add(frame(0x61, 0x1C, 0x0A, 0x00));
                } else {
                    byte[] chunk = Arrays.copyOfRange(v, off, Math.min(v.length, off + 200));
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    b.write(0);
                    b.write(chunk.length);
                    b.writeBytes(chunk);
                    out.add(frameOf(0x61, 0x1C, b.toByteArray()));
                }
            }
            case 0x2107 -> {
                int id = d16(f, 0);
                int len = d16(f, 2);
                int initLen = d(f, 4);
                if (nv.containsKey(id)) {
                    out.add(frame(0x61, 0x07, 0x00));
                } else {
                    byte[] v = new byte[len];
                    System.arraycopy(ScriptedPeer.data(f), 5, v, 0, initLen);
                    nv.put(id, v);
                    out.add(frame(0x61, 0x07, 0x09));
                }
            }
            case 0x211D -> {
                int id = d16(f, 0);
                int off = d16(f, 2);
                int len = d16(f, 4);
                byte[] v = nv.get(id);
                if (v == null || off + len > v.length) {
                    out.add(frame(0x61, 0x1D, 0x0A));
                } else {
                    System.arraycopy(ScriptedPeer.data(f), 6, v, off, len);
                    out.add(frame(0x61, 0x1D, 0x00));
                }
            }
            case 0x2112 -> {
                nv.remove(d16(f, 0));
                out.add(frame(0x61, 0x12, 0x00));
            }
            case 0x4100 -> {
                byte[] opt = nv.get(ZnpNv.STARTUP_OPTION);
                if (opt != null && (opt[0] & 0x03) != 0) {
                    nv.remove(ZnpNv.NIB);
                    nv.remove(ZnpNv.NWK_ACTIVE_KEY_INFO);
                    opt[0] = 0;
                }
                endpoints.clear();
                devState = 0;
                out.add(frame(0x41, 0x80, 0x02, 0x02, product, 0x02, 0x07, 0x01));
            }
            case 0x2F08, 0x2F05 -> {
                out.add(frame(0x6F, c1, 0x00));
                if (c1 == 0x05) {
                    formFromNv();
                    out.add(frame(0x45, 0xC0, 0x08));
                    out.add(frame(0x45, 0xC0, 0x09));
                }
            }
            case 0x2540 -> {
                out.add(frame(0x65, 0x40, 0x00));
                devState = 9;
                out.add(frame(0x45, 0xC0, 0x09));
            }
            case 0x2700 -> {
                int[] r = new int[14];
                r[0] = 0;
                for (int i = 0; i < 8; i++) {
                    r[1 + i] = (int) (IEEE >>> (8 * i)) & 0xFF;
                }
                r[11] = 0x07;
                r[12] = devState;
                out.add(frame(0x67, 0x00, r));
            }
            case 0x2505 -> {
                out.add(frame(0x65, 0x05, 0x00));
                if (d16(f, 0) == 0) {
                    int[] r = new int[6 + endpoints.size()];
                    r[5] = endpoints.size();
                    int i = 6;
                    for (int ep : endpoints) {
                        r[i++] = ep;
                    }
                    out.add(frame(0x45, 0x85, r));
                }
            }
            case 0x2400 -> {
                endpoints.add(d(f, 0));
                out.add(frame(0x64, 0x00, 0x00));
            }
            case 0x2401 -> {
                out.add(frame(0x64, 0x01, 0x00));
                out.add(frame(0x44, 0x80, 0x00, d(f, 3), d(f, 6)));
            }
            case 0x2402 -> {
                out.add(frame(0x64, 0x02, 0x00));
                out.add(frame(0x44, 0x80, 0x00, d(f, 12), d(f, 15)));
            }
            case 0x2536 -> out.add(frame(0x65, 0x36, 0x00));
            default -> out.add(frame(0x60, 0x00, 0x02, c0, c1));
        }
        return out;
    }

    /** BDB formation: the NIB appears with channel and PAN from NV, the active key from PRECFGKEY. */
    private void formFromNv() {
        byte[] nib = new byte[116];
        long mask = ByteUtil.u32(nv.get(ZnpNv.CHANLIST));
        nib[22] = (byte) Long.numberOfTrailingZeros(mask);
        byte[] pan = nv.get(ZnpNv.PANID);
        nib[33] = pan[0];
        nib[34] = pan[1];
        nv.put(ZnpNv.NIB, nib);
        byte[] key = new byte[17];
        System.arraycopy(nv.get(ZnpNv.PRECFGKEY), 0, key, 1, 16);
        nv.put(ZnpNv.NWK_ACTIVE_KEY_INFO, key);
        devState = 9;
    }

    /** Presets NV as if a network had been formed by an earlier run. */
    void preconfigure(NetworkParams p) {
        nv.put(ZnpNv.HAS_CONFIGURED_ZSTACK3, new byte[] {0x55});
        nv.put(ZnpNv.PANID, new byte[] {(byte) p.panId(), (byte) (p.panId() >> 8)});
        byte[] ext = new byte[8];
        for (int i = 0; i < 8; i++) {
            ext[i] = (byte) (p.extendedPanId() >>> (8 * i));
        }
        nv.put(ZnpNv.EXTENDED_PAN_ID, ext);
        long m = p.channelMask();
        nv.put(ZnpNv.CHANLIST, new byte[] {(byte) m, (byte) (m >> 8), (byte) (m >> 16), (byte) (m >> 24)});
        nv.put(ZnpNv.PRECFGKEY, p.networkKey());
        formFromNv();
    }

    static final class ByteUtil {
        static long u32(byte[] b) {
            return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
        }
    }
}
