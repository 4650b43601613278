package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.sim.SimDevice.Attr;
import io.tetheritall.hub.radios.znp.sim.SimDevice.Out;
import io.tetheritall.hub.radios.znp.sim.SimDevice.ReportCfg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.tetheritall.hub.radios.znp.sim.SimZcl.*;

/**
 * The attribute table of one {@link SimDevice} and its ZCL global commands: Read/Write Attributes (standard and
 * manufacturer-specific), Configure/Read Reporting Configuration and Discover Attributes. Attribute reports
 * and their scheduling use the table through {@link SimDevice#report} and the device's reporting records.
 * State lives in the device; this class holds only the logic. Not thread-safe: called under the simulator's lock.
 */
final class SimDeviceAttributes {
    private final SimDevice d;

    SimDeviceAttributes(SimDevice d) {
        this.d = d;
    }

    private void def(int cluster, int id, int type, Object value, boolean writable) {
        d.attrs.computeIfAbsent(cluster, c -> new TreeMap<>()).put(id, new Attr(type, value, writable));
    }

    private void def(int cluster, int id, int type, long value) {
        def(cluster, id, type, value, false);
    }

    /** Fills the table with the attributes of the device's kind (draws start values from its random source). */
    void initAttributes() {
        boolean ikea = d.kind.manufacturer().startsWith("IKEA");
        def(0x0000, 0x0000, U8, ikea ? 1L : 3L);
        def(0x0000, 0x0001, U8, 17L);
        def(0x0000, 0x0002, U8, 1L);
        def(0x0000, 0x0003, U8, 1L);
        def(0x0000, 0x0004, CHARSTR, d.kind.manufacturer(), false);
        def(0x0000, 0x0005, CHARSTR, d.kind.model(), false);
        def(0x0000, 0x0006, CHARSTR, "20230507", false);
        def(0x0000, 0x0007, ENUM8, d.kind.sleepy() ? 3L : 1L);
        def(0x0000, 0x4000, CHARSTR, ikea ? "2.3.087" : "1.0.20", false);
        if (d.kind == DeviceKind.MOTION_SENSOR) {
            // Signify (0x100B) attributes that Zigbee2MQTT reads and writes when it configures an SML001
            // (zigbee-herdsman-converters lib/philips: addPhilipsGenBasicCluster, addPhilipsMsOccupancySensingCluster):
            // Basic 0x0033 LED indication on motion (bool), Occupancy 0x0030 motion sensitivity (uint8, 0 low ..
            // 2 high; the Hue bridge shows sensitivity 2 of sensitivitymax 2 and ledindication false by default).
            d.manufAttrs.computeIfAbsent(0x0000, c -> new TreeMap<>()).put(0x0033, new Attr(BOOL, 0L, true));
            d.manufAttrs.computeIfAbsent(0x0406, c -> new TreeMap<>()).put(0x0030, new Attr(U8, 2L, true));
        }
        for (int c : d.kind.serverClusters()) {
            switch (c) {
                case 0x0001 -> {
                    def(c, 0x0020, U8, 30L);
                    def(c, 0x0021, U8, 200L);
                }
                case 0x0003 -> def(c, 0x0000, U16, 0L, true);
                case 0x0004 -> def(c, 0x0000, MAP8, 0L);
                case 0x0005 -> {
                    def(c, 0x0000, U8, 0L);
                    def(c, 0x0001, U8, 0L);
                    def(c, 0x0002, U16, 0L);
                    def(c, 0x0003, BOOL, 0L);
                    def(c, 0x0004, MAP8, 0L);
                }
                case 0x0006 -> {
                    def(c, 0x0000, BOOL, 0L);
                    def(c, 0x4000, BOOL, 1L);
                    def(c, 0x4001, U16, 0L, true);
                    def(c, 0x4002, U16, 0L, true);
                    def(c, 0x4003, ENUM8, 1L, true);
                }
                case 0x0008 -> {
                    def(c, 0x0000, U8, 254L);
                    def(c, 0x0001, U16, 0L);
                    def(c, 0x000F, MAP8, 0L, true);
                    def(c, 0x0010, U16, 0L, true);
                    def(c, 0x0011, U8, 255L, true);
                    def(c, 0x4000, U8, 255L, true);
                }
                case 0x0300 -> {
                    int caps = d.kind.colorCapabilities();
                    if ((caps & 0x01) != 0) {
                        def(c, 0x0000, U8, 0L);
                        def(c, 0x0001, U8, 0L);
                    }
                    def(c, 0x0002, U16, 0L);
                    if ((caps & 0x08) != 0) {
                        def(c, 0x0003, U16, 24939L);
                        def(c, 0x0004, U16, 24701L);
                    }
                    if ((caps & 0x10) != 0) {
                        def(c, 0x0007, U16, 370L);
                        def(c, 0x400B, U16, d.kind.minMireds());
                        def(c, 0x400C, U16, d.kind.maxMireds());
                    }
                    def(c, 0x0008, ENUM8, (caps & 0x08) != 0 ? 1L : 2L);
                    def(c, 0x000F, MAP8, 0L, true);
                    if ((caps & 0x02) != 0) {
                        def(c, 0x4000, U16, 0L);
                    }
                    def(c, 0x4001, ENUM8, (caps & 0x08) != 0 ? 1L : 2L);
                    def(c, 0x400A, MAP16, caps);
                }
                case 0x0400 -> def(c, 0x0000, U16, 10000L + d.rnd.nextInt(20000));
                case 0x0402 -> {
                    def(c, 0x0000, S16, 2000L + d.rnd.nextInt(300));
                    def(c, 0x0001, S16, -4000L);
                    def(c, 0x0002, S16, 12500L);
                }
                case 0x0403 -> {
                    def(c, 0x0000, S16, 1000L + d.rnd.nextInt(30));
                    def(c, 0x0010, S16, 10000L + d.rnd.nextInt(300));
                    def(c, 0x0014, S8, -1L);
                }
                case 0x0405 -> def(c, 0x0000, U16, 4000L + d.rnd.nextInt(2000));
                case 0x0406 -> {
                    def(c, 0x0000, MAP8, 0L);
                    def(c, 0x0001, ENUM8, 0L);
                    def(c, 0x0010, U16, 0L, true);
                }
                case 0x0500 -> {
                    def(c, 0x0000, ENUM8, 0L);
                    def(c, 0x0001, ENUM16, d.kind == DeviceKind.WATER_LEAK_SENSOR ? 0x002AL : 0x0015L);
                    def(c, 0x0002, MAP16, 0L);
                    def(c, 0x0010, EUI64, 0L, true);
                    def(c, 0x0011, U8, 0xFFL);
                }
                case 0x0702 -> {
                    def(c, 0x0000, U48, 12345L + d.rnd.nextInt(1000));
                    def(c, 0x0300, ENUM8, 0L);
                    def(c, 0x0301, U24, 1L);
                    def(c, 0x0302, U24, 1000L);
                    def(c, 0x0303, MAP8, 0x2BL);
                    def(c, 0x0306, MAP8, 0L);
                }
                case 0x0B04 -> {
                    def(c, 0x0000, MAP32, 0x08L);
                    def(c, 0x0505, U16, 230L);
                    def(c, 0x0508, U16, 0L);
                    def(c, 0x050B, S16, 0L);
                    def(c, 0x0600, U16, 1L);
                    def(c, 0x0601, U16, 1L);
                    def(c, 0x0602, U16, 1L);
                    def(c, 0x0603, U16, 1000L);
                    def(c, 0x0604, U16, 1L);
                    def(c, 0x0605, U16, 1L);
                }
                default -> {
                }
            }
        }
    }
    /**
     * Read and Write Attributes of manufacturer-specific attributes (the reply echoes the manufacturer code);
     * writes only store the value. Returns -1: a specific response was sent.
     */
    int manufGlobal(Map<Integer, Attr> table, int cluster, Header h, SimBytes.R r, List<Out> out) {
        if (h.cmd() == READ) {
            out.add(new Out(cluster, readRsp(table, h, r)));
            return -1;
        }
        List<int[]> fails = new ArrayList<>();
        while (r.remaining() > 0) {
            int id = r.u16();
            int type = r.u8();
            if (!SimZcl.known(type)) {
                fails.add(new int[] {INVALID_DATA_TYPE, id});
                break;
            }
            Object v = SimZcl.read(r, type);
            Attr a = table.get(id);
            if (a == null) {
                fails.add(new int[] {UNSUPPORTED_ATTRIBUTE, id});
            } else if (a.type != type) {
                fails.add(new int[] {INVALID_DATA_TYPE, id});
            } else {
                a.value = v;
            }
        }
        out.add(0, new Out(cluster, writeRsp(h, fails)));
        return -1;
    }

    /** Read Attributes Response: a status record per attribute asked, with type and value when it exists. */
    private static byte[] readRsp(Map<Integer, Attr> table, Header h, SimBytes.R r) {
        SimBytes.W w = SimZcl.replyHeader(h, false, READ_RSP);
        while (r.remaining() >= 2) {
            int id = r.u16();
            Attr a = table.get(id);
            w.u16(id);
            if (a == null) {
                w.u8(UNSUPPORTED_ATTRIBUTE);
            } else {
                w.u8(SUCCESS).u8(a.type);
                SimZcl.write(w, a.type, a.value);
            }
        }
        return w.done();
    }

    /** Write Attributes Response: one SUCCESS byte, or a status and id per attribute that failed. */
    private static byte[] writeRsp(Header h, List<int[]> fails) {
        SimBytes.W w = SimZcl.replyHeader(h, false, WRITE_RSP);
        if (fails.isEmpty()) {
            w.u8(SUCCESS);
        } else {
            for (int[] f : fails) {
                w.u8(f[0]).u16(f[1]);
            }
        }
        return w.done();
    }

    /** Global commands; returns the default-response status, or -1 when a specific response was sent. */
    int global(int cluster, Header h, SimBytes.R r, List<Out> out) {
        switch (h.cmd()) {
            case READ -> {
                out.add(new Out(cluster, readRsp(d.attrs.getOrDefault(cluster, Map.of()), h, r)));
                return -1;
            }
            case WRITE, WRITE_UNDIVIDED, WRITE_NO_RSP -> {
                List<int[]> fails = new ArrayList<>();
                List<Object[]> ok = new ArrayList<>();
                while (r.remaining() > 0) {
                    int id = r.u16();
                    int type = r.u8();
                    if (!SimZcl.known(type)) {
                        fails.add(new int[] {INVALID_DATA_TYPE, id});
                        break; // cannot find the next record without the size
                    }
                    Object v = SimZcl.read(r, type);
                    Attr a = d.attr(cluster, id);
                    if (a == null) {
                        fails.add(new int[] {UNSUPPORTED_ATTRIBUTE, id});
                    } else if (a.type != type) {
                        fails.add(new int[] {INVALID_DATA_TYPE, id});
                    } else if (!a.writable) {
                        fails.add(new int[] {READ_ONLY, id});
                    } else {
                        ok.add(new Object[] {id, v});
                    }
                }
                if (h.cmd() != WRITE_UNDIVIDED || fails.isEmpty()) {
                    for (Object[] o : ok) {
                        written(cluster, (Integer) o[0], o[1], out);
                    }
                }
                if (h.cmd() == WRITE_NO_RSP) {
                    return -1;
                }
                out.add(0, new Out(cluster, writeRsp(h, fails)));
                return -1;
            }
            case CONFIG_REPORT -> {
                SimBytes.W w = SimZcl.replyHeader(h, false, CONFIG_REPORT_RSP);
                int failures = 0;
                while (r.remaining() > 0) {
                    int dir = r.u8();
                    int id = r.u16();
                    if (dir != 0) {
                        r.u16(); // timeout period: we never receive reports
                        continue;
                    }
                    int type = r.u8();
                    int min = r.u16();
                    int max = r.u16();
                    long change = 0;
                    if (SimZcl.analog(type)) {
                        Object c = SimZcl.read(r, type);
                        change = Math.abs(((Number) c).longValue());
                    }
                    Attr a = d.attr(cluster, id);
                    int st = a == null ? UNSUPPORTED_ATTRIBUTE : a.type != type ? INVALID_DATA_TYPE : SUCCESS;
                    if (st == SUCCESS) {
                        long key = ((long) cluster << 16) | id;
                        ReportCfg cfg = d.reporting.computeIfAbsent(key, k -> new ReportCfg());
                        cfg.type = type;
                        cfg.min = min;
                        cfg.max = max;
                        cfg.change = change;
                    } else {
                        failures++;
                        w.u8(st).u8(dir).u16(id);
                    }
                }
                if (failures == 0) {
                    w.u8(SUCCESS);
                }
                out.add(new Out(cluster, w.done()));
                return -1;
            }
            case READ_REPORT_CFG -> {
                SimBytes.W w = SimZcl.replyHeader(h, false, READ_REPORT_CFG_RSP);
                while (r.remaining() >= 3) {
                    int dir = r.u8();
                    int id = r.u16();
                    ReportCfg cfg = d.reporting.get(((long) cluster << 16) | id);
                    Attr a = d.attr(cluster, id);
                    if (a == null) {
                        w.u8(UNSUPPORTED_ATTRIBUTE).u8(dir).u16(id);
                    } else if (cfg == null || dir != 0) {
                        w.u8(UNREPORTABLE_ATTRIBUTE).u8(dir).u16(id);
                    } else {
                        w.u8(SUCCESS).u8(dir).u16(id).u8(cfg.type).u16(cfg.min).u16(cfg.max);
                        if (SimZcl.analog(cfg.type)) {
                            SimZcl.write(w, cfg.type, cfg.change);
                        }
                    }
                }
                out.add(new Out(cluster, w.done()));
                return -1;
            }
            case DISCOVER_ATTRS -> {
                int start = r.u16();
                int max = r.u8();
                SimBytes.W w = SimZcl.replyHeader(h, false, DISCOVER_ATTRS_RSP);
                List<Map.Entry<Integer, Attr>> list = new ArrayList<>();
                for (Map.Entry<Integer, Attr> e : d.attrs.getOrDefault(cluster, Map.of()).entrySet()) {
                    if (e.getKey() >= start) {
                        list.add(e);
                    }
                }
                boolean complete = list.size() <= max;
                w.u8(complete ? 1 : 0);
                for (int i = 0; i < Math.min(max, list.size()); i++) {
                    w.u16(list.get(i).getKey()).u8(list.get(i).getValue().type);
                }
                out.add(new Out(cluster, w.done()));
                return -1;
            }
            case DEFAULT_RSP -> {
                return -1;
            }
            default -> {
                return UNSUP_GENERAL_COMMAND;
            }
        }
    }

    private void written(int cluster, int id, Object v, List<Out> out) {
        Attr a = d.attr(cluster, id);
        a.value = v;
        d.changes.add(new int[] {cluster, id});
        if (cluster == 0x0500 && id == 0x0010) {
            // IAS Zone: writing the CIE address makes the device ask to enrol (ZCL §8.2.2.2.1 Zone Enroll Request)
            out.add(new Out(0x0500, new SimBytes.W().u8(FC_CLUSTER_SPECIFIC | FC_SERVER_TO_CLIENT | FC_DISABLE_DEFAULT_RSP)
                    .u8(d.nextTsn()).u8(0x01).u16((int) d.num(0x0500, 0x0001)).u16(0x0000).done()));
        }
    }

}
