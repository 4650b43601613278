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
 * business. This class is the entry point the simulator calls and holds the device's state; the attribute
 * table and global commands are in {@link SimDeviceAttributes}, the cluster commands in {@link SimDeviceCommands}
 * and {@link SimDeviceLighting}. Not thread-safe: called under the simulator's lock.
 */
final class SimDevice {
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

    private final SimDeviceAttributes attributes = new SimDeviceAttributes(this);
    private final SimDeviceLighting lighting = new SimDeviceLighting(this);
    private final SimDeviceCommands commands = new SimDeviceCommands(this, lighting);

    SimDevice(int index, DeviceKind kind, long ieee, int nwk, int hops, long seed) {
        this.index = index;
        this.kind = kind;
        this.ieee = ieee;
        this.nwk = nwk;
        this.hops = hops;
        this.rnd = new Random(seed);
        this.lqi = Math.max(40, 255 - 40 * (hops - 1) - rnd.nextInt(60));
        this.tsn = rnd.nextInt(256);
        attributes.initAttributes();
    }

    // ------------------------------------------------------------------ attributes

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
                status = attributes.manufGlobal(manufAttrs.get(cluster), cluster, h, new SimBytes.R(frame, h.payloadOffset()), out);
            } else if (h.manufSpecific()) {
                status = h.clusterSpecific() ? UNSUP_MANUF_CLUSTER_COMMAND : UNSUP_MANUF_GENERAL_COMMAND;
            } else if (h.clusterSpecific()) {
                status = commands.cluster(cluster, h, new SimBytes.R(frame, h.payloadOffset()), out, nowNanos);
            } else {
                status = attributes.global(cluster, h, new SimBytes.R(frame, h.payloadOffset()), out);
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


    // ------------------------------------------------------------------ views

    /** Brings currentLevel up to date with a level move in progress (rate in units per second). */
    void settleLevel(long now) {
        lighting.settleLevel(now);
    }

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
