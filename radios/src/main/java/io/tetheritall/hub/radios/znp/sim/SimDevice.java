package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.time.TaskScheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.tetheritall.hub.radios.znp.sim.SimZcl.*;

/**
 * One simulated Zigbee device: its clusters, attributes, groups, scenes, reporting configuration
 * and the ZCL server behaviour of its endpoints. Transport (AF, polling, latency) is the simulator's
 * business. Not thread-safe: called under the simulator's lock.
 */
final class SimDevice {
    private static final int MAX_GROUPS = 16;
    private static final int MAX_SCENES = 16;

    /** A ZCL frame the device sends: {@code cluster} and the ZCL bytes (header included). */
    record Out(int cluster, byte[] zcl) {
    }

    /** One attribute. */
    static final class Attr {
        final int type;
        Object value;
        final boolean writable;

        Attr(int type, Object value, boolean writable) {
            this.type = type;
            this.value = value;
            this.writable = writable;
        }
    }

    /** Configure Reporting record, and when the attribute was last reported. */
    static final class ReportCfg {
        int type;
        int min;
        int max;
        long change;
        Object lastValue;
        long lastNanos = Long.MIN_VALUE / 2;
        TaskScheduler.Cancellable periodic;
    }

    final int index;
    final DeviceKind kind;
    final long ieee;
    final int nwk;
    final int hops;
    final int lqi;
    final Random rnd;
    boolean joined;
    boolean silent;
    int parent;
    long pollMillis;
    final Set<Integer> groups = new TreeSet<>();
    final Map<Integer, Map<Integer, Attr>> attrs = new TreeMap<>();
    /** Manufacturer-specific attributes (of {@link DeviceKind#manufacturerCode()}), by cluster. */
    final Map<Integer, Map<Integer, Attr>> manufAttrs = new TreeMap<>();
    final Map<Long, ReportCfg> reporting = new HashMap<>();
    final Map<Long, int[]> scenes = new TreeMap<>();
    final List<int[]> changes = new ArrayList<>();
    int tsn;
    /** The device's own periodic activities (polls, sensor reports), by name; cancelled when it leaves. */
    final Map<String, TaskScheduler.Cancellable> tasks = new HashMap<>();
    /** The body of each own-activity task by name, so that the fault console can run it now. */
    final Map<String, Runnable> activity = new HashMap<>();
    /** Messages waiting for this sleepy device's next poll. */
    final java.util.ArrayDeque<SimPopulation.Indirect> indirect = new java.util.ArrayDeque<>();
    final List<long[]> bindings = new ArrayList<>();

    // level "move" in progress (ZCL Level Control move command), settled lazily from the clock
    private boolean moving;
    private long moveStart;
    private int moveFrom;
    private int moveRate;
    private boolean moveWithOnOff;

    SimDevice(int index, DeviceKind kind, long ieee, int nwk, int hops, long seed) {
        this.index = index;
        this.kind = kind;
        this.ieee = ieee;
        this.nwk = nwk;
        this.hops = hops;
        this.rnd = new Random(seed);
        this.lqi = Math.max(40, 255 - 40 * (hops - 1) - rnd.nextInt(60));
        this.tsn = rnd.nextInt(256);
        initAttributes();
    }

    // ------------------------------------------------------------------ attributes

    private void def(int cluster, int id, int type, Object value, boolean writable) {
        attrs.computeIfAbsent(cluster, c -> new TreeMap<>()).put(id, new Attr(type, value, writable));
    }

    private void def(int cluster, int id, int type, long value) {
        def(cluster, id, type, value, false);
    }

    private void initAttributes() {
        boolean ikea = kind.manufacturer().startsWith("IKEA");
        def(0x0000, 0x0000, U8, ikea ? 1L : 3L);
        def(0x0000, 0x0001, U8, 17L);
        def(0x0000, 0x0002, U8, 1L);
        def(0x0000, 0x0003, U8, 1L);
        def(0x0000, 0x0004, CHARSTR, kind.manufacturer(), false);
        def(0x0000, 0x0005, CHARSTR, kind.model(), false);
        def(0x0000, 0x0006, CHARSTR, "20230507", false);
        def(0x0000, 0x0007, ENUM8, kind.sleepy() ? 3L : 1L);
        def(0x0000, 0x4000, CHARSTR, ikea ? "2.3.087" : "1.0.20", false);
        if (kind == DeviceKind.MOTION_SENSOR) {
            // Signify (0x100B) attributes that Zigbee2MQTT reads and writes when it configures an SML001
            // (zigbee-herdsman-converters lib/philips: addPhilipsGenBasicCluster, addPhilipsMsOccupancySensingCluster):
            // Basic 0x0033 LED indication on motion (bool), Occupancy 0x0030 motion sensitivity (uint8, 0 low ..
            // 2 high; the Hue bridge shows sensitivity 2 of sensitivitymax 2 and ledindication false by default).
            manufAttrs.computeIfAbsent(0x0000, c -> new TreeMap<>()).put(0x0033, new Attr(BOOL, 0L, true));
            manufAttrs.computeIfAbsent(0x0406, c -> new TreeMap<>()).put(0x0030, new Attr(U8, 2L, true));
        }
        for (int c : kind.serverClusters()) {
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
                    int caps = kind.colorCapabilities();
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
                        def(c, 0x400B, U16, kind.minMireds());
                        def(c, 0x400C, U16, kind.maxMireds());
                    }
                    def(c, 0x0008, ENUM8, (caps & 0x08) != 0 ? 1L : 2L);
                    def(c, 0x000F, MAP8, 0L, true);
                    if ((caps & 0x02) != 0) {
                        def(c, 0x4000, U16, 0L);
                    }
                    def(c, 0x4001, ENUM8, (caps & 0x08) != 0 ? 1L : 2L);
                    def(c, 0x400A, MAP16, caps);
                }
                case 0x0400 -> def(c, 0x0000, U16, 10000L + rnd.nextInt(20000));
                case 0x0402 -> {
                    def(c, 0x0000, S16, 2000L + rnd.nextInt(300));
                    def(c, 0x0001, S16, -4000L);
                    def(c, 0x0002, S16, 12500L);
                }
                case 0x0403 -> {
                    def(c, 0x0000, S16, 1000L + rnd.nextInt(30));
                    def(c, 0x0010, S16, 10000L + rnd.nextInt(300));
                    def(c, 0x0014, S8, -1L);
                }
                case 0x0405 -> def(c, 0x0000, U16, 4000L + rnd.nextInt(2000));
                case 0x0406 -> {
                    def(c, 0x0000, MAP8, 0L);
                    def(c, 0x0001, ENUM8, 0L);
                    def(c, 0x0010, U16, 0L, true);
                }
                case 0x0500 -> {
                    def(c, 0x0000, ENUM8, 0L);
                    def(c, 0x0001, ENUM16, kind == DeviceKind.WATER_LEAK_SENSOR ? 0x002AL : 0x0015L);
                    def(c, 0x0002, MAP16, 0L);
                    def(c, 0x0010, EUI64, 0L, true);
                    def(c, 0x0011, U8, 0xFFL);
                }
                case 0x0702 -> {
                    def(c, 0x0000, U48, 12345L + rnd.nextInt(1000));
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

    /** Whether the device has server cluster {@code c} (on its {@link DeviceKind#appEndpoint()}). */
    boolean hasCluster(int c) {
        return c == 0x0000 || kind.serverClusters().contains(c);
    }

    boolean hasEndpoint(int ep) {
        return kind.endpoint(ep) != null;
    }

    /** The endpoint a frame addressed to {@code dstEp} is handled on: the application endpoint for 0xFF (all). */
    int endpointFor(int dstEp) {
        return dstEp == 0xFF ? kind.appEndpoint() : dstEp;
    }

    /** Whether endpoint {@code ep} exists and has server cluster {@code c}. */
    boolean hasCluster(int ep, int c) {
        DeviceKind.Endpoint e = kind.endpoint(ep);
        return e != null && (c == 0x0000 || e.inClusters().contains(c));
    }

    Attr attr(int cluster, int id) {
        Map<Integer, Attr> m = attrs.get(cluster);
        return m == null ? null : m.get(id);
    }

    long num(int cluster, int id) {
        Attr a = attr(cluster, id);
        return a == null ? 0 : ((Number) a.value).longValue();
    }

    /** Sets a value and remembers the change (for on-change reports). */
    void set(int cluster, int id, long v) {
        Attr a = attr(cluster, id);
        if (a == null) {
            return;
        }
        if (!(a.value instanceof Number n) || n.longValue() != v) {
            a.value = v;
            changes.add(new int[] {cluster, id});
        }
    }

    /** The attribute changes since the last call, in order, without duplicates. */
    List<int[]> takeChanges() {
        Map<Long, int[]> seen = new TreeMap<>();
        List<int[]> out = new ArrayList<>();
        for (int[] c : changes) {
            if (seen.putIfAbsent(((long) c[0] << 16) | c[1], c) == null) {
                out.add(c);
            }
        }
        changes.clear();
        return out;
    }

    /** Whether the catalogue says this attribute is reported on change without configuration. */
    boolean reportsOnChange(int cluster, int id) {
        return switch (kind) {
            case COLOUR_BULB, HUE_COLOUR_BULB -> (cluster == 0x0006 && id == 0) || (cluster == 0x0008 && id == 0)
                    || (cluster == 0x0300 && (id <= 0x0004 || id == 0x0007 || id == 0x0008));
            case WHITE_SPECTRUM_BULB -> (cluster == 0x0006 && id == 0) || (cluster == 0x0008 && id == 0);
            case METERING_PLUG -> cluster == 0x0006 && id == 0;
            case MOTION_SENSOR -> cluster == 0x0406 || cluster == 0x0400;
            default -> false;
        };
    }

    /** A device-initiated Report Attributes frame for {@code ids} of {@code cluster}. */
    Out report(int cluster, int... ids) {
        SimBytes.W w = new SimBytes.W().u8(FC_SERVER_TO_CLIENT | FC_DISABLE_DEFAULT_RSP).u8(nextTsn()).u8(REPORT);
        for (int id : ids) {
            Attr a = attr(cluster, id);
            if (a != null) {
                w.u16(id).u8(a.type);
                SimZcl.write(w, a.type, a.value);
            }
        }
        return new Out(cluster, w.done());
    }

    int nextTsn() {
        tsn = (tsn + 1) & 0xFF;
        return tsn;
    }

    // ------------------------------------------------------------------ ZCL server

    /**
     * Handles one ZCL frame from the coordinator to endpoint {@code ep} and returns what the device answers
     * (the frame's own reply first). {@code groupcast}: the frame was sent to a group or broadcast,
     * which never gets a default response (ZCL §2.5.12.2). A cluster the endpoint lacks gets
     * UNSUPPORTED_CLUSTER, as the Hue motion sensor's ZLL endpoint 1 answers for anything but Basic.
     */
    List<Out> handle(int ep, int cluster, byte[] frame, boolean groupcast, long nowNanos) {
        Header h = SimZcl.header(frame);
        List<Out> out = new ArrayList<>();
        if (h == null) {
            return out; // too short to answer: a real device drops it
        }
        if (h.serverToClient()) {
            return out; // a response or report addressed to us: nothing to do
        }
        settleLevel(nowNanos);
        int status;
        try {
            if (!hasCluster(ep, cluster)) {
                status = UNSUPPORTED_CLUSTER;
            } else if (h.manufSpecific() && !h.clusterSpecific() && h.manuf() == kind.manufacturerCode()
                    && manufAttrs.containsKey(cluster) && (h.cmd() == READ || h.cmd() == WRITE)) {
                status = manufGlobal(manufAttrs.get(cluster), cluster, h, new SimBytes.R(frame, h.payloadOffset()), out);
            } else if (h.manufSpecific()) {
                status = h.clusterSpecific() ? UNSUP_MANUF_CLUSTER_COMMAND : UNSUP_MANUF_GENERAL_COMMAND;
            } else if (h.clusterSpecific()) {
                status = cluster(cluster, h, new SimBytes.R(frame, h.payloadOffset()), out, nowNanos);
            } else {
                status = global(cluster, h, new SimBytes.R(frame, h.payloadOffset()), out);
            }
        } catch (SimBytes.Short e) {
            status = MALFORMED;
        }
        if (status >= 0 && !groupcast && (status != SUCCESS || !h.disableDefaultRsp())) {
            out.add(0, new Out(cluster, SimZcl.replyHeader(h, false, DEFAULT_RSP).u8(h.cmd()).u8(status).done()));
        }
        if (groupcast) {
            out.removeIf(o -> true); // no responses to group or broadcast commands
        }
        return out;
    }

    /**
     * Read and Write Attributes of manufacturer-specific attributes (the reply echoes the manufacturer code);
     * writes only store the value. Returns -1: a specific response was sent.
     */
    private int manufGlobal(Map<Integer, Attr> table, int cluster, Header h, SimBytes.R r, List<Out> out) {
        if (h.cmd() == READ) {
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
            out.add(new Out(cluster, w.done()));
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
        SimBytes.W w = SimZcl.replyHeader(h, false, WRITE_RSP);
        if (fails.isEmpty()) {
            w.u8(SUCCESS);
        } else {
            for (int[] f : fails) {
                w.u8(f[0]).u16(f[1]);
            }
        }
        out.add(0, new Out(cluster, w.done()));
        return -1;
    }

    /** Global commands; returns the default-response status, or -1 when a specific response was sent. */
    private int global(int cluster, Header h, SimBytes.R r, List<Out> out) {
        switch (h.cmd()) {
            case READ -> {
                SimBytes.W w = SimZcl.replyHeader(h, false, READ_RSP);
                while (r.remaining() >= 2) {
                    int id = r.u16();
                    Attr a = attr(cluster, id);
                    w.u16(id);
                    if (a == null) {
                        w.u8(UNSUPPORTED_ATTRIBUTE);
                    } else {
                        w.u8(SUCCESS).u8(a.type);
                        SimZcl.write(w, a.type, a.value);
                    }
                }
                out.add(new Out(cluster, w.done()));
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
                    Attr a = attr(cluster, id);
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
                SimBytes.W w = SimZcl.replyHeader(h, false, WRITE_RSP);
                if (fails.isEmpty()) {
                    w.u8(SUCCESS);
                } else {
                    for (int[] f : fails) {
                        w.u8(f[0]).u16(f[1]);
                    }
                }
                out.add(0, new Out(cluster, w.done()));
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
                    Attr a = attr(cluster, id);
                    int st = a == null ? UNSUPPORTED_ATTRIBUTE : a.type != type ? INVALID_DATA_TYPE : SUCCESS;
                    if (st == SUCCESS) {
                        long key = ((long) cluster << 16) | id;
                        ReportCfg cfg = reporting.computeIfAbsent(key, k -> new ReportCfg());
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
                    ReportCfg cfg = reporting.get(((long) cluster << 16) | id);
                    Attr a = attr(cluster, id);
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
                for (Map.Entry<Integer, Attr> e : attrs.getOrDefault(cluster, Map.of()).entrySet()) {
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
        Attr a = attr(cluster, id);
        a.value = v;
        changes.add(new int[] {cluster, id});
        if (cluster == 0x0500 && id == 0x0010) {
            // IAS Zone: writing the CIE address makes the device ask to enrol (ZCL §8.2.2.2.1 Zone Enroll Request)
            out.add(new Out(0x0500, new SimBytes.W().u8(FC_CLUSTER_SPECIFIC | FC_SERVER_TO_CLIENT | FC_DISABLE_DEFAULT_RSP)
                    .u8(nextTsn()).u8(0x01).u16((int) num(0x0500, 0x0001)).u16(0x0000).done()));
        }
    }

    /** Cluster-specific commands; returns the default-response status, or -1 when a response was sent. */
    private int cluster(int cluster, Header h, SimBytes.R r, List<Out> out, long now) {
        int cmd = h.cmd();
        switch (cluster) {
            case 0x0003 -> {
                switch (cmd) {
                    case 0x00 -> {
                        set(0x0003, 0x0000, r.u16());
                        return SUCCESS;
                    }
                    case 0x01 -> {
                        long t = num(0x0003, 0x0000);
                        if (t == 0) {
                            return SUCCESS;
                        }
                        out.add(new Out(cluster, SimZcl.replyHeader(h, true, 0x00).u16((int) t).done()));
                        return -1;
                    }
                    case 0x40 -> {
                        r.u8();
                        r.u8();
                        return SUCCESS;
                    }
                    default -> {
                        return UNSUP_CLUSTER_COMMAND;
                    }
                }
            }
            case 0x0004 -> {
                return groupsCommand(h, r, out);
            }
            case 0x0005 -> {
                return scenesCommand(h, r, out);
            }
            case 0x0006 -> {
                switch (cmd) {
                    case 0x00, 0x40 -> set(0x0006, 0, 0);
                    case 0x01, 0x41, 0x42 -> set(0x0006, 0, 1);
                    case 0x02 -> set(0x0006, 0, num(0x0006, 0) == 0 ? 1 : 0);
                    default -> {
                        return UNSUP_CLUSTER_COMMAND;
                    }
                }
                return SUCCESS;
            }
            case 0x0008 -> {
                return levelCommand(h, r, now);
            }
            case 0x0300 -> {
                return colorCommand(h, r);
            }
            case 0x0500 -> {
                switch (cmd) {
                    case 0x00 -> {
                        int code = r.u8();
                        int zoneId = r.u8();
                        if (code == 0) {
                            set(0x0500, 0x0000, 1);
                            set(0x0500, 0x0011, zoneId);
                        }
                        return SUCCESS;
                    }
                    case 0x01, 0x02 -> {
                        return SUCCESS;
                    }
                    default -> {
                        return UNSUP_CLUSTER_COMMAND;
                    }
                }
            }
            default -> {
                return UNSUP_CLUSTER_COMMAND;
            }
        }
    }

    private int groupsCommand(Header h, SimBytes.R r, List<Out> out) {
        switch (h.cmd()) {
            case 0x00, 0x05 -> { // add, add-if-identifying
                int g = r.u16();
                int st;
                if (h.cmd() == 0x05 && num(0x0003, 0) == 0) {
                    return SUCCESS;
                }
                if (g == 0 || g > 0xFFF7) {
                    st = INVALID_VALUE;
                } else if (groups.contains(g)) {
                    st = DUPLICATE_EXISTS;
                } else if (groups.size() >= MAX_GROUPS) {
                    st = INSUFFICIENT_SPACE;
                } else {
                    groups.add(g);
                    st = SUCCESS;
                }
                if (h.cmd() == 0x05) {
                    return st;
                }
                out.add(new Out(0x0004, SimZcl.replyHeader(h, true, 0x00).u8(st).u16(g).done()));
                return -1;
            }
            case 0x01 -> {
                int g = r.u16();
                SimBytes.W w = SimZcl.replyHeader(h, true, 0x01).u8(groups.contains(g) ? SUCCESS : NOT_FOUND).u16(g);
                if (groups.contains(g)) {
                    w.u8(0); // empty name: name support is 0
                }
                out.add(new Out(0x0004, w.done()));
                return -1;
            }
            case 0x02 -> {
                int n = r.u8();
                List<Integer> asked = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    asked.add(r.u16());
                }
                List<Integer> list = new ArrayList<>();
                for (int g : groups) {
                    if (n == 0 || asked.contains(g)) {
                        list.add(g);
                    }
                }
                SimBytes.W w = SimZcl.replyHeader(h, true, 0x02).u8(MAX_GROUPS - groups.size()).u8(list.size());
                list.forEach(w::u16);
                out.add(new Out(0x0004, w.done()));
                return -1;
            }
            case 0x03 -> {
                int g = r.u16();
                boolean had = groups.remove(g);
                scenes.keySet().removeIf(k -> (k >> 8) == g);
                out.add(new Out(0x0004, SimZcl.replyHeader(h, true, 0x03).u8(had ? SUCCESS : NOT_FOUND).u16(g).done()));
                return -1;
            }
            case 0x04 -> {
                groups.clear();
                scenes.clear();
                return SUCCESS;
            }
            default -> {
                return UNSUP_CLUSTER_COMMAND;
            }
        }
    }

    private int scenesCommand(Header h, SimBytes.R r, List<Out> out) {
        int cmd = h.cmd();
        switch (cmd) {
            case 0x00 -> { // add scene: group, scene, transition time, name, extension sets (ignored)
                int g = r.u16();
                int s = r.u8();
                r.u16();
                int st = g != 0 && !groups.contains(g) ? INVALID_FIELD
                        : scenes.size() >= MAX_SCENES && !scenes.containsKey(sceneKey(g, s)) ? INSUFFICIENT_SPACE : SUCCESS;
                if (st == SUCCESS) {
                    scenes.put(sceneKey(g, s), snapshot());
                }
                out.add(new Out(0x0005, SimZcl.replyHeader(h, true, 0x00).u8(st).u16(g).u8(s).done()));
                return -1;
            }
            case 0x01 -> { // view
                int g = r.u16();
                int s = r.u8();
                boolean has = scenes.containsKey(sceneKey(g, s));
                SimBytes.W w = SimZcl.replyHeader(h, true, 0x01).u8(has ? SUCCESS : NOT_FOUND).u16(g).u8(s);
                if (has) {
                    w.u16(0).u8(0);
                }
                out.add(new Out(0x0005, w.done()));
                return -1;
            }
            case 0x02 -> {
                int g = r.u16();
                int s = r.u8();
                boolean had = scenes.remove(sceneKey(g, s)) != null;
                out.add(new Out(0x0005, SimZcl.replyHeader(h, true, 0x02).u8(had ? SUCCESS : NOT_FOUND).u16(g).u8(s).done()));
                return -1;
            }
            case 0x03 -> {
                int g = r.u16();
                scenes.keySet().removeIf(k -> (k >> 8) == g);
                out.add(new Out(0x0005, SimZcl.replyHeader(h, true, 0x03).u8(SUCCESS).u16(g).done()));
                return -1;
            }
            case 0x04 -> { // store
                int g = r.u16();
                int s = r.u8();
                int st = g != 0 && !groups.contains(g) ? INVALID_FIELD : SUCCESS;
                if (st == SUCCESS) {
                    scenes.put(sceneKey(g, s), snapshot());
                    set(0x0005, 0x0001, s);
                    set(0x0005, 0x0002, g);
                    set(0x0005, 0x0003, 1);
                }
                set(0x0005, 0x0000, scenes.size());
                out.add(new Out(0x0005, SimZcl.replyHeader(h, true, 0x04).u8(st).u16(g).u8(s).done()));
                return -1;
            }
            case 0x05 -> { // recall
                int g = r.u16();
                int s = r.u8();
                int[] snap = scenes.get(sceneKey(g, s));
                if (snap == null) {
                    return NOT_FOUND;
                }
                restore(snap);
                set(0x0005, 0x0001, s);
                set(0x0005, 0x0002, g);
                return SUCCESS;
            }
            case 0x06 -> { // get scene membership
                int g = r.u16();
                List<Integer> list = new ArrayList<>();
                scenes.keySet().forEach(k -> {
                    if ((k >> 8) == g) {
                        list.add((int) (k & 0xFF));
                    }
                });
                SimBytes.W w = SimZcl.replyHeader(h, true, 0x06).u8(SUCCESS).u8(MAX_SCENES - scenes.size()).u16(g)
                        .u8(list.size());
                list.forEach(w::u8);
                out.add(new Out(0x0005, w.done()));
                return -1;
            }
            default -> {
                return UNSUP_CLUSTER_COMMAND;
            }
        }
    }

    private static long sceneKey(int g, int s) {
        return ((long) g << 8) | s;
    }

    private int[] snapshot() {
        return new int[] {(int) num(0x0006, 0), (int) num(0x0008, 0), (int) num(0x0300, 0x0008),
            (int) num(0x0300, 3), (int) num(0x0300, 4), (int) num(0x0300, 0), (int) num(0x0300, 1), (int) num(0x0300, 7)};
    }

    private void restore(int[] s) {
        set(0x0006, 0, s[0]);
        set(0x0008, 0, s[1]);
        set(0x0300, 0x0008, s[2]);
        set(0x0300, 3, s[3]);
        set(0x0300, 4, s[4]);
        set(0x0300, 0, s[5]);
        set(0x0300, 1, s[6]);
        set(0x0300, 7, s[7]);
    }

    // ------------------------------------------------------------------ level control

    /** ZCL §3.10.2.2.3: commands without on/off act on an "off" device only when ExecuteIfOff says so. */
    private boolean executeIfOff(SimBytes.R r, int cluster) {
        long opts = num(cluster, 0x000F);
        if (r.remaining() >= 2) {
            int mask = r.u8();
            int override = r.u8();
            if ((mask & 1) != 0) {
                return (override & 1) != 0;
            }
        }
        return (opts & 1) != 0;
    }

    private boolean isOn() {
        return !hasCluster(0x0006) || num(0x0006, 0) != 0;
    }

    private int levelCommand(Header h, SimBytes.R r, long now) {
        int cmd = h.cmd();
        boolean withOnOff = cmd >= 0x04;
        int base = withOnOff ? cmd - 4 : cmd;
        switch (base) {
            case 0x00 -> {
                int level = r.u8();
                r.u16();
                if (!withOnOff && !isOn() && !executeIfOff(r, 0x0008)) {
                    return SUCCESS;
                }
                applyLevel(Math.max(1, Math.min(254, level)), withOnOff);
                return SUCCESS;
            }
            case 0x01 -> {
                int mode = r.u8();
                int rate = r.u8();
                if (!withOnOff && !isOn() && !executeIfOff(r, 0x0008)) {
                    return SUCCESS;
                }
                if (rate == 0) {
                    return SUCCESS;
                }
                if (rate == 0xFF) {
                    rate = 100;
                }
                if (withOnOff && mode == 0) {
                    set(0x0006, 0, 1);
                }
                moving = true;
                moveStart = now;
                moveFrom = (int) num(0x0008, 0);
                moveRate = mode == 0 ? rate : -rate;
                moveWithOnOff = withOnOff;
                return SUCCESS;
            }
            case 0x02 -> {
                int mode = r.u8();
                int step = r.u8();
                r.u16();
                if (!withOnOff && !isOn() && !executeIfOff(r, 0x0008)) {
                    return SUCCESS;
                }
                int cur = (int) num(0x0008, 0);
                applyLevel(Math.max(1, Math.min(254, mode == 0 ? cur + step : cur - step)), withOnOff);
                return SUCCESS;
            }
            case 0x03 -> {
                moving = false;
                return SUCCESS;
            }
            default -> {
                return UNSUP_CLUSTER_COMMAND;
            }
        }
    }

    private void applyLevel(int level, boolean withOnOff) {
        moving = false;
        set(0x0008, 0, level);
        if (withOnOff && hasCluster(0x0006)) {
            set(0x0006, 0, level > 1 ? 1 : 0);
        }
    }

    /** Brings currentLevel up to date with a move in progress (rate in units per second). */
    void settleLevel(long now) {
        if (!moving) {
            return;
        }
        double secs = (now - moveStart) / 1e9;
        long target = Math.round(moveFrom + moveRate * secs);
        if (target >= 254 || target <= 1) {
            moving = false;
        }
        int level = (int) Math.max(1, Math.min(254, target));
        set(0x0008, 0, level);
        if (moveWithOnOff && level <= 1 && moveRate < 0) {
            set(0x0006, 0, 0);
        }
    }

    // ------------------------------------------------------------------ colour control

    private int colorCommand(Header h, SimBytes.R r) {
        int caps = kind.colorCapabilities();
        int cmd = h.cmd();
        int need = switch (cmd) {
            case 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 -> 0x01;
            case 0x40, 0x41, 0x42, 0x43 -> 0x02;
            case 0x07, 0x08, 0x09 -> 0x08;
            case 0x0A, 0x4B, 0x4C -> 0x10;
            case 0x47 -> 0;
            default -> -1;
        };
        if (need < 0 || (need & caps) != need) {
            return UNSUP_CLUSTER_COMMAND;
        }
        switch (cmd) {
            case 0x00 -> { // move to hue: hue, direction, transition time
                int hue = r.u8();
                r.u8();
                r.u16();
                if (gate(r)) {
                    setHs(Math.min(254, hue), -1);
                }
            }
            case 0x02 -> { // step hue: mode, step, transition time (u8)
                int mode = r.u8();
                int step = r.u8();
                r.u8();
                if (gate(r)) {
                    int hue = (int) num(0x0300, 0);
                    setHs(Math.floorMod(mode == 1 ? hue + step : hue - step, 255), -1);
                }
            }
            case 0x03 -> {
                int sat = r.u8();
                r.u16();
                if (gate(r)) {
                    setHs(-1, Math.min(254, sat));
                }
            }
            case 0x05 -> {
                int mode = r.u8();
                int step = r.u8();
                r.u8();
                if (gate(r)) {
                    int sat = (int) num(0x0300, 1);
                    setHs(-1, Math.max(0, Math.min(254, mode == 1 ? sat + step : sat - step)));
                }
            }
            case 0x06 -> {
                int hue = r.u8();
                int sat = r.u8();
                r.u16();
                if (gate(r)) {
                    setHs(Math.min(254, hue), Math.min(254, sat));
                }
            }
            case 0x07 -> {
                int x = r.u16();
                int y = r.u16();
                r.u16();
                if (gate(r)) {
                    setXy(x, y);
                }
            }
            case 0x09 -> {
                int dx = (short) r.u16();
                int dy = (short) r.u16();
                r.u16();
                if (gate(r)) {
                    setXy((int) Math.max(0, Math.min(0xFEFF, num(0x0300, 3) + dx)),
                            (int) Math.max(0, Math.min(0xFEFF, num(0x0300, 4) + dy)));
                }
            }
            case 0x0A -> {
                int mireds = r.u16();
                r.u16();
                if (gate(r)) {
                    setCt(mireds);
                }
            }
            case 0x4C -> { // step colour temperature: mode, step, tt, min, max
                int mode = r.u8();
                int step = r.u16();
                r.u16();
                r.u16();
                r.u16();
                if (gate(r)) {
                    int ct = (int) num(0x0300, 7);
                    setCt(mode == 1 ? ct + step : ct - step);
                }
            }
            case 0x40, 0x43 -> { // enhanced move to hue (and saturation)
                int ehue = r.u16();
                int sat = -1;
                if (cmd == 0x40) {
                    r.u8();
                } else {
                    sat = Math.min(254, r.u8());
                }
                r.u16();
                if (gate(r)) {
                    set(0x0300, 0x4000, ehue);
                    setHs(ehue >> 8, sat);
                    set(0x0300, 0x4001, 3);
                }
            }
            default -> {
                // move / stop variants: accepted, no continuous motion is modelled for colour
            }
        }
        return SUCCESS;
    }

    private boolean gate(SimBytes.R r) {
        return isOn() || executeIfOff(r, 0x0300);
    }

    private void setHs(int hue, int sat) {
        if (hue >= 0) {
            set(0x0300, 0, hue);
            if (attr(0x0300, 0x4000) != null) {
                set(0x0300, 0x4000, (long) hue << 8);
            }
        }
        if (sat >= 0) {
            set(0x0300, 1, sat);
        }
        set(0x0300, 0x0008, 0);
        set(0x0300, 0x4001, 0);
    }

    private void setXy(int x, int y) {
        set(0x0300, 3, x);
        set(0x0300, 4, y);
        set(0x0300, 0x0008, 1);
        set(0x0300, 0x4001, 1);
    }

    private void setCt(int mireds) {
        set(0x0300, 7, Math.max(kind.minMireds(), Math.min(kind.maxMireds(), mireds)));
        set(0x0300, 0x0008, 2);
        set(0x0300, 0x4001, 2);
    }

    // ------------------------------------------------------------------ views

    DeviceView view(long nowNanos) {
        settleLevel(nowNanos);
        Map<Integer, Map<Integer, Object>> a = new TreeMap<>();
        attrs.forEach((c, m) -> {
            Map<Integer, Object> v = new TreeMap<>();
            m.forEach((id, at) -> v.put(id, at.value instanceof byte[] b ? b.clone() : at.value));
            a.put(c, Collections.unmodifiableMap(v));
        });
        return new DeviceView(ieee, nwk, kind, joined, silent, num(0x0006, 0) != 0, (int) num(0x0008, 0),
                (int) num(0x0300, 0), (int) num(0x0300, 1), (int) num(0x0300, 3), (int) num(0x0300, 4),
                (int) num(0x0300, 7), (int) num(0x0300, 8), Collections.unmodifiableSet(new LinkedHashSet<>(groups)),
                Collections.unmodifiableMap(a));
    }

    /** MAC capability flags in a device announce (alternate PAN coordinator 0x01 never set). */
    int capabilities() {
        return kind.sleepy() ? 0x80 : 0x8E;
    }
}
