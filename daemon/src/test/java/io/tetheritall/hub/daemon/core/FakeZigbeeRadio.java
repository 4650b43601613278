package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReadRecord;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclHeader;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclReader;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclStatus;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclWriter;
import io.tetheritall.hub.radios.api.AddressMode;
import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.NodeDescriptor;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import io.tetheritall.hub.radios.api.ZigbeeRadio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double for the radio that behaves like devices at the APS level: it answers ZDO
 * descriptor requests, ZCL reads, writes, reporting configuration and cluster commands (keeping
 * each device's attributes as its state), synchronously from within the call. Devices can be told
 * to ignore requests, to leave mid-interview, or to confirm by report instead of default response.
 */
final class FakeZigbeeRadio implements ZigbeeRadio {
    static final long COORDINATOR_IEEE = 0x00124b0000c0ffeeL;

    /** One simulated device. Attributes are keyed by cluster << 16 | attribute. */
    static final class FakeDevice {
        final long ieee;
        final int nwk;
        final int logicalType;
        final boolean mains;
        final List<Integer> clusters;
        final Map<Long, ZclValue> attrs = new HashMap<>();
        final Set<Integer> groups = new HashSet<>();
        boolean ignoreZdo;
        boolean ignoreZcl;
        /** Answer cluster commands with an attribute report instead of a default response. */
        boolean confirmByReport;
        /**
         * Like most real bulbs and plugs: a cluster command that changes attributes is answered with an attribute
         * report of them as well as the default response, the report first, or after the default response.
         */
        boolean reportBeforeDefaultResponse;
        boolean reportAfterDefaultResponse;
        /** Link quality of the frames this device sends (the hub puts it in the state as {@code linkquality}). */
        int lqi = 120;
        /** Status to answer cluster commands with. */
        int commandStatus = ZclStatus.SUCCESS;
        /** Leave when asked for a simple descriptor. */
        boolean leaveOnSimpleDescriptor;
        final List<ZclFrame> received = new ArrayList<>();

        FakeDevice(long ieee, int nwk, int logicalType, boolean mains, List<Integer> clusters) {
            this.ieee = ieee;
            this.nwk = nwk;
            this.logicalType = logicalType;
            this.mains = mains;
            this.clusters = clusters;
        }

        FakeDevice attr(int cluster, int attr, ZclDataType t, Object v) {
            attrs.put(((long) cluster << 16) | attr, ZclValue.of(t, v));
            return this;
        }

        Object value(int cluster, int attr) {
            ZclValue v = attrs.get(((long) cluster << 16) | attr);
            return v == null ? null : v.value();
        }
    }

    final Map<Integer, FakeDevice> devices = new HashMap<>();
    final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    final List<String> zdo = new CopyOnWriteArrayList<>();
    private final List<RadioListener> listeners = new CopyOnWriteArrayList<>();
    /** If set, every send fails with it. */
    volatile RadioException sendFailure;
    volatile boolean leaveFails;
    /** If set, devices handle frames and answer on this executor, like a radio's event thread. */
    volatile java.util.concurrent.ExecutorService async;
    private int tsn = 200;

    FakeDevice add(FakeDevice d) {
        devices.put(d.nwk, d);
        return d;
    }

    /** A device of a DEVICES.md kind. */
    static FakeDevice of(String kind, int index) {
        long ieee = 0x00124b0000000000L | (0x1000 + index);
        int nwk = 0x1000 + index * 7;
        FakeDevice d;
        switch (kind) {
            case "colour-bulb", "ws-bulb", "hue-bulb" -> {
                d = new FakeDevice(ieee, nwk, 1, true, List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300));
                d.attr(6, 0, ZclDataType.BOOLEAN, false).attr(8, 0, ZclDataType.UINT8, 254L)
                        .attr(0x300, 3, ZclDataType.UINT16, 20000L).attr(0x300, 4, ZclDataType.UINT16, 20000L)
                        .attr(0x300, 7, ZclDataType.UINT16, 300L);
                basic(d, kind.equals("hue-bulb") ? "Signify Netherlands B.V." : "IKEA of Sweden",
                        kind.equals("colour-bulb") ? "TRADFRI bulb E27 CWS opal 600lm"
                                : kind.equals("ws-bulb") ? "TRADFRI bulb E27 WS opal 980lm" : "LCT015", 1);
            }
            case "plug" -> {
                d = new FakeDevice(ieee, nwk, 1, true, List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0702, 0x0B04));
                d.attr(6, 0, ZclDataType.BOOLEAN, true).attr(0x0702, 0x0302, ZclDataType.UINT24, 1000L)
                        .attr(0x0B04, 0x050B, ZclDataType.INT16, 42L);
                basic(d, "innr", "SP 120", 1);
            }
            case "weather" -> {
                d = new FakeDevice(ieee, nwk, 2, false, List.of(0x0000, 0x0001, 0x0003, 0x0402, 0x0403, 0x0405));
                basic(d, "LUMI", "lumi.weather", 3);
            }
            case "motion" -> {
                d = new FakeDevice(ieee, nwk, 2, false, List.of(0x0000, 0x0001, 0x0003, 0x0400, 0x0402, 0x0406));
                basic(d, "Signify Netherlands B.V.", "SML001", 3);
            }
            case "contact" -> {
                d = new FakeDevice(ieee, nwk, 2, false, List.of(0x0000, 0x0001, 0x0003, 0x0500));
                d.attr(0x0500, 1, ZclDataType.ENUM16, 0x0015L).attr(0x0500, 2, ZclDataType.BITMAP16, 0L);
                basic(d, "eWeLink", "DS01", 3);
            }
            case "leak" -> {
                d = new FakeDevice(ieee, nwk, 2, false, List.of(0x0000, 0x0001, 0x0003, 0x0500));
                d.attr(0x0500, 1, ZclDataType.ENUM16, 0x002AL).attr(0x0500, 2, ZclDataType.BITMAP16, 0L);
                basic(d, "LUMI", "lumi.sensor_wleak.aq1", 3);
            }
            case "unknown" -> {
                d = new FakeDevice(ieee, nwk, 2, false, List.of(0x0000, 0x0402, 0xFC00));
                basic(d, "Acme", "thermo-9000", 3);
            }
            default -> throw new IllegalArgumentException(kind);
        }
        return d;
    }

    private static void basic(FakeDevice d, String manufacturer, String model, int powerSource) {
        d.attr(0, 0, ZclDataType.UINT8, 3L).attr(0, 4, ZclDataType.CHAR_STRING, manufacturer)
                .attr(0, 5, ZclDataType.CHAR_STRING, model).attr(0, 7, ZclDataType.ENUM8, (long) powerSource);
    }

    /** Announces a join to the hub. */
    void join(FakeDevice d) {
        add(d);
        listeners.forEach(l -> l.deviceJoined(d.nwk, d.ieee, 0));
    }

    void announce(FakeDevice d) {
        listeners.forEach(l -> l.deviceAnnounced(d.nwk, d.ieee, 0x8E));
    }

    void leave(FakeDevice d) {
        listeners.forEach(l -> l.deviceLeft(d.nwk, d.ieee, false));
    }

    /** The radio reports a state change, as the scheduler does when its breaker opens or closes. */
    void radioState(io.tetheritall.hub.radios.api.RadioState state, String reason) {
        listeners.forEach(l -> l.stateChanged(state, reason));
    }

    /** The device sends a frame (report, notification) to the hub. */
    void deliver(FakeDevice d, int cluster, byte[] payload) {
        IncomingMessage m = new IncomingMessage(d.nwk, 1, 1, cluster, 0, false, d.lqi, payload);
        listeners.forEach(l -> l.messageReceived(m));
    }

    void deliverFrom(int nwk, int cluster, byte[] payload) {
        IncomingMessage m = new IncomingMessage(nwk, 1, 1, cluster, 0, false, 120, payload);
        listeners.forEach(l -> l.messageReceived(m));
    }

    /** The device reports attributes. */
    void report(FakeDevice d, int cluster, AttributeValue... values) {
        deliver(d, cluster, new ZclGlobal.ReportAttributes(List.of(values)).toFrame(tsn++ & 0xFF, true).encode());
    }

    List<OutgoingMessage> sentTo(int cluster) {
        return sent.stream().filter(m -> m.clusterId() == cluster).toList();
    }

    // --- ZigbeeRadio ---

    @Override
    public String id() {
        return "fake0";
    }

    @Override
    public CompletableFuture<NetworkInfo> start() {
        return CompletableFuture.completedFuture(network());
    }

    @Override
    public RadioState state() {
        return RadioState.UP;
    }

    @Override
    public NetworkInfo network() {
        return new NetworkInfo(0x1a62, 0xdddddddddddddddL, 11, COORDINATOR_IEEE, "fake", false);
    }

    @Override
    public CompletableFuture<Void> send(OutgoingMessage message, SendOptions options) {
        sent.add(message);
        if (sendFailure != null) {
            return CompletableFuture.failedFuture(sendFailure);
        }
        if (message.mode() == AddressMode.GROUP) {
            for (FakeDevice d : devices.values()) {
                if (d.groups.contains(message.address())) {
                    apply(d, message.clusterId(), ZclFrame.decode(message.payload()), false);
                }
            }
            return CompletableFuture.completedFuture(null);
        }
        FakeDevice d = devices.get(message.address());
        if (d == null) {
            return CompletableFuture.failedFuture(new RadioException(io.tetheritall.hub.radios.api.RadioError
                    .DEVICE_UNREACHABLE, "no route"));
        }
        ZclFrame f = ZclFrame.decode(message.payload());
        java.util.concurrent.ExecutorService ex = async;
        if (ex != null) {
            CompletableFuture<Void> confirm = new CompletableFuture<>();
            ex.execute(() -> {
                confirm.complete(null);
                if (!d.ignoreZcl) {
                    apply(d, message.clusterId(), f, true);
                }
            });
            return confirm;
        }
        d.received.add(f);
        if (!d.ignoreZcl) {
            apply(d, message.clusterId(), f, true);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** What a device does with a frame; answers if {@code answer}. */
    private void apply(FakeDevice d, int cluster, ZclFrame f, boolean answer) {
        ZclHeader h = f.header();
        if (f.global()) {
            ZclGlobal.Command c = ZclGlobal.decode(f);
            if (c instanceof ZclGlobal.ReadAttributes r && answer) {
                List<ReadRecord> recs = new ArrayList<>();
                for (int a : r.attributeIds()) {
                    ZclValue v = d.attrs.get(((long) cluster << 16) | a);
                    recs.add(v == null ? new ReadRecord(a, ZclStatus.UNSUPPORTED_ATTRIBUTE, null)
                            : new ReadRecord(a, ZclStatus.SUCCESS, v));
                }
                reply(d, cluster, new ZclGlobal.ReadAttributesResponse(recs).toFrame(h.tsn(), true));
            } else if (c instanceof ZclGlobal.ConfigureReporting && answer) {
                reply(d, cluster, new ZclGlobal.ConfigureReportingResponse(List.of(
                        new ZclGlobal.ReportingStatus(0, 0, 0))).toFrame(h.tsn(), true));
            } else if (c instanceof ZclGlobal.WriteAttributes w) {
                w.attributes().forEach(a -> d.attrs.put(((long) cluster << 16) | a.attributeId(), a.value()));
                if (answer) {
                    reply(d, cluster, new ZclGlobal.WriteAttributesResponse(List.of(
                            new ZclGlobal.WriteStatus(0, -1))).toFrame(h.tsn(), true));
                }
            }
            return;
        }
        ZclReader r = new ZclReader(f.payload());
        List<AttributeValue> changed = new ArrayList<>();
        int cmd = h.commandId();
        if (d.commandStatus == ZclStatus.SUCCESS) {
            switch (cluster) {
                case 0x0006 -> {
                    boolean cur = Boolean.TRUE.equals(d.value(6, 0));
                    boolean next = cmd == 1 || (cmd == 2 && !cur);
                    d.attr(6, 0, ZclDataType.BOOLEAN, next);
                    changed.add(new AttributeValue(0, ZclValue.of(ZclDataType.BOOLEAN, next)));
                }
                case 0x0008 -> {
                    long level = r.u8();
                    d.attr(8, 0, ZclDataType.UINT8, level);
                    changed.add(new AttributeValue(0, ZclValue.of(ZclDataType.UINT8, level)));
                    if (cmd == 0x04) {
                        d.attr(6, 0, ZclDataType.BOOLEAN, level > 0);
                    }
                }
                case 0x0300 -> {
                    if (cmd == 0x07) {
                        long x = r.u16();
                        long y = r.u16();
                        d.attr(0x300, 3, ZclDataType.UINT16, x).attr(0x300, 4, ZclDataType.UINT16, y);
                        changed.add(new AttributeValue(3, ZclValue.of(ZclDataType.UINT16, x)));
                        changed.add(new AttributeValue(4, ZclValue.of(ZclDataType.UINT16, y)));
                    } else if (cmd == 0x0A) {
                        long m = r.u16();
                        d.attr(0x300, 7, ZclDataType.UINT16, m);
                        changed.add(new AttributeValue(7, ZclValue.of(ZclDataType.UINT16, m)));
                    } else if (cmd == 0x06) {
                        d.attr(0x300, 0, ZclDataType.UINT8, (long) r.u8()).attr(0x300, 1, ZclDataType.UINT8,
                                (long) r.u8());
                    }
                }
                case 0x0004 -> {
                    int group = r.u16();
                    if (cmd == 0x00) {
                        d.groups.add(group);
                    } else if (cmd == 0x03) {
                        d.groups.remove(group);
                    }
                    if (answer) {
                        reply(d, cluster, new ZclFrame(new ZclHeader(true, -1, true, true, h.tsn(), cmd),
                                new ZclWriter().u8(0).u16(group).toByteArray()));
                    }
                    return;
                }
                default -> {
                }
            }
        }
        if (!answer || h.disableDefaultResponse() && d.commandStatus == ZclStatus.SUCCESS) {
            return;
        }
        if (d.confirmByReport && !changed.isEmpty()) {
            reply(d, cluster, new ZclGlobal.ReportAttributes(changed).toFrame(tsn++ & 0xFF, true));
        } else {
            boolean report = !changed.isEmpty() && d.commandStatus == ZclStatus.SUCCESS;
            if (report && d.reportBeforeDefaultResponse) {
                reply(d, cluster, new ZclGlobal.ReportAttributes(changed).toFrame(tsn++ & 0xFF, true));
            }
            reply(d, cluster, new ZclGlobal.DefaultResponse(cmd, d.commandStatus, true).toFrame(h.tsn(), true));
            if (report && d.reportAfterDefaultResponse) {
                reply(d, cluster, new ZclGlobal.ReportAttributes(changed).toFrame(tsn++ & 0xFF, true));
            }
        }
    }

    private void reply(FakeDevice d, int cluster, ZclFrame f) {
        deliver(d, cluster, f.encode());
    }

    @Override
    public CompletableFuture<Void> permitJoin(Duration duration, int viaRouter) {
        zdo.add("permitJoin " + duration.toSeconds() + " " + viaRouter);
        return CompletableFuture.completedFuture(null);
    }

    private FakeDevice zdoTarget(int nwk, String what) {
        zdo.add(what + " " + nwk);
        FakeDevice d = devices.get(nwk);
        return d == null || d.ignoreZdo ? null : d;
    }

    @Override
    public CompletableFuture<NodeDescriptor> nodeDescriptor(int nwk) {
        FakeDevice d = zdoTarget(nwk, "nodeDescriptor");
        if (d == null) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(new NodeDescriptor(nwk, d.logicalType, 0x117C,
                d.mains ? 0x8E : 0x80));
    }

    @Override
    public CompletableFuture<List<Integer>> activeEndpoints(int nwk) {
        FakeDevice d = zdoTarget(nwk, "activeEndpoints");
        return d == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(List.of(1));
    }

    @Override
    public CompletableFuture<SimpleDescriptor> simpleDescriptor(int nwk, int endpoint) {
        FakeDevice d = zdoTarget(nwk, "simpleDescriptor");
        if (d == null) {
            return new CompletableFuture<>();
        }
        if (d.leaveOnSimpleDescriptor) {
            leave(d);
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(new SimpleDescriptor(1, 0x0104, 0x0100, d.clusters, List.of(0x0019)));
    }

    @Override
    public CompletableFuture<Void> requestLeave(int nwk, long ieee) {
        zdo.add("leave " + nwk);
        if (leaveFails) {
            return CompletableFuture.failedFuture(new RadioException(
                    io.tetheritall.hub.radios.api.RadioError.DEVICE_UNREACHABLE, "MAC_NO_ACK"));
        }
        devices.remove(nwk);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> bind(int nwk, long ieee, int endpoint, int clusterId) {
        FakeDevice d = zdoTarget(nwk, "bind " + clusterId);
        return d == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
    }

    @Override
    public void addListener(RadioListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(RadioListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
    }

    static AttributeValue av(int id, ZclDataType t, Object v) {
        return new AttributeValue(id, ZclValue.of(t, v));
    }
}
