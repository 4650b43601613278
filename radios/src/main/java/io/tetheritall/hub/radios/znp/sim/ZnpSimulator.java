package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.time.ExecutorTaskScheduler;
import io.tetheritall.hub.radios.time.TaskScheduler;
import io.tetheritall.hub.radios.znp.unpi.UnpiCodec;
import io.tetheritall.hub.radios.znp.unpi.UnpiDecoder;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.tinylog.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A protocol-faithful TI Z-Stack 3.x.0 coordinator (CC2652P in ZNP mode, Koenkk firmware
 * 20230507) behind a {@link ByteLink}, with a population of simulated Zigbee devices.
 *
 * <p>The simulator speaks MT over UNPI exactly as the stick does: SREQ → SRSP with the same
 * subsystem and id, asynchronous AREQ callbacks, NV memory that survives resets (and, with an NV
 * file, process restarts), BDB formation, permit-join, joins, ZDO and ZCL over AF. It models the
 * limits a host must respect: AF requests in flight (BUFFER_FULL beyond the limit), the broadcast
 * transaction table, UART pacing, per-hop latency, sleepy-device polling and MAC failures.
 * Timing runs on an injected {@link TaskScheduler} so tests use virtual time.
 *
 * <h2>Herdsman (zStackAdapter / manager / adapter-backup / adapter-nv-memory) requests supported</h2>
 * <pre>
 *  SYS      21 01 PING · 21 02 VERSION · 41 00 RESET_REQ (AREQ) → 41 80 RESET_IND · 21 03/04 SET/GET_EXT_ADDR
 *           21 07 OSAL_NV_ITEM_INIT · 21 08/09 OSAL_NV_READ/WRITE · 21 1C/1D OSAL_NV_READ/WRITE_EXT
 *           21 12 OSAL_NV_DELETE · 21 13 OSAL_NV_LENGTH · 21 0C RANDOM · 21 0F STACK_TUNE · 21 14 SET_TX_POWER
 *           21 30..36 NV_CREATE/DELETE/LENGTH/READ/WRITE/UPDATE/COMPACT (CC26xx extended items)
 *  AF       24 00 REGISTER · 24 01 DATA_REQUEST · 24 02 DATA_REQUEST_EXT · 24 04 DELETE · 24 10 INTER_PAN_CTL
 *           → 44 80 DATA_CONFIRM, 44 81 INCOMING_MSG
 *  ZDO      25 00 NWK_ADDR · 25 01 IEEE_ADDR · 25 02 NODE_DESC · 25 03 POWER_DESC · 25 04 SIMPLE_DESC
 *           25 05 ACTIVE_EP · 25 21/22 BIND/UNBIND · 25 23/24 SET/REMOVE_LINK_KEY · 25 31 MGMT_LQI
 *           25 32 MGMT_RTG · 25 34 MGMT_LEAVE · 25 36 MGMT_PERMIT_JOIN · 25 37 MGMT_NWK_UPDATE
 *           25 3E/3F MSG_CB_REGISTER/REMOVE · 25 40 STARTUP_FROM_APP · 25 45 EXT_ROUTE_DISC
 *           25 47..4C EXT_REMOVE_GROUP/REMOVE_ALL/FIND_ALL_GROUPS_EP/FIND_GROUP/ADD_GROUP/COUNT_ALL
 *           25 4E/4F EXT_UPDATE/SWITCH_NWK_KEY · 25 50 EXT_NWK_INFO
 *           → 45 80..85, A1, A2, B1, B2, B4, B6, C0 STATE_CHANGE, C1 END_DEVICE_ANNCE, C9 LEAVE_IND,
 *             CA TC_DEV_IND, CB PERMIT_JOIN_IND
 *  UTIL     27 00 GET_DEVICE_INFO · 27 06 CALLBACK_SUB_CMD · 27 09 TIME_ALIVE · 27 0A LED_CONTROL
 *           27 40/41 ADDRMGR_EXT/NWK_ADDR_LOOKUP · 27 4A ASSOC_GET_WITH_ADDRESS · 27 63/64 ASSOC_REMOVE/ADD
 *  APP_CNF  2F 01 SET_DEFAULT_REMOTE_ED_TIMEOUT · 2F 03 SET_ALLOW_REJOIN_TC_POLICY · 2F 04 BDB_ADD_INSTALLCODE
 *           2F 05 BDB_START_COMMISSIONING (→ 4F 80) · 2F 08 BDB_SET_CHANNEL · 2F 09 BDB_SET_TC_REQUIRE_KEY_EXCHANGE
 *           2F FF SET_NWK_FRAME_COUNTER
 * </pre>
 * Anything else gets the MT RPC error SRSP {@code 60 00 [err, cmd0, cmd1]}: 0x01 bad subsystem,
 * 0x02 bad command id, 0x04 bad length (payload too short for the command).
 */
public final class ZnpSimulator implements AutoCloseable {
    // identity: SYS_VERSION {TransportRev 2, Product 1 (Z-Stack 3.x.0), 2.7.1, revision 20230507}
    static final int TRANSPORT_REV = 2, PRODUCT = 1, MAJOR = 2, MINOR = 7, MAINT = 1, HW_REV = 1;
    static final long REVISION = 20230507L;
    /** SYS_PING capabilities of a CC2652 Z-Stack 3.x.0 build: SYS|AF|ZDO|SAPI|UTIL|APP|APP_CNF (zigpy-znp logs 2425). */
    static final int CAPABILITIES = 0x0979;

    // subsystems
    static final int SYS = 0x01, MAC = 0x02, NWK = 0x03, AF = 0x04, ZDO = 0x05, SAPI = 0x06, UTIL = 0x07,
            DBG = 0x08, APP = 0x09, APP_CNF = 0x0F, GP = 0x15;

    // NV ids (zigpy-znp types/nvids.py, herdsman constants/common.ts)
    static final int NV_STARTUP_OPTION = 0x0003, NV_NIB = 0x0021, NV_EXTENDED_PAN_ID = 0x002D,
            NV_ACTIVE_KEY_INFO = 0x003A, NV_ALTERN_KEY_INFO = 0x003B, NV_APS_USE_EXT_PANID = 0x0047,
            NV_HAS_CONFIGURED = 0x0060, NV_PRECFGKEY = 0x0062, NV_PRECFGKEYS_ENABLE = 0x0063, NV_NWKKEY = 0x0082,
            NV_PANID = 0x0083, NV_CHANLIST = 0x0084, NV_LOGICAL_TYPE = 0x0087, NV_ZDO_DIRECT_CB = 0x008F,
            NV_TCLK_SEED = 0x0101;
    /** Z-Stack's default pre-configured network key (ZDAPP_CONFIG_PRECFGKEY). */
    static final byte[] DEFAULT_KEY = {1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13};
    /** Items reset to their defaults by STARTUP_OPTION bit 0 (the zgItemTable config items). */
    private static final int[] CONFIG_ITEMS = {NV_PANID, NV_CHANLIST, NV_EXTENDED_PAN_ID, NV_APS_USE_EXT_PANID,
        NV_PRECFGKEY, NV_PRECFGKEYS_ENABLE, NV_LOGICAL_TYPE, NV_ZDO_DIRECT_CB};
    /** Network state cleared by STARTUP_OPTION bit 1 (and bit 0). */
    private static final int[] STATE_ITEMS = {NV_NIB, NV_ACTIVE_KEY_INFO, NV_ALTERN_KEY_INFO};
    static final int NIB_LEN = 116;

    // device states (ZDO_STATE_CHANGE_IND)
    static final int DEV_HOLD = 0, DEV_COORD_STARTING = 8, DEV_ZB_COORD = 9;

    // statuses
    static final int ST_SUCCESS = 0x00, ST_FAILURE = 0x01, ST_INVALID_PARAMETER = 0x02, ST_NV_ITEM_UNINIT = 0x09,
            ST_NV_OPER_FAILED = 0x0A, ST_BUFFER_FULL = 0x11, ST_APS_DUPLICATE = 0xB8, ST_NWK_INVALID_REQUEST = 0xC2,
            ST_NWK_TABLE_FULL = 0xC7, ST_MAC_NO_ACK = 0xE9, ST_MAC_TRANSACTION_EXPIRED = 0xF0,
            ST_MAC_TRANSACTION_OVERFLOW = 0xF1;
    /**
     * Status in the SRSP of a group/broadcast AF request when the broadcast transaction table is
     * full. Z-Stack's NWK layer refuses synchronously, so the host sees it in the SRSP (no
     * DATA_CONFIRM follows). 0xC7 NWK_TABLE_FULL names the exhausted resource; zigpy-znp retries on
     * it, herdsman does not (it only retries 0x11/0xE1/0x1A), so a host must rate-limit broadcasts.
     */
    public static final int BROADCAST_REFUSED_STATUS = ST_NWK_TABLE_FULL;

    private static final int RPC_ERR_SUBSYSTEM = 0x01, RPC_ERR_COMMAND_ID = 0x02, RPC_ERR_LENGTH = 0x04;

    private final ZnpSimulatorConfig cfg;
    private final ByteLink link;
    private final TaskScheduler sched;
    private final Random rnd;
    private final SimNv nv;
    private final SimCounters counters = new SimCounters();
    private final UnpiDecoder decoder = new UnpiDecoder(this::onFrame);
    private final List<SimDevice> devices = new ArrayList<>();
    private final Map<Integer, SimDevice> byNwk = new HashMap<>();
    private final Map<Long, SimDevice> byIeee = new LinkedHashMap<>();
    private final Faults faults = new Faults();
    private final long startNanos;

    // coordinator state (RAM, lost on reset unless in NV)
    private long ieee;
    private int devState = DEV_HOLD;
    private int epoch;
    private int panId = 0xFFFF;
    private int channel;
    private byte[] extPanLe = new byte[8];
    private long primaryChannels;
    private long secondaryChannels;
    private final Map<Integer, byte[]> endpoints = new TreeMap<>();
    private final Map<Integer, Set<Integer>> coordGroups = new TreeMap<>();
    private long coordPermitUntil = Long.MIN_VALUE;
    private final Map<Integer, Long> routerPermitUntil = new HashMap<>();
    private TaskScheduler.Cancellable joinTask;
    private final ArrayDeque<Long> broadcastTable = new ArrayDeque<>();
    private int afInSeq;

    // faults
    private volatile boolean hung;
    private boolean corruptNextFcs;
    private boolean dropConfirms;
    private volatile boolean unplugged;

    // UART pacing
    private final ArrayDeque<byte[]> outQ = new ArrayDeque<>();
    private long lineFreeAt;
    private boolean pumpScheduled;
    private boolean opened;
    private boolean deferring;
    private final List<UnpiFrame> deferred = new ArrayList<>();

    /** A message waiting for a sleepy device's poll. */
    static final class Indirect {
        final Runnable deliver;
        final Runnable expire;
        TaskScheduler.Cancellable expiry;

        Indirect(Runnable deliver, Runnable expire) {
            this.deliver = deliver;
            this.expire = expire;
        }
    }

    /**
     * Creates a simulator on the device end of {@code link}; call {@link #start()} to open it.
     * NV comes from the config's NV file when it exists, otherwise the stick is factory-fresh.
     */
    public ZnpSimulator(ZnpSimulatorConfig config, ByteLink link, TaskScheduler scheduler) {
        this.cfg = config;
        this.link = link;
        this.sched = scheduler;
        this.rnd = new Random(config.seed());
        this.nv = new SimNv(config.nvFile());
        this.startNanos = scheduler.nanos();
        buildPopulation();
        boolean loaded = nv.load();
        String storedIeee = nv.record("ieee");
        if (storedIeee != null) {
            ieee = Long.parseUnsignedLong(storedIeee, 16);
        }
        if (!loaded) {
            factoryDefaults();
        }
        loadDeviceRecords();
    }

    /** Convenience: a simulator on {@code link} in real time. */
    public static ZnpSimulator realTime(ZnpSimulatorConfig config, ByteLink link) {
        return new ZnpSimulator(config, link, new ExecutorTaskScheduler("znp-sim"));
    }

    private void buildPopulation() {
        Random r = new Random(config().seed() * 0x9E3779B97F4A7C15L + 17);
        Set<Long> ieees = new HashSet<>();
        Set<Integer> nwks = new HashSet<>();
        long coord;
        do {
            coord = 0x00124B0000000000L | (r.nextInt() & 0xFFFFFFFFL);
        } while (!ieees.add(coord));
        ieee = coord;
        int routers = 0;
        List<DeviceKind> kinds = cfg.devices();
        for (int i = 0; i < kinds.size(); i++) {
            long ie;
            do {
                ie = 0x00124B0000000000L | (r.nextInt() & 0xFFFFFFFFL);
            } while (!ieees.add(ie));
            int nwk;
            do {
                nwk = 1 + r.nextInt(0xFFF6);
            } while (!nwks.add(nwk));
            DeviceKind k = kinds.get(i);
            // Routers near the coordinator are one hop away; every third one sits two hops out.
            int hops = k.sleepy() ? 1 : (routers++ % 3 == 2 ? 2 : 1);
            SimDevice d = new SimDevice(i, k, ie, nwk, hops, r.nextLong());
            d.pollMillis = cfg.pollInterval().toMillis();
            devices.add(d);
            byNwk.put(nwk, d);
            byIeee.put(ie, d);
        }
    }

    private ZnpSimulatorConfig config() {
        return cfg;
    }

    /** NV of a stick fresh from the flasher: Z-Stack's default config items, no network. */
    private void factoryDefaults() {
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

    private void loadDeviceRecords() {
        for (SimDevice d : devices) {
            String rec = nv.record(devKey(d));
            if (rec == null) {
                continue;
            }
            for (String kv : rec.split(" ")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[0].equals("joined")) {
                    d.joined = p[1].equals("1");
                } else if (p.length == 2 && p[0].equals("groups") && !p[1].isEmpty()) {
                    for (String g : p[1].split(",")) {
                        d.groups.add(Integer.parseInt(g, 16));
                    }
                } else if (p.length == 2 && p[0].equals("parent")) {
                    d.parent = Integer.parseInt(p[1], 16);
                }
            }
        }
        String cg = nv.record("coordGroups");
        if (cg != null && !cg.isEmpty()) {
            for (String e : cg.split(",")) {
                String[] p = e.split(":");
                coordGroups.computeIfAbsent(Integer.parseInt(p[0], 16), k -> new TreeSet<>()).add(Integer.parseInt(p[1], 16));
            }
        }
    }

    private static String devKey(SimDevice d) {
        return String.format("dev.%016x", d.ieee);
    }

    private void persistDevice(SimDevice d) {
        StringBuilder g = new StringBuilder();
        for (int x : d.groups) {
            g.append(g.length() == 0 ? "" : ",").append(Integer.toHexString(x));
        }
        nv.putRecord(devKey(d), "joined=" + (d.joined ? 1 : 0) + " parent=" + Integer.toHexString(d.parent)
                + " groups=" + g);
    }

    private void persistCoordGroups() {
        StringBuilder b = new StringBuilder();
        coordGroups.forEach((ep, gs) -> gs.forEach(g -> b.append(b.length() == 0 ? "" : ",")
                .append(Integer.toHexString(ep)).append(':').append(Integer.toHexString(g))));
        nv.putRecord("coordGroups", b.toString());
    }

    // ================================================================== lifecycle

    /** Opens the link and starts the devices' own activity (reports, polls) for already-joined devices. */
    public synchronized void start() throws IOException {
        openLink();
        for (SimDevice d : devices) {
            if (d.joined) {
                startDeviceTasks(d);
            }
        }
    }

    private void openLink() throws IOException {
        link.open(new ByteLink.Listener() {
            @Override
            public void onBytes(byte[] buf, int off, int len) {
                ZnpSimulator.this.onBytes(buf, off, len);
            }

            @Override
            public void onState(LinkState state, String reason) {
                Logger.debug("ZNP simulator link {}: {} ({})", link.name(), state, reason);
            }
        });
        opened = true;
        unplugged = false;
    }

    @Override
    public synchronized void close() {
        for (SimDevice d : devices) {
            stopDeviceTasks(d);
        }
        link.close();
        sched.close();
    }

    public SimCounters counters() {
        return counters;
    }

    public Faults faults() {
        return faults;
    }

    public TaskScheduler scheduler() {
        return sched;
    }

    /** The coordinator's IEEE address. */
    public synchronized long ieee() {
        return ieee;
    }

    /** Current ZDO device state (9 = running as coordinator). */
    public synchronized int deviceState() {
        return devState;
    }

    public synchronized int panId() {
        return panId;
    }

    public synchronized int channel() {
        return channel;
    }

    /** A snapshot of the device with this IEEE address, or null. */
    public synchronized DeviceView device(long ieeeAddr) {
        SimDevice d = byIeee.get(ieeeAddr);
        return d == null ? null : d.view(sched.nanos());
    }

    /** Snapshots of the whole population, in configuration order. */
    public synchronized List<DeviceView> devices() {
        List<DeviceView> l = new ArrayList<>();
        for (SimDevice d : devices) {
            l.add(d.view(sched.nanos()));
        }
        return l;
    }

    /** A copy of an NV item, or null (for tests and diagnostics). */
    public synchronized byte[] nvItem(int id) {
        byte[] v = nv.get(id);
        return v == null ? null : v.clone();
    }

    // ================================================================== input

    private synchronized void onBytes(byte[] buf, int off, int len) {
        if (hung) {
            counters.droppedWhileHung.incrementAndGet();
            decoder.reset();
            return;
        }
        decoder.feed(buf, off, len);
    }

    private void onFrame(UnpiFrame f) {
        counters.framesIn.incrementAndGet();
        try {
            if (f.type() == UnpiFrame.SREQ) {
                counters.sreqs.incrementAndGet();
                sreq(f);
            } else if (f.type() == UnpiFrame.AREQ && f.subsystem() == SYS && f.command() == 0x00) {
                int type = f.length() > 0 ? f.u8(0) : 1;
                Logger.debug("ZNP simulator: SYS_RESET_REQ type {}", type);
                synchronized (this) {
                    scheduleReset(0x00);
                }
            } else {
                counters.ignoredFrames.incrementAndGet();
                Logger.debug("ZNP simulator ignores {}", f);
            }
        } catch (SimBytes.Short e) {
            counters.badRequests.incrementAndGet();
            Logger.warn("ZNP simulator: short payload in {}", f);
            if (f.type() == UnpiFrame.SREQ) {
                rpcError(f, RPC_ERR_LENGTH);
            }
        } catch (RuntimeException e) {
            Logger.error(e, "ZNP simulator failed on {}", f);
            if (f.type() == UnpiFrame.SREQ) {
                rpcError(f, ST_INVALID_PARAMETER + 1);
            }
        }
    }

    private void rpcError(UnpiFrame f, int err) {
        counters.rpcErrors.incrementAndGet();
        emit(UnpiFrame.of(0x60, 0x00, (byte) err, (byte) f.cmd0(), (byte) f.command()));
    }

    // ================================================================== output

    private void srsp(UnpiFrame req, byte... data) {
        emit(new UnpiFrame(UnpiFrame.SRSP, req.subsystem(), req.command(), data));
    }

    private void srsp(UnpiFrame req, SimBytes.W w) {
        srsp(req, w.done());
    }

    private void areq(int subsystem, int cmd, byte[] data) {
        emit(new UnpiFrame(UnpiFrame.AREQ, subsystem, cmd, data));
    }

    private synchronized void emit(UnpiFrame f) {
        if (deferring) {
            deferred.add(f);
            return;
        }
        if (hung) {
            counters.droppedWhileHung.incrementAndGet();
            return;
        }
        byte[] b = UnpiCodec.encode(f);
        if (corruptNextFcs) {
            corruptNextFcs = false;
            b[b.length - 1] ^= 0x5A;
            counters.badFcsSent.incrementAndGet();
        }
        counters.framesOut.incrementAndGet();
        sendRaw(b);
    }

    /**
     * Paces output at the UART rate (10 bits per byte). Bytes go to the link at once while the
     * line's backlog is under one maximum-size frame (the UART driver's buffer); beyond that they
     * wait, so the long-run rate never exceeds baud/10 bytes per second and a burst of confirms or
     * reports queues up as it would on the wire.
     */
    private synchronized void sendRaw(byte[] b) {
        outQ.add(b);
        pump();
    }

    private void pump() {
        long byteNanos = cfg.baud() == 0 ? 0 : 10_000_000_000L / cfg.baud();
        long allowance = byteNanos * 256;
        while (!outQ.isEmpty()) {
            long now = sched.nanos();
            long backlog = lineFreeAt - now;
            if (byteNanos == 0 || backlog <= allowance) {
                byte[] b = outQ.poll();
                lineFreeAt = Math.max(now, lineFreeAt) + b.length * byteNanos;
                write(b);
            } else {
                if (!pumpScheduled) {
                    pumpScheduled = true;
                    sched.schedule(Duration.ofNanos(backlog - allowance), () -> {
                        synchronized (ZnpSimulator.this) {
                            pumpScheduled = false;
                            pump();
                        }
                    });
                }
                return;
            }
        }
    }

    private void write(byte[] b) {
        if (unplugged || !opened) {
            counters.writeFailures.incrementAndGet();
            return;
        }
        try {
            link.write(b);
            counters.bytesOut.addAndGet(b.length);
        } catch (IOException e) {
            counters.writeFailures.incrementAndGet();
            Logger.debug("ZNP simulator write failed: {}", e.toString());
        }
    }

    /** Runs {@code r} after {@code ms} unless the stick reset in between. */
    private void later(long ms, Runnable r) {
        int e = epoch;
        sched.schedule(Duration.ofMillis(ms), () -> {
            synchronized (ZnpSimulator.this) {
                if (epoch == e) {
                    r.run();
                }
            }
        });
    }

    // ================================================================== SREQ dispatch

    private synchronized void sreq(UnpiFrame f) {
        // Frames produced while handling a request are released only when it is fully handled,
        // so a host that reacts to the SRSP (e.g. by advancing virtual time) always finds the
        // request's delayed events already scheduled.
        deferring = true;
        try {
            dispatch(f);
        } finally {
            deferring = false;
            List<UnpiFrame> out = new ArrayList<>(deferred);
            deferred.clear();
            out.forEach(this::emit);
        }
    }

    private void dispatch(UnpiFrame f) {
        int key = f.subsystem() << 8 | f.command();
        SimBytes.R r = new SimBytes.R(f.data());
        switch (key) {
            // ---------------------------------------------------------- SYS
            case 0x0101 -> srsp(f, new SimBytes.W().u16(CAPABILITIES));
            case 0x0102 -> srsp(f, new SimBytes.W().u8(TRANSPORT_REV).u8(PRODUCT).u8(MAJOR).u8(MINOR).u8(MAINT)
                    .u32(REVISION));
            case 0x0103 -> {
                ieee = r.u64();
                nv.putRecord("ieee", Long.toHexString(ieee));
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x0104 -> srsp(f, new SimBytes.W().u64(ieee));
            case 0x0107 -> nvItemInit(f, r);
            case 0x0108 -> nvRead(f, r.u16(), r.u8());
            case 0x0109 -> {
                int id = r.u16();
                int off = r.u8();
                int len = r.u8();
                srsp(f, (byte) nvWrite(id, off, r.bytes(len)));
            }
            case 0x010C -> srsp(f, new SimBytes.W().u16(rnd.nextInt(0x10000)));
            case 0x0112 -> {
                int id = r.u16();
                int len = r.u16();
                byte[] cur = nv.get(id);
                int st = cur == null ? ST_NV_ITEM_UNINIT : cur.length != len ? ST_NV_OPER_FAILED : ST_SUCCESS;
                if (st == ST_SUCCESS) {
                    nv.delete(id);
                }
                srsp(f, (byte) st);
            }
            case 0x0113 -> {
                byte[] cur = nv.get(r.u16());
                srsp(f, new SimBytes.W().u16(cur == null ? 0 : cur.length));
            }
            case 0x010F -> { // SYS_STACK_TUNE (older herdsman sets TX power with it): operation, value → value
                r.u8();
                srsp(f, (byte) r.u8());
            }
            case 0x0114 -> {
                r.u8();
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x011C -> nvRead(f, r.u16(), r.u16());
            case 0x011D -> {
                int id = r.u16();
                int off = r.u16();
                int len = r.u16();
                srsp(f, (byte) nvWrite(id, off, r.bytes(len)));
            }
            case 0x0130 -> { // NV_CREATE sysId, itemId, subId, len(4)
                int sys = r.u8();
                int item = r.u16();
                int sub = r.u16();
                long len = r.u32();
                if (nv.getExt(sys, item, sub) == null) {
                    nv.putExt(sys, item, sub, new byte[(int) Math.min(len, 4096)]);
                }
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x0131 -> srsp(f, (byte) (nv.deleteExt(r.u8(), r.u16(), r.u16()) ? ST_SUCCESS : ST_NV_OPER_FAILED));
            case 0x0132 -> {
                byte[] v = nv.getExt(r.u8(), r.u16(), r.u16());
                srsp(f, new SimBytes.W().u32(v == null ? 0 : v.length));
            }
            case 0x0133 -> {
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
            case 0x0134 -> {
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
            case 0x0135 -> {
                int sys = r.u8();
                int item = r.u16();
                int sub = r.u16();
                int len = r.u8();
                nv.putExt(sys, item, sub, r.bytes(len));
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x0136 -> srsp(f, (byte) ST_SUCCESS);
            // ---------------------------------------------------------- AF
            case 0x0400 -> afRegister(f, r);
            case 0x0401 -> {
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
            case 0x0402 -> {
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
                    SimDevice d = byIeee.get(dst);
                    afData(f, 0x02, d == null ? 0xFFFE : d.nwk, dstEp, srcEp, cluster, trans, data);
                } else {
                    afData(f, mode, (int) (dst & 0xFFFF), dstEp, srcEp, cluster, trans, data);
                }
            }
            case 0x0404 -> srsp(f, (byte) (endpoints.remove(r.u8()) != null ? ST_SUCCESS : ST_INVALID_PARAMETER));
            case 0x0410 -> srsp(f, (byte) ST_SUCCESS);
            // ---------------------------------------------------------- ZDO
            case 0x0500 -> zdoNwkAddr(f, r);
            case 0x0501 -> zdoIeeeAddr(f, r);
            case 0x0502 -> zdoDescriptor(f, r, 0x82);
            case 0x0503 -> zdoDescriptor(f, r, 0x83);
            case 0x0504 -> zdoDescriptor(f, r, 0x84);
            case 0x0505 -> zdoDescriptor(f, r, 0x85);
            case 0x0521, 0x0522 -> zdoBind(f, r);
            case 0x0523, 0x0524 -> srsp(f, (byte) ST_SUCCESS);
            case 0x0531 -> zdoMgmtLqi(f, r);
            case 0x0532 -> {
                int dst = r.u16();
                int start = r.u8();
                srsp(f, (byte) ST_SUCCESS);
                toNode(dst, () -> areq(ZDO, 0xB2, new SimBytes.W().u16(dst).u8(ST_SUCCESS).u8(0).u8(start).u8(0).done()));
            }
            case 0x0534 -> zdoMgmtLeave(f, r);
            case 0x0536 -> zdoPermitJoin(f, r);
            case 0x0537, 0x053E, 0x053F, 0x0545, 0x054E, 0x054F -> srsp(f, (byte) ST_SUCCESS);
            case 0x0540 -> startupFromApp(f);
            case 0x0547 -> {
                int ep = r.u8();
                int g = r.u16();
                Set<Integer> gs = coordGroups.get(ep);
                boolean had = gs != null && gs.remove(g);
                persistCoordGroups();
                srsp(f, (byte) (had ? ST_SUCCESS : ST_FAILURE));
            }
            case 0x0548 -> {
                coordGroups.remove(r.u8());
                persistCoordGroups();
                srsp(f, (byte) ST_SUCCESS);
            }
            case 0x0549 -> {
                Set<Integer> gs = coordGroups.getOrDefault(r.u8(), Set.of());
                SimBytes.W w = new SimBytes.W().u8(gs.size());
                gs.forEach(w::u16);
                srsp(f, w);
            }
            case 0x054A -> {
                int ep = r.u8();
                int g = r.u16();
                boolean has = coordGroups.getOrDefault(ep, Set.of()).contains(g);
                srsp(f, new SimBytes.W().u8(has ? ST_SUCCESS : ST_FAILURE).u16(has ? g : 0).u8(0));
            }
            case 0x054B -> {
                int ep = r.u8();
                int g = r.u16();
                boolean added = coordGroups.computeIfAbsent(ep, k -> new TreeSet<>()).add(g);
                persistCoordGroups();
                srsp(f, (byte) (added ? ST_SUCCESS : ST_FAILURE));
            }
            case 0x054C -> srsp(f, (byte) coordGroups.values().stream().mapToInt(Set::size).sum());
            case 0x0550 -> {
                boolean up = devState == DEV_ZB_COORD;
                srsp(f, new SimBytes.W().u16(up ? 0x0000 : 0xFFFE).u8(devState).u16(up ? panId : 0xFFFF)
                        .u16(0xFFFE).bytes(up ? extPanLe : new byte[8]).u64(0).u8(up ? channel : 0));
            }
            // ---------------------------------------------------------- UTIL
            case 0x0700 -> deviceInfo(f);
            case 0x0706, 0x070A, 0x0763, 0x0764 -> srsp(f, (byte) ST_SUCCESS);
            case 0x0709 -> srsp(f, new SimBytes.W().u32((sched.nanos() - startNanos) / 1_000_000_000L));
            case 0x0740 -> {
                SimDevice d = byIeee.get(r.u64());
                srsp(f, new SimBytes.W().u16(d != null && d.joined ? d.nwk : 0xFFFE));
            }
            case 0x0741 -> {
                SimDevice d = byNwk.get(r.u16());
                srsp(f, new SimBytes.W().u64(d != null && d.joined ? d.ieee : 0));
            }
            case 0x074A -> assocGet(f, r);
            // ---------------------------------------------------------- APP_CNF
            case 0x0F01, 0x0F03, 0x0F04, 0x0F09, 0x0FFF -> srsp(f, (byte) ST_SUCCESS);
            case 0x0F05 -> bdbStartCommissioning(f, r.u8());
            case 0x0F08 -> {
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
                boolean knownSubsystem = switch (f.subsystem()) {
                    case SYS, MAC, NWK, AF, ZDO, SAPI, UTIL, DBG, APP, APP_CNF, GP -> true;
                    default -> false;
                };
                Logger.debug("ZNP simulator: unsupported SREQ {}", f);
                rpcError(f, knownSubsystem ? RPC_ERR_COMMAND_ID : RPC_ERR_SUBSYSTEM);
            }
        }
    }

    // ================================================================== NV

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

    // ================================================================== reset, formation, startup

    private void scheduleReset(int reason) {
        epoch++;
        haltNetwork();
        sched.schedule(cfg.bootTime(), () -> {
            synchronized (ZnpSimulator.this) {
                boot(reason);
            }
        });
    }

    private void haltNetwork() {
        devState = DEV_HOLD;
        endpoints.clear();
        broadcastTable.clear();
        counters.inFlight.set(0);
        coordPermitUntil = Long.MIN_VALUE;
        routerPermitUntil.clear();
        if (joinTask != null) {
            joinTask.cancel();
            joinTask = null;
        }
        for (SimDevice d : devices) {
            for (Indirect i : d.indirect) {
                if (i.expiry != null) {
                    i.expiry.cancel();
                }
            }
            d.indirect.clear();
        }
        primaryChannels = 0;
        secondaryChannels = 0;
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
            for (SimDevice d : devices) {
                if (d.joined) {
                    d.joined = false;
                    stopDeviceTasks(d);
                    persistDevice(d);
                }
            }
            coordGroups.clear();
            persistCoordGroups();
            nv.put(NV_STARTUP_OPTION, new byte[] {0});
        }
        areq(SYS, 0x80, new byte[] {(byte) reason, TRANSPORT_REV, PRODUCT, MAJOR, MINOR, HW_REV});
    }

    private void startupFromApp(UnpiFrame f) {
        byte[] nib = nv.get(NV_NIB);
        if (devState == DEV_ZB_COORD) {
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
            if (nv.get(NV_NIB) != null && devState == DEV_ZB_COORD) {
                later(20, () -> areq(APP_CNF, 0x80, new byte[] {0x00, 0x04, 0x00}));
                return;
            }
            later(5, () -> areq(APP_CNF, 0x80, new byte[] {0x01, 0x04, 0x04})); // in progress
            form();
        } else if ((mode & 0x02) != 0) {
            // network steering on a coordinator opens the network for 180 s (BDBC_MIN_COMMISSIONING_TIME)
            if (devState == DEV_ZB_COORD) {
                permitCoordinator(180);
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
            ext = new SimBytes.W().u64(ieee).done();
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
        panId = pan;
        channel = ch;
        extPanLe = ext.clone();
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
        n[24] = (byte) channel;
        // nwkCoordAddress 26-27 = 0, nwkCoordExtAddress 28-35 = 0
        n[36] = (byte) panId;
        n[37] = (byte) (panId >> 8);
        n[38] = 1; // nwkState
        for (int i = 0; i < 4; i++) {
            n[40 + i] = (byte) (chanMask >> (8 * i));
        }
        n[44] = 0x0F; // beaconOrder
        n[45] = 0x0F; // superFrameOrder
        System.arraycopy(extPanLe, 0, n, 57, 8);
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
        channel = nib[24] & 0xFF;
        panId = (nib[36] & 0xFF) | (nib[37] & 0xFF) << 8;
        extPanLe = Arrays.copyOfRange(nib, 57, 65);
    }

    private void startNetwork(boolean formed) {
        later(40, () -> {
            devState = DEV_COORD_STARTING;
            areq(ZDO, 0xC0, new byte[] {(byte) DEV_COORD_STARTING});
        });
        later(formed ? 400 : 150, () -> {
            devState = DEV_ZB_COORD;
            areq(ZDO, 0xC0, new byte[] {(byte) DEV_ZB_COORD});
            if (formed) {
                areq(APP_CNF, 0x80, new byte[] {0x00, 0x04, 0x00});
            }
        });
    }

    private boolean up() {
        return devState == DEV_ZB_COORD;
    }

    // ================================================================== UTIL

    private void deviceInfo(UnpiFrame f) {
        List<Integer> children = new ArrayList<>();
        for (SimDevice d : devices) {
            if (d.joined && d.parent == 0 && children.size() < 100) {
                children.add(d.nwk);
            }
        }
        boolean configured = nv.get(NV_NIB) != null;
        SimBytes.W w = new SimBytes.W().u8(ST_SUCCESS).u64(ieee).u16(up() || configured ? 0x0000 : 0xFFFE)
                .u8(0x07).u8(devState).u8(children.size());
        children.forEach(w::u16);
        srsp(f, w);
    }

    private void assocGet(UnpiFrame f, SimBytes.R r) {
        long ie = r.u64();
        int nwk = r.u16();
        SimDevice d = byIeee.get(ie);
        if (d == null) {
            d = byNwk.get(nwk);
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

    // ================================================================== AF

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
                srsp(f, (byte) BROADCAST_REFUSED_STATUS);
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
                for (SimDevice d : devices) {
                    if (!d.joined || d.silent || d.kind.sleepy()) {
                        continue; // sleepy devices are neither group members nor awake for broadcasts here
                    }
                    boolean member = mode == 0x01 ? d.groups.contains(dst) && (dstEp == 0xFF || dstEp == SimDevice.EP)
                            : dst == 0xFFFF || dst == 0xFFFD || dst == 0xFFFC;
                    if (member) {
                        deliverZcl(d, cluster, srcEp, data, true);
                    }
                }
            });
            return;
        }
        SimDevice d = byNwk.get(dst);
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
            queueIndirect(d, () -> {
                confirm(ST_SUCCESS, srcEp, trans);
                if (dstEp != SimDevice.EP && dstEp != 0xFF) {
                    return;
                }
                later(cfg.latency().replyMs(rnd, d.hops), () -> deliverZcl(d, cluster, srcEp, data, false));
            }, () -> {
                counters.transactionExpired.incrementAndGet();
                confirm(ST_MAC_TRANSACTION_EXPIRED, srcEp, trans);
            });
            return;
        }
        long conf = cfg.latency().confirmMs(rnd, d.hops);
        long reply = Math.max(conf, cfg.latency().replyMs(rnd, d.hops));
        later(conf, () -> confirm(ST_SUCCESS, srcEp, trans));
        if (dstEp == SimDevice.EP || dstEp == 0xFF) {
            later(reply, () -> deliverZcl(d, cluster, srcEp, data, false));
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

    private void queueIndirect(SimDevice d, Runnable deliver, Runnable expire) {
        Indirect i = new Indirect(deliver, expire);
        d.indirect.add(i);
        int e = epoch;
        i.expiry = sched.schedule(cfg.indirectHold(), () -> {
            synchronized (ZnpSimulator.this) {
                if (epoch == e && d.indirect.remove(i)) {
                    i.expire.run();
                }
            }
        });
    }

    /** A sleepy device polls its parent: everything waiting for it is delivered. */
    private void poll(SimDevice d) {
        if (d.silent || !d.joined) {
            return;
        }
        long t = cfg.latency().confirmMs(rnd, d.hops);
        while (!d.indirect.isEmpty()) {
            Indirect i = d.indirect.poll();
            i.expiry.cancel();
            later(t, i.deliver);
        }
    }

    /** The device handles a ZCL frame; its answers and change reports go back to the host. */
    private void deliverZcl(SimDevice d, int cluster, int replyEp, byte[] data, boolean groupcast) {
        if (!d.joined || d.silent) {
            return;
        }
        SimZcl.Header h = SimZcl.header(data);
        List<SimDevice.Out> out = d.handle(cluster, data, groupcast, sched.nanos());
        for (SimDevice.Out o : out) {
            incoming(d, o, replyEp, false);
        }
        if (h != null && !h.clusterSpecific() && h.cmd() == SimZcl.CONFIG_REPORT) {
            rescheduleReporting(d);
        }
        reportChanges(d, false);
    }

    /** Sends on-change reports for attributes the catalogue or a reporting configuration covers. */
    private void reportChanges(SimDevice d, boolean periodicOnly) {
        long now = sched.nanos();
        Map<Integer, List<Integer>> byCluster = new TreeMap<>();
        for (int[] c : d.takeChanges()) {
            SimDevice.ReportCfg rc = d.reporting.get(((long) c[0] << 16) | c[1]);
            boolean send = !periodicOnly && d.reportsOnChange(c[0], c[1]);
            if (!send && rc != null && rc.max != 0xFFFF) {
                long v = d.num(c[0], c[1]);
                long last = rc.lastValue instanceof Number n ? n.longValue() : Long.MIN_VALUE / 4;
                send = Math.abs(v - last) >= Math.max(rc.change, SimZcl.analog(rc.type) ? 1 : 0)
                        && now - rc.lastNanos >= rc.min * 1_000_000_000L;
            }
            if (send) {
                byCluster.computeIfAbsent(c[0], k -> new ArrayList<>()).add(c[1]);
                if (rc != null) {
                    rc.lastValue = d.num(c[0], c[1]);
                    rc.lastNanos = now;
                }
            }
        }
        byCluster.forEach((c, ids) -> report(d, d.report(c, ids.stream().mapToInt(Integer::intValue).toArray())));
    }

    private void report(SimDevice d, SimDevice.Out o) {
        counters.reports.incrementAndGet();
        incoming(d, o, 1, false);
    }

    /** AF_INCOMING_MSG with the real layout (MT p.32, zigpy-znp af.py IncomingMsg). */
    private void incoming(SimDevice d, SimDevice.Out o, int dstEp, boolean wasBcast) {
        if (!up() || !d.joined || d.silent) {
            return;
        }
        int macSrc = d.nwk;
        if (d.hops > 1 || d.parent != 0) {
            macSrc = d.parent != 0 ? d.parent : firstRouter(d);
        }
        long ts = (sched.nanos() - startNanos) / 1_000_000L;
        SimBytes.W w = new SimBytes.W().u16(0).u16(o.cluster()).u16(d.nwk).u8(SimDevice.EP).u8(dstEp)
                .u8(wasBcast ? 1 : 0).u8(d.lqi).u8(0).u32(ts).u8(afInSeq++ & 0xFF).u8(o.zcl().length)
                .bytes(o.zcl()).u16(macSrc).u8(30 - d.hops);
        counters.incomingMsgs.incrementAndGet();
        areq(AF, 0x81, w.done());
    }

    private int firstRouter(SimDevice self) {
        for (SimDevice d : devices) {
            if (d != self && d.joined && !d.kind.sleepy() && d.hops == 1) {
                return d.nwk;
            }
        }
        return self.nwk;
    }

    // ================================================================== device activity

    private void every(SimDevice d, String name, long firstMs, long periodMs, Runnable r) {
        TaskScheduler.Cancellable old = d.tasks.remove(name);
        if (old != null) {
            old.cancel();
        }
        d.activity.put(name, r);
        d.tasks.put(name, sched.schedule(Duration.ofMillis(firstMs), () -> {
            synchronized (ZnpSimulator.this) {
                if (!d.joined) {
                    return;
                }
                if (!d.silent) {
                    r.run();
                }
                every(d, name, periodMs, periodMs, r);
            }
        }));
    }

    private void startDeviceTasks(SimDevice d) {
        Random r = d.rnd;
        if (d.kind.sleepy()) {
            every(d, "poll", 1 + r.nextInt((int) Math.max(1, d.pollMillis)), d.pollMillis, () -> poll(d));
            every(d, "battery", 60_000L + r.nextInt(3_540_000), 3_600_000L,
                    () -> report(d, d.report(0x0001, 0x0020, 0x0021)));
        }
        switch (d.kind) {
            case WEATHER_SENSOR -> every(d, "climate", 5_000L + r.nextInt(55_000), 60_000L, () -> {
                d.set(0x0402, 0, clamp(d.num(0x0402, 0) + r.nextInt(41) - 20, 1500, 3000));
                d.set(0x0405, 0, clamp(d.num(0x0405, 0) + r.nextInt(201) - 100, 3000, 7000));
                d.set(0x0403, 0, clamp(d.num(0x0403, 0) + r.nextInt(3) - 1, 980, 1040));
                d.set(0x0403, 0x0010, d.num(0x0403, 0) * 10);
                d.takeChanges();
                report(d, d.report(0x0402, 0));
                report(d, d.report(0x0405, 0));
                report(d, d.report(0x0403, 0, 0x0010, 0x0014));
            });
            case MOTION_SENSOR -> {
                every(d, "motion", 20_000L + r.nextInt(70_000), 60_000L, () -> {
                    d.set(0x0406, 0, d.num(0x0406, 0) == 0 ? 1 : 0);
                    d.set(0x0400, 0, clamp(d.num(0x0400, 0) + r.nextInt(2001) - 1000, 1, 40000));
                    reportChanges(d, false);
                });
                every(d, "temperature", 30_000L + r.nextInt(270_000), 300_000L, () -> {
                    d.set(0x0402, 0, clamp(d.num(0x0402, 0) + r.nextInt(41) - 20, 1500, 3000));
                    d.takeChanges();
                    report(d, d.report(0x0402, 0));
                });
            }
            case CONTACT_SENSOR, WATER_LEAK_SENSOR -> {
                long period = d.kind == DeviceKind.CONTACT_SENSOR ? 120_000L : 1_800_000L;
                every(d, "zone", period / 4 + r.nextInt((int) period), period, () -> {
                    long status = d.num(0x0500, 2) ^ 0x0001;
                    d.set(0x0500, 2, status);
                    d.takeChanges();
                    // Zone Status Change Notification (ZCL §8.2.2.4.1): status, extended status, zone id, delay
                    counters.reports.incrementAndGet();
                    incoming(d, new SimDevice.Out(0x0500, new SimBytes.W().u8(0x19).u8(d.nextTsn()).u8(0x00)
                            .u16((int) status).u8(0).u8((int) d.num(0x0500, 0x11)).u16(0).done()), 1, false);
                });
            }
            case METERING_PLUG -> every(d, "metering", 5_000L + r.nextInt(55_000), 60_000L, () -> {
                long power = d.num(0x0006, 0) != 0 ? 20 + r.nextInt(60) : 0;
                d.set(0x0B04, 0x050B, power);
                d.set(0x0B04, 0x0508, power * 1000 / 230);
                d.set(0x0702, 0, d.num(0x0702, 0) + power / 60);
                d.takeChanges();
                report(d, d.report(0x0B04, 0x050B));
                report(d, d.report(0x0702, 0x0000));
            });
            default -> {
            }
        }
        rescheduleReporting(d);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private void stopDeviceTasks(SimDevice d) {
        d.tasks.values().forEach(TaskScheduler.Cancellable::cancel);
        d.tasks.clear();
        for (SimDevice.ReportCfg rc : d.reporting.values()) {
            if (rc.periodic != null) {
                rc.periodic.cancel();
            }
        }
        for (Indirect i : d.indirect) {
            i.expiry.cancel();
        }
        d.indirect.clear();
    }

    /** Periodic reports at each configured maximum interval (ZCL §2.5.7.1.6). */
    private void rescheduleReporting(SimDevice d) {
        d.reporting.forEach((key, rc) -> {
            if (rc.periodic != null) {
                rc.periodic.cancel();
                rc.periodic = null;
            }
            if (rc.max > 0 && rc.max != 0xFFFF && d.joined) {
                int c = (int) (key >> 16);
                int a = (int) (key & 0xFFFF);
                every(d, "report." + key, rc.max * 1000L, rc.max * 1000L, () -> {
                    rc.lastValue = d.num(c, a);
                    rc.lastNanos = sched.nanos();
                    report(d, d.report(c, a));
                });
                rc.periodic = d.tasks.get("report." + key);
            }
        });
    }

    // ================================================================== joining

    private void permitCoordinator(int seconds) {
        long now = sched.nanos();
        coordPermitUntil = seconds == 0 ? Long.MIN_VALUE : seconds == 0xFF ? Long.MAX_VALUE : now + seconds * 1_000_000_000L;
        areq(ZDO, 0xCB, new byte[] {(byte) seconds});
        scheduleJoins();
    }

    private boolean permitted(long now) {
        if (coordPermitUntil > now) {
            return true;
        }
        return routerPermitUntil.entrySet().stream().anyMatch(e -> e.getValue() > now && routerAlive(e.getKey()));
    }

    private boolean routerAlive(int nwk) {
        SimDevice r = byNwk.get(nwk);
        return r != null && r.joined && !r.silent && !r.kind.sleepy();
    }

    private void scheduleJoins() {
        if (joinTask != null || !up()) {
            return;
        }
        long now = sched.nanos();
        if (!permitted(now) || devices.stream().noneMatch(d -> !d.joined && !d.silent)) {
            return;
        }
        long ms = cfg.joinSpacing().toMillis();
        long delay = ms / 2 + (ms == 0 ? 0 : rnd.nextInt((int) ms));
        int e = epoch;
        joinTask = sched.schedule(Duration.ofMillis(delay), () -> {
            synchronized (ZnpSimulator.this) {
                joinTask = null;
                if (epoch == e) {
                    joinOne();
                    scheduleJoins();
                }
            }
        });
    }

    private void joinOne() {
        long now = sched.nanos();
        if (!up() || !permitted(now)) {
            return;
        }
        for (SimDevice d : devices) {
            if (d.joined || d.silent) {
                continue;
            }
            int parent = 0;
            if (coordPermitUntil <= now) {
                for (Map.Entry<Integer, Long> en : routerPermitUntil.entrySet()) {
                    if (en.getValue() > now && routerAlive(en.getKey())) {
                        parent = en.getKey();
                        break;
                    }
                }
            }
            d.joined = true;
            d.parent = parent;
            persistDevice(d);
            counters.joins.incrementAndGet();
            areq(ZDO, 0xCA, new SimBytes.W().u16(d.nwk).u64(d.ieee).u16(parent).done());
            areq(ZDO, 0xC1, new SimBytes.W().u16(d.nwk).u16(d.nwk).u64(d.ieee).u8(d.capabilities()).done());
            startDeviceTasks(d);
            return;
        }
    }

    private void leave(SimDevice d, boolean viaMgmt) {
        if (!d.joined) {
            return;
        }
        d.joined = false;
        stopDeviceTasks(d);
        persistDevice(d);
        counters.leaves.incrementAndGet();
        if (viaMgmt) {
            areq(ZDO, 0xB4, new SimBytes.W().u16(d.nwk).u8(ST_SUCCESS).done());
        }
        if (up()) {
            areq(ZDO, 0xC9, new SimBytes.W().u16(d.nwk).u64(d.ieee).u8(0).u8(0).u8(0).done());
        }
    }

    // ================================================================== ZDO

    /** Runs {@code answer} as the node {@code nwk} answering a ZDO request (coordinator: at once). */
    private void toNode(int nwk, Runnable answer) {
        if (nwk == 0x0000) {
            // The coordinator answers itself at once; inside a request the frame still follows the SRSP.
            answer.run();
            return;
        }
        SimDevice d = byNwk.get(nwk);
        if (d == null || !d.joined || d.silent || !up()) {
            return; // nobody answers; the host times out as with a real stick
        }
        if (d.kind.sleepy()) {
            queueIndirect(d, () -> later(cfg.latency().replyMs(rnd, d.hops), answer), () -> { });
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
        SimDevice d = nwk == 0 ? null : byNwk.get(nwk);
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
                w.u8(ST_SUCCESS).u16(nwk).u8(logical).u8(0x40).u8(cap).u16(d == null ? 0 : manufacturerCode(d.kind))
                        .u8(82).u16(82).u16(mask).u16(82).u8(0);
            }
            case 0x83 -> {
                boolean battery = d != null && d.kind.sleepy();
                w.u8(ST_SUCCESS).u16(nwk).u8(battery ? 0x40 : 0x10).u8(battery ? 0xC4 : 0xC1);
            }
            case 0x85 -> {
                w.u8(ST_SUCCESS).u16(nwk);
                if (d == null) {
                    w.u8(endpoints.size());
                    endpoints.keySet().forEach(w::u8);
                } else {
                    w.u8(1).u8(SimDevice.EP);
                }
            }
            case 0x84 -> {
                byte[] desc;
                if (d == null) {
                    byte[] reg = endpoints.get(ep);
                    if (reg == null) {
                        return w.u8(0x83).u16(nwk).u8(0).done(); // NOT_ACTIVE
                    }
                    desc = new byte[reg.length - 1];
                    // AF_REGISTER is EP, Profile, DevId, Ver, Latency, NIn, In, NOut, Out: drop the latency byte
                    System.arraycopy(reg, 0, desc, 0, 6);
                    System.arraycopy(reg, 7, desc, 6, reg.length - 7);
                } else {
                    if (ep != SimDevice.EP) {
                        return w.u8(0x82).u16(nwk).u8(0).done(); // INVALID_EP
                    }
                    SimBytes.W s = new SimBytes.W().u8(SimDevice.EP).u16(SimDevice.PROFILE_HA).u16(d.kind.deviceId()).u8(1)
                            .u8(d.kind.serverClusters().size());
                    d.kind.serverClusters().forEach(s::u16);
                    s.u8(d.kind.clientClusters().size());
                    d.kind.clientClusters().forEach(s::u16);
                    desc = s.done();
                }
                w.u8(ST_SUCCESS).u16(nwk).u8(desc.length).bytes(desc);
            }
            default -> throw new IllegalStateException();
        }
        return w.done();
    }

    static int manufacturerCode(DeviceKind k) {
        return switch (k.manufacturer()) {
            case "IKEA of Sweden" -> 0x117C;
            case "Signify Netherlands B.V." -> 0x100B;
            case "LUMI" -> 0x115F;
            case "innr" -> 0x1166;
            default -> 0x0000;
        };
    }

    private void zdoNwkAddr(UnpiFrame f, SimBytes.R r) {
        long ie = r.u64();
        r.u8();
        int start = r.u8();
        srsp(f, (byte) ST_SUCCESS);
        if (ie == ieee) {
            areq(ZDO, 0x80, new SimBytes.W().u8(ST_SUCCESS).u64(ie).u16(0).u8(start).u8(0).done());
            return;
        }
        SimDevice d = byIeee.get(ie);
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
            areq(ZDO, 0x81, new SimBytes.W().u8(ST_SUCCESS).u64(ieee).u16(0).u8(start).u8(0).done());
            return;
        }
        SimDevice d = byNwk.get(nwk);
        if (d != null) {
            toNode(nwk, () -> areq(ZDO, 0x81, new SimBytes.W().u8(ST_SUCCESS).u64(d.ieee).u16(nwk).u8(start).u8(0).done()));
        }
    }

    private void zdoBind(UnpiFrame f, SimBytes.R r) {
        int dst = r.u16();
        r.u64(); // source IEEE
        r.u8(); // source endpoint
        int cluster = r.u16();
        int mode = r.u8();
        long target = r.u64(); // MT always carries 8 address bytes, even for a group
        srsp(f, (byte) ST_SUCCESS);
        boolean bind = f.command() == 0x21;
        toNode(dst, () -> {
            SimDevice d = byNwk.get(dst);
            int st = ST_SUCCESS;
            if (d != null) {
                if (!d.hasCluster(cluster) && !d.kind.clientClusters().contains(cluster)) {
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
        SimDevice d = byNwk.get(dst);
        if (d == null && dst != 0) {
            return;
        }
        SimDevice leaving = target == 0 || d != null && target == d.ieee ? d : byIeee.get(target);
        if (leaving == null) {
            return;
        }
        toNode(dst, () -> leave(leaving, true));
    }

    private void zdoMgmtLqi(UnpiFrame f, SimBytes.R r) {
        int dst = r.u16();
        int start = r.u8();
        srsp(f, (byte) ST_SUCCESS);
        toNode(dst, () -> {
            List<byte[]> table = new ArrayList<>();
            SimDevice self = byNwk.get(dst);
            for (SimDevice d : devices) {
                if (!d.joined || d == self) {
                    continue;
                }
                boolean neighbour = self == null ? d.parent == 0 && d.hops == 1 : d.parent == dst;
                if (neighbour) {
                    int type = d.kind.sleepy() ? 2 : 1;
                    int rx = d.kind.sleepy() ? 0 : 1;
                    int rel = d.kind.sleepy() ? 1 : 2; // child / sibling
                    table.add(new SimBytes.W().bytes(extPanLe).u64(d.ieee).u16(d.nwk).u8(type | rx << 2 | rel << 4)
                            .u8(2).u8(1).u8(d.lqi).done());
                }
            }
            if (self != null) {
                table.add(0, new SimBytes.W().bytes(extPanLe).u64(ieee).u16(0).u8(0 | 1 << 2 | 0 << 4).u8(2).u8(0)
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
        long now = sched.nanos();
        long until = duration == 0 ? Long.MIN_VALUE : duration == 0xFF ? Long.MAX_VALUE : now + duration * 1_000_000_000L;
        boolean everywhere = mode == 0x0F || dst == 0xFFFF || (mode == 0x0F && dst == 0xFFFC);
        boolean coordinator = everywhere || dst == 0x0000 || dst == 0xFFFC;
        if (everywhere) {
            for (SimDevice d : devices) {
                if (d.joined && !d.kind.sleepy()) {
                    routerPermitUntil.put(d.nwk, until);
                }
            }
        } else if (dst != 0x0000 && dst != 0xFFFC) {
            if (routerAlive(dst)) {
                routerPermitUntil.put(dst, until);
                later(cfg.latency().replyMs(rnd, byNwk.get(dst).hops),
                        () -> areq(ZDO, 0xB6, new SimBytes.W().u16(dst).u8(ST_SUCCESS).done()));
            }
        }
        if (coordinator) {
            areq(ZDO, 0xB6, new SimBytes.W().u16(0x0000).u8(ST_SUCCESS).done());
            permitCoordinator(duration);
        } else {
            scheduleJoins();
        }
    }

    // ================================================================== faults

    /**
     * Fault injection, the same operations as the standalone main's stdin console. Effects that
     * draw random numbers use the simulator's seeded source, so they repeat for a given seed.
     */
    public final class Faults {
        /** The stick stops answering anything and sends nothing (a hung firmware). */
        public void hang() {
            synchronized (ZnpSimulator.this) {
                hung = true;
            }
        }

        /** Ends {@link #hang()}; events that fell due meanwhile are lost. */
        public void resume() {
            synchronized (ZnpSimulator.this) {
                hung = false;
                decoder.reset();
            }
        }

        /** Sends {@code n} random bytes (not a frame) to the host. */
        public void garbage(int n) {
            synchronized (ZnpSimulator.this) {
                byte[] b = new byte[n];
                rnd.nextBytes(b);
                counters.garbageBytes.addAndGet(n);
                sendRaw(b);
            }
        }

        /** The next frame the stick sends goes out with a wrong FCS (the host must drop it). */
        public void badFcs() {
            synchronized (ZnpSimulator.this) {
                corruptNextFcs = true;
            }
        }

        /** While on, AF_DATA_CONFIRMs are swallowed (the stack still frees their buffers). */
        public void dropConfirms(boolean on) {
            synchronized (ZnpSimulator.this) {
                dropConfirms = on;
            }
        }

        /** Pulls the stick: the link goes down (both ends for an in-memory link). */
        public void unplug() {
            synchronized (ZnpSimulator.this) {
                unplugged = true;
                opened = false;
            }
            if (link instanceof InMemoryLink m) {
                m.unplug();
            } else {
                link.close();
            }
        }

        /** Plugs the stick back in: reopens the device end of the link and reboots (power-on reset). */
        public void replug() throws IOException {
            synchronized (ZnpSimulator.this) {
                openLink();
                scheduleReset(0x00);
            }
        }

        /** A watchdog reboot: RAM state is lost, NV kept, then SYS_RESET_IND reason 2. */
        public void reboot() {
            synchronized (ZnpSimulator.this) {
                scheduleReset(0x02);
            }
        }

        /** The device leaves the network by itself (ZDO_LEAVE_IND). Returns false for an unknown address. */
        public boolean leave(long ieeeAddr) {
            synchronized (ZnpSimulator.this) {
                SimDevice d = byIeee.get(ieeeAddr);
                if (d == null) {
                    return false;
                }
                ZnpSimulator.this.leave(d, false);
                return true;
            }
        }

        /** A silent device neither answers nor reports nor polls; unicasts to it fail with MAC_NO_ACK (or expire if sleepy). */
        public boolean silent(long ieeeAddr, boolean on) {
            synchronized (ZnpSimulator.this) {
                SimDevice d = byIeee.get(ieeeAddr);
                if (d == null) {
                    return false;
                }
                d.silent = on;
                return true;
            }
        }

        /** Opens joining at the coordinator for {@code seconds} (0 closes, 255 forever), as if the host had asked. */
        public void permit(int seconds) {
            synchronized (ZnpSimulator.this) {
                if (up()) {
                    permitCoordinator(seconds);
                }
            }
        }

        /** Changes a sleepy device's poll interval (e.g. longer than the 7 s indirect hold). */
        public boolean pollInterval(long ieeeAddr, Duration interval) {
            synchronized (ZnpSimulator.this) {
                SimDevice d = byIeee.get(ieeeAddr);
                if (d == null || !d.kind.sleepy()) {
                    return false;
                }
                d.pollMillis = Math.max(1, interval.toMillis());
                if (d.joined) {
                    every(d, "poll", d.pollMillis, d.pollMillis, () -> poll(d));
                }
                return true;
            }
        }

        /**
         * Runs a joined device's own activity now, as if its timers had fired: a sensor measures and
         * reports (climate, motion, zone change, metering), without waiting up to minutes for the
         * seeded schedule. Polls and configured periodic reports are not included. Returns false for
         * an unknown, unjoined or silent device.
         */
        public boolean trigger(long ieeeAddr) {
            synchronized (ZnpSimulator.this) {
                SimDevice d = byIeee.get(ieeeAddr);
                if (d == null || !d.joined || d.silent) {
                    return false;
                }
                new TreeMap<>(d.activity).forEach((name, r) -> {
                    if (!name.equals("poll") && !name.startsWith("report.")) {
                        r.run();
                    }
                });
                return true;
            }
        }

        public boolean hung() {
            return hung;
        }
    }
}
