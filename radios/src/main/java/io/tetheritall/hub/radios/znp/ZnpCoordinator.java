package io.tetheritall.hub.radios.znp;

import io.tetheritall.hub.radios.api.AddressMode;
import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.NodeDescriptor;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import io.tetheritall.hub.radios.api.ZigbeeRadio;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import io.tetheritall.hub.radios.znp.mt.MtBytes;
import io.tetheritall.hub.radios.znp.mt.MtCommand;
import io.tetheritall.hub.radios.znp.mt.MtMetrics;
import io.tetheritall.hub.radios.znp.mt.MtRpcException;
import io.tetheritall.hub.radios.znp.mt.MtSession;
import io.tetheritall.hub.radios.znp.mt.ZnpStatus;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.tinylog.Logger;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A TI Z-Stack coordinator driven over MT (the ZNP protocol): network start, ZDO, AF data.
 *
 * <p><b>Start</b> (zigbee-herdsman {@code adapter/manager.ts}, protocols.md §A4): SYS_PING,
 * SYS_VERSION, then the NV items that describe the network (configured flag, NIB, PANID,
 * EXTENDED_PAN_ID, CHANLIST, PRECFGKEY, NWK_ACTIVE_KEY_INFO). If the stick is unconfigured or runs
 * another network than the one wanted, a new network is formed: STARTUP_OPTION=3, soft reset, the
 * network NV items, APP_CNF_BDB_SET_CHANNEL, BDB_START_COMMISSIONING(4), STATE_CHANGE_IND 9, then
 * the configured flag. Otherwise the network is restored without any NV write: UTIL_GET_DEVICE_INFO
 * and, unless the stick already is a coordinator (state 9), ZDO_STARTUP_FROM_APP and a wait for
 * state 9. Either way the coordinator's own active endpoints are asked for and the missing ones
 * registered (1: Home Automation, 242: Green Power, as herdsman does).
 *
 * <p>The network wanted is the {@link ZnpConfig}'s fields over the {@link NetworkParamsStore}'s.
 * When the store is empty, a configured stick's network is adopted (so moving a stick to a new
 * hub does not orphan its devices); otherwise parameters are generated once with SecureRandom.
 *
 * <p><b>Recovery.</b> Link DOWN → state DOWN and every pending request fails RADIO_UNAVAILABLE.
 * Link UP again (a ReconnectingLink reports DOWN then UP on the same listener), an unsolicited
 * SYS_RESET_IND (the stick rebooted), or {@link #softReset()} re-run the start sequence, which
 * restores the network (no re-pairing) and re-registers endpoints, which Z-Stack keeps in RAM only.
 *
 * <p><b>Send.</b> Unicast uses AF_DATA_REQUEST, groups and broadcasts AF_DATA_REQUEST_EXT (as
 * herdsman). A transaction id 1..255 not pending is allocated; a non-zero SRSP status fails at once
 * (classified by {@link ZnpStatus}); then AF_DATA_CONFIRM with the same id completes the future or
 * fails it with its status. <em>A missing confirm fails with DEVICE_UNREACHABLE, not TIMEOUT:</em>
 * the SRSP already proved the radio alive, and Z-Stack confirms only when its MAC/APS delivery
 * attempts end, which for a slow or sleepy device can outlast the wait; TIMEOUT is kept for
 * unanswered SREQs so that a radio breaker does not trip for one bad device. The confirm wait starts
 * when the request is queued. {@link SendOptions} are ignored here (the scheduler uses them).
 *
 * <p><b>Threads.</b> One named event thread per radio ({@code znp-<id>-events}) completes every
 * future and calls every listener; nothing blocks, futures are composed.
 */
public final class ZnpCoordinator implements ZigbeeRadio {
    /** "Radius is 30" (herdsman, zigpy-znp). */
    public static final int RADIUS = 30;
    /** AF option: ask for an APS acknowledgement. */
    public static final int AF_OPT_APS_ACK = 0x10;
    /** ZDO device state "started as coordinator". */
    public static final int DEV_STATE_COORDINATOR = 9;
    /** ZDO_MGMT_PERMIT_JOIN duration 0xFF means "forever": never sent; durations are capped here. */
    public static final int MAX_PERMIT_JOIN_SECONDS = 254;

    /** Endpoints registered on the coordinator: {endpoint, profile, device id}. */
    private static final int[][] ENDPOINTS = {{1, 0x0104, 0x0005}, {242, 0xA1E0, 0x0005}};
    /** STARTUP_FROM_APP delay (ms), as herdsman. */
    private static final int STARTUP_DELAY = 100;
    /** Largest AF payload that fits an MT frame: 250 minus the AF_DATA_REQUEST(_EXT) header. */
    private static final int MAX_AF_PAYLOAD = 250 - 20;
    /**
     * NV_WRITE_EXT chunk size: herdsman uses 246, but with the 6-byte header (Id, Off, Len) that
     * makes a 252-byte frame, over MT's 250-byte limit; 244 fits.
     */
    private static final int NV_CHUNK = 250 - 6;

    private final ZnpConfig config;
    private final NetworkParamsStore store;
    private final SecureRandom random;
    private final ExecutorService events;
    private final MtSession mt;
    private final String id;
    private final CopyOnWriteArrayList<RadioListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private volatile RadioState state = RadioState.DOWN;
    private volatile NetworkInfo network;
    private volatile ZnpVersion version;
    private volatile NetworkParams params;
    private volatile long coordinatorIeee;
    private CompletableFuture<NetworkInfo> startFuture;
    private CompletableFuture<NetworkInfo> recovery;
    private boolean downDuringRecovery;
    private boolean rerun;
    private boolean closed;

    /** Whether the firmware has the NV _EXT commands; null until known. */
    private volatile Boolean nvExt;

    private final boolean[] tidInUse = new boolean[256];
    private int nextTid = 1;

    private final LongAdder truncatedIncoming = new LongAdder();
    private final LongAdder malformedCallbacks = new LongAdder();
    private final LongAdder recoveries = new LongAdder();

    /**
     * @param config configuration
     * @param link   the link to the stick (serial, TCP, in-memory); opened by {@link #start()}
     * @param store  where generated network parameters are kept
     * @param clock  time source for every deadline
     */
    public ZnpCoordinator(ZnpConfig config, ByteLink link, NetworkParamsStore store, HubClock clock) {
        this(config, link, store, clock, new SecureRandom());
    }

    /** As above with a given random source (tests). */
    public ZnpCoordinator(ZnpConfig config, ByteLink link, NetworkParamsStore store, HubClock clock,
                          SecureRandom random) {
        this(config, link, store, clock, random,
                Executors.newSingleThreadExecutor(new NamedThreadFactory("znp-" + config.radioId() + "-events")));
    }

    /**
     * As above with a given event executor, which must be single-threaded (completions and listener
     * calls keep their order). For virtual-time tests and benches that must know when the event thread
     * is idle (e.g. a counting executor); it is shut down by {@link #close()}.
     */
    public ZnpCoordinator(ZnpConfig config, ByteLink link, NetworkParamsStore store, HubClock clock,
                          SecureRandom random, ExecutorService events) {
        this.config = config;
        this.store = store;
        this.random = random;
        this.id = config.radioId();
        this.events = java.util.Objects.requireNonNull(events, "events");
        this.mt = new MtSession(id, link, clock, events, config.sweepPeriod());
        mt.addListener(this::onAreq);
        mt.addLinkListener(this::onLinkState);
    }

    // ------------------------------------------------------------------ ZigbeeRadio

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletableFuture<NetworkInfo> start() {
        synchronized (lock) {
            // a start that failed may be retried (e.g. by a supervisor); a running or good one is shared
            if (startFuture != null && !startFuture.isCompletedExceptionally()) {
                return startFuture;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new RadioException(RadioError.RADIO_UNAVAILABLE, id + " is closed"));
            }
            try {
                if (!mt.isUp()) {
                    mt.open();
                }
            } catch (IOException | IllegalStateException e) {
                startFuture = CompletableFuture.failedFuture(new RadioException(RadioError.RADIO_UNAVAILABLE, -1, 0,
                        id + ": cannot open " + mt.linkName() + ": " + e.getMessage(), e));
                return startFuture;
            }
            startFuture = runStartSequence("start");
            return startFuture;
        }
    }

    @Override
    public RadioState state() {
        return state;
    }

    @Override
    public NetworkInfo network() {
        return network;
    }

    @Override
    public CompletableFuture<Void> send(OutgoingMessage m, SendOptions options) {
        RadioException down = checkUp();
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        if (m.payload().length > MAX_AF_PAYLOAD) {
            return CompletableFuture.failedFuture(new RadioException(RadioError.REJECTED,
                    "payload of " + m.payload().length + " bytes does not fit an MT frame"));
        }
        int tid = allocTid();
        if (tid < 0) {
            return CompletableFuture.failedFuture(new RadioException(RadioError.BUSY, -1, 100,
                    id + ": all 255 AF transaction ids are pending", null));
        }
        UnpiFrame req = m.mode() == AddressMode.NWK ? afDataRequest(m, tid) : afDataRequestExt(m, tid);
        String what = (m.mode() == AddressMode.NWK ? "AF_DATA_REQUEST" : "AF_DATA_REQUEST_EXT")
                + String.format(" to 0x%04X tid %d", m.address(), tid);
        // registered before the request goes out: the confirm may follow the SRSP immediately
        CompletableFuture<UnpiFrame> confirm = mt.waitFor(
                f -> MtCommand.AF_DATA_CONFIRM.matches(f) && f.length() >= 3 && f.u8(2) == tid, config.confirmTimeout());
        CompletableFuture<Void> result = mt.request(req, config.sreqTimeout()).thenCompose(srsp -> {
            int status = srsp.u8(0);
            if (status != 0) {
                throw ZnpStatus.exception(status, what);
            }
            return confirm.handle((f, t) -> {
                if (t != null) {
                    RadioException re = RadioException.find(t);
                    if (re != null && re.error() == RadioError.TIMEOUT) {
                        throw new RadioException(RadioError.DEVICE_UNREACHABLE, -1, 0,
                                what + ": no AF_DATA_CONFIRM within " + config.confirmTimeout(), re);
                    }
                    throw propagate(t);
                }
                int st = f.u8(0);
                if (st != 0) {
                    throw ZnpStatus.exception(st, what);
                }
                return (Void) null;
            });
        });
        result.whenComplete((v, t) -> {
            confirm.cancel(false); // no-op if it completed; removes the wait if the SRSP failed
            releaseTid(tid);
        });
        return unwrap(result);
    }

    @Override
    public CompletableFuture<Void> permitJoin(Duration duration, int viaRouter) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, but was " + duration);
        }
        RadioException down = checkUp();
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        long secs = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        int seconds = (int) Math.min(secs, MAX_PERMIT_JOIN_SECONDS);
        byte[] data;
        if (viaRouter < 0) {
            // network-wide: mode 0x0F (broadcast), to all routers and the coordinator
            data = MtBytes.build().u8(0x0F).u16(0xFFFC).u8(seconds).u8(0).toArray();
        } else {
            data = MtBytes.build().u8(0x02).u16(viaRouter).u8(seconds).u8(0).toArray();
        }
        return unwrap(mt.request(MtCommand.ZDO_MGMT_PERMIT_JOIN_REQ.frame(data), config.sreqTimeout())
                .thenApply(srsp -> {
                    checkStatus(srsp, "ZDO_MGMT_PERMIT_JOIN_REQ");
                    return null;
                }));
    }

    @Override
    public CompletableFuture<NodeDescriptor> nodeDescriptor(int nwk) {
        byte[] data = MtBytes.build().u16(nwk).u16(nwk).toArray();
        return zdo(MtCommand.ZDO_NODE_DESC_REQ, data, MtCommand.ZDO_NODE_DESC_RSP, f -> f.u16(0) == nwk, f -> {
            requireLength(f, 10, "ZDO_NODE_DESC_RSP");
            // Src(2) Status NWK(2) then the descriptor: type/flags, freq, MAC caps, manufacturer(2), ...
            return new NodeDescriptor(f.u16(3), f.u8(5) & 0x07, f.u16(8), f.u8(7));
        });
    }

    @Override
    public CompletableFuture<List<Integer>> activeEndpoints(int nwk) {
        byte[] data = MtBytes.build().u16(nwk).u16(nwk).toArray();
        return zdo(MtCommand.ZDO_ACTIVE_EP_REQ, data, MtCommand.ZDO_ACTIVE_EP_RSP, f -> f.u16(0) == nwk,
                ZnpCoordinator::parseActiveEps);
    }

    @Override
    public CompletableFuture<SimpleDescriptor> simpleDescriptor(int nwk, int endpoint) {
        byte[] data = MtBytes.build().u16(nwk).u16(nwk).u8(endpoint).toArray();
        return zdo(MtCommand.ZDO_SIMPLE_DESC_REQ, data, MtCommand.ZDO_SIMPLE_DESC_RSP,
                f -> f.u16(0) == nwk && (f.u8(2) != 0 || (f.length() > 6 && f.u8(6) == endpoint)),
                ZnpCoordinator::parseSimpleDesc);
    }

    @Override
    public CompletableFuture<Void> requestLeave(int nwk, long ieee) {
        byte[] data = MtBytes.build().u16(nwk).u64(ieee).u8(0).toArray();
        return zdo(MtCommand.ZDO_MGMT_LEAVE_REQ, data, MtCommand.ZDO_MGMT_LEAVE_RSP, f -> f.u16(0) == nwk, f -> null);
    }

    @Override
    public CompletableFuture<Void> bind(int nwk, long ieee, int endpoint, int clusterId) {
        // Dst(2), SrcIEEE(8), SrcEP, Cluster(2), DstAddrMode 3 (IEEE), DstIEEE(8), DstEP
        byte[] data = MtBytes.build().u16(nwk).u64(ieee).u8(endpoint).u16(clusterId).u8(0x03)
                .u64(coordinatorIeee).u8(1).toArray();
        return zdo(MtCommand.ZDO_BIND_REQ, data, MtCommand.ZDO_BIND_RSP, f -> f.u16(0) == nwk, f -> null);
    }

    @Override
    public void addListener(RadioListener l) {
        listeners.add(l);
    }

    @Override
    public void removeListener(RadioListener l) {
        listeners.remove(l);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        setState(RadioState.STOPPED, "closed");
        mt.close();
        events.shutdown();
    }

    // ------------------------------------------------------------------ ZNP specifics

    /** The firmware version read at start, or null before. */
    public ZnpVersion version() {
        return version;
    }

    /** The network parameters in use, or null before start. */
    public NetworkParams networkParams() {
        return params;
    }

    /** SYS_PING: completes with the capabilities bit mask. */
    public CompletableFuture<Integer> ping() {
        return unwrap(mt.request(MtCommand.SYS_PING.frame(), config.sreqTimeout()).thenApply(f -> {
            requireLength(f, 2, "SYS_PING");
            return f.u16(0);
        }));
    }

    /** SYS_VERSION. */
    public CompletableFuture<ZnpVersion> readVersion() {
        return unwrap(mt.request(MtCommand.SYS_VERSION.frame(), config.sreqTimeout()).thenApply(f -> {
            requireLength(f, 5, "SYS_VERSION");
            long rev = f.length() >= 9 ? MtBytes.u32(f, 5) : -1;
            ZnpVersion v = new ZnpVersion(f.u8(0), f.u8(1), f.u8(2), f.u8(3), f.u8(4), rev);
            version = v;
            return v;
        }));
    }

    /**
     * Soft-resets the stick (SYS_RESET_REQ type 1, wait SYS_RESET_IND) and restores the network.
     * For the recovery supervisor.
     */
    public CompletableFuture<NetworkInfo> softReset() {
        synchronized (lock) {
            if (recovery != null && !recovery.isDone()) {
                return recovery;
            }
            setState(RadioState.STARTING, "soft reset");
            downDuringRecovery = false;
            recovery = runSequence("soft reset", resetSoft().thenCompose(v -> startSequence()));
            return recovery;
        }
    }

    /** SYS_OSAL_NV_LENGTH: 0 means absent. */
    public CompletableFuture<Integer> nvLength(int item) {
        return unwrap(mt.request(MtCommand.SYS_OSAL_NV_LENGTH.frame(MtBytes.build().u16(item).toArray()),
                config.sreqTimeout()).thenApply(f -> {
                    requireLength(f, 2, "SYS_OSAL_NV_LENGTH");
                    return f.u16(0);
                }));
    }

    /** SYS_OSAL_NV_READ (offset u8): the bytes returned, status checked. */
    public CompletableFuture<byte[]> nvRead(int item, int offset) {
        return nvReadFrame(MtCommand.SYS_OSAL_NV_READ, MtBytes.build().u16(item).u8(offset).toArray());
    }

    /** SYS_OSAL_NV_READ_EXT (offset u16). */
    public CompletableFuture<byte[]> nvReadExt(int item, int offset) {
        return nvReadFrame(MtCommand.SYS_OSAL_NV_READ_EXT, MtBytes.build().u16(item).u16(offset).toArray());
    }

    /** SYS_OSAL_NV_WRITE (offset u8, length u8). */
    public CompletableFuture<Void> nvWrite(int item, int offset, byte[] value) {
        return statusRequest(MtCommand.SYS_OSAL_NV_WRITE,
                MtBytes.build().u16(item).u8(offset).u8(value.length).bytes(value).toArray());
    }

    /** SYS_OSAL_NV_WRITE_EXT (offset u16, length u16). */
    public CompletableFuture<Void> nvWriteExt(int item, int offset, byte[] value) {
        return statusRequest(MtCommand.SYS_OSAL_NV_WRITE_EXT,
                MtBytes.build().u16(item).u16(offset).u16(value.length).bytes(value).toArray());
    }

    /** SYS_OSAL_NV_ITEM_INIT: completes with the status, 0x09 "created" or 0x00 "existed" (MT p.87). */
    public CompletableFuture<Integer> nvItemInit(int item, int length, byte[] init) {
        byte[] data = MtBytes.build().u16(item).u16(length).u8(init.length).bytes(init).toArray();
        return unwrap(mt.request(MtCommand.SYS_OSAL_NV_ITEM_INIT.frame(data), config.sreqTimeout()).thenApply(f -> {
            int st = f.u8(0);
            if (st != 0x00 && st != 0x09) {
                throw ZnpStatus.exception(st, "SYS_OSAL_NV_ITEM_INIT");
            }
            return st;
        }));
    }

    /** SYS_OSAL_NV_DELETE. */
    public CompletableFuture<Void> nvDelete(int item, int length) {
        return statusRequest(MtCommand.SYS_OSAL_NV_DELETE, MtBytes.build().u16(item).u16(length).toArray());
    }

    /** Reads a whole NV item (NV_LENGTH, then NV_READ_EXT until done); empty if absent. */
    public CompletableFuture<Optional<byte[]>> readItem(int item) {
        return nvLength(item).thenCompose(len -> len == 0
                ? CompletableFuture.completedFuture(Optional.<byte[]>empty())
                : readChunks(item, new byte[len], 0).thenApply(Optional::of));
    }

    /**
     * Writes a whole NV item, creating it if absent (NV_ITEM_INIT) and re-creating it if its length
     * differs, in NV_WRITE_EXT chunks of at most 244 bytes (as herdsman {@code adapter-nv-memory.ts}, within MT's 250).
     */
    public CompletableFuture<Void> writeItem(int item, byte[] value) {
        return nvLength(item).thenCompose(len -> {
            CompletableFuture<Void> ready;
            byte[] init = Arrays.copyOf(value, Math.min(value.length, 240));
            if (len == 0) {
                ready = nvItemInit(item, value.length, init).thenApply(st -> null);
            } else if (len != value.length) {
                ready = nvDelete(item, len).thenCompose(v -> nvItemInit(item, value.length, init)).thenApply(st -> null);
            } else {
                ready = CompletableFuture.completedFuture(null);
            }
            return ready.thenCompose(v -> writeChunks(item, value, 0));
        });
    }

    /** AF frames dropped because their declared length exceeded the bytes present. */
    public long truncatedIncoming() {
        return truncatedIncoming.sum();
    }

    /** Callbacks dropped because they were too short to parse. */
    public long malformedCallbacks() {
        return malformedCallbacks.sum();
    }

    /** How many times the start sequence ran after the first start (reconnects, resets). */
    public long recoveries() {
        return recoveries.sum();
    }

    /** The MT session's counters. */
    public MtMetrics mtMetrics() {
        return mt.metrics();
    }

    /** Expires due requests now; for tests with a manual clock (the sweeper does this otherwise). */
    public int expireDue() {
        return mt.expireDue();
    }

    // ------------------------------------------------------------------ start / restore

    private CompletableFuture<NetworkInfo> runStartSequence(String why) {
        synchronized (lock) {
            setState(RadioState.STARTING, why);
            downDuringRecovery = false;
            recovery = runSequence(why, startSequence());
            return recovery;
        }
    }

    /**
     * Tracks one start/restore run: state and network are set before the returned future completes,
     * so a caller that joins it sees the radio UP.
     */
    private CompletableFuture<NetworkInfo> runSequence(String why, CompletableFuture<NetworkInfo> seq) {
        CompletableFuture<NetworkInfo> result = new CompletableFuture<>();
        seq.whenComplete((info, t) -> {
            boolean again = false;
            synchronized (lock) {
                if (!closed) {
                    if (t == null) {
                        network = info;
                        setState(RadioState.UP, why + ": " + (info.formed() ? "formed" : "restored") + " network");
                    } else {
                        Logger.error("{}: {} failed: {}", id, why, propagate(t).getMessage());
                        setState(RadioState.DOWN, why + " failed: " + propagate(t).getMessage());
                    }
                    again = rerun && mt.isUp();
                    rerun = false;
                }
            }
            if (t == null) {
                result.complete(info);
            } else {
                result.completeExceptionally(propagate(t));
            }
            if (again) {
                recover("link came back during " + why);
            }
        });
        return result;
    }

    private void recover(String why) {
        synchronized (lock) {
            if (closed || startFuture == null) {
                return;
            }
            if (recovery != null && !recovery.isDone()) {
                rerun = true;
                return;
            }
            recoveries.increment();
            Logger.info("{}: restoring network: {}", id, why);
            runStartSequence(why);
        }
    }

    /** Everything after the link is open: PING ... endpoints. */
    private CompletableFuture<NetworkInfo> startSequence() {
        try {
            mt.writeRaw(new byte[] {(byte) 0xEF}); // bootloader skip, as herdsman
        } catch (RadioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ping()
                .thenCompose(caps -> readVersion())
                .thenCompose(v -> {
                    Logger.info("{}: firmware {}", id, v.describe());
                    return readNvState(v);
                })
                .thenCompose(this::formOrRestore)
                .thenCompose(formed -> deviceInfo().thenCompose(info -> {
                    coordinatorIeee = info.ieee;
                    return registerEndpoints().thenApply(v -> new NetworkInfo(params.panId(), params.extendedPanId(),
                            params.channel(), info.ieee, version.describe(), formed));
                }));
    }

    /** The NV items the start decision needs; absent items are null. */
    private record NvState(ZnpVersion version, byte[] configured, byte[] nib, byte[] panId, byte[] extPanId,
                           byte[] chanList, byte[] preCfgKey, byte[] activeKeyInfo) {
    }

    private CompletableFuture<NvState> readNvState(ZnpVersion v) {
        int flagId = v.kind() == ZnpVersion.Kind.Z_STACK_12 ? ZnpNv.HAS_CONFIGURED_ZSTACK1 : ZnpNv.HAS_CONFIGURED_ZSTACK3;
        List<byte[]> got = new ArrayList<>();
        int[] ids = {flagId, ZnpNv.NIB, ZnpNv.PANID, ZnpNv.EXTENDED_PAN_ID, ZnpNv.CHANLIST, ZnpNv.PRECFGKEY,
                ZnpNv.NWK_ACTIVE_KEY_INFO};
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int item : ids) {
            chain = chain.thenCompose(x -> readItem(item)).thenAccept(o -> got.add(o.orElse(null)));
        }
        return chain.thenApply(x -> new NvState(v, got.get(0), got.get(1), got.get(2), got.get(3), got.get(4),
                got.get(5), got.get(6)));
    }

    /** Decides, then forms or restores; completes with true if a network was formed. */
    private CompletableFuture<Boolean> formOrRestore(NvState nv) {
        boolean configured = nv.configured != null && nv.configured.length >= 1
                && (nv.configured[0] & 0xFF) == ZnpNv.CONFIGURED && nv.nib != null;
        NetworkParams onStick = configured ? paramsOnStick(nv) : null;
        Optional<NetworkParams> stored = store.load();
        NetworkParams base;
        if (stored.isPresent()) {
            base = stored.get();
        } else if (onStick != null) {
            Logger.info("{}: nothing stored; adopting the network on the stick: {}", id, onStick);
            base = onStick;
        } else {
            base = NetworkParams.generate(random);
            Logger.info("{}: generated new network parameters: {}", id, base);
        }
        NetworkParams want = config.overlay(base);
        if (stored.isEmpty() || !stored.get().equals(want)) {
            store.save(want);
        }
        params = want;
        boolean keyMatches = onStick != null && nv.preCfgKey != null && Arrays.equals(nv.preCfgKey, want.networkKey());
        if (configured && want.equals(onStick) && keyMatches) {
            Logger.info("{}: stick runs the wanted network; restoring", id);
            return restoreNetwork().thenApply(v -> false);
        }
        Logger.warn("{}: {}; forming a new network {} (devices must join again)", id,
                configured ? "stick runs another network (" + onStick + ")" : "stick is not configured", want);
        return formNetwork(want, nv.version).thenApply(v -> true);
    }

    /** What the stick's NV says its network is; null if an item is missing or unreadable. */
    private static NetworkParams paramsOnStick(NvState nv) {
        try {
            if (nv.panId == null || nv.panId.length < 2 || nv.extPanId == null || nv.extPanId.length < 8) {
                return null;
            }
            int pan = (nv.panId[0] & 0xFF) | (nv.panId[1] & 0xFF) << 8;
            long ext = MtBytes.u64(nv.extPanId, 0);
            int channel = -1;
            if (nv.chanList != null && nv.chanList.length >= 4) {
                long mask = MtBytes.u32(nv.chanList, 0);
                if (Long.bitCount(mask) == 1) {
                    channel = Long.numberOfTrailingZeros(mask);
                }
            }
            if (channel < 0) {
                channel = nibChannel(nv.nib);
            }
            byte[] key;
            if (nv.activeKeyInfo != null && nv.activeKeyInfo.length >= 17) {
                key = Arrays.copyOfRange(nv.activeKeyInfo, 1, 17);
            } else if (nv.preCfgKey != null && nv.preCfgKey.length == 16) {
                key = nv.preCfgKey;
            } else {
                return null;
            }
            return new NetworkParams(channel, pan, ext, key);
        } catch (IllegalArgumentException e) {
            Logger.warn("stick NV holds no valid network: {}", e.getMessage());
            return null;
        }
    }

    /**
     * nwkLogicalChannel from the NIB (herdsman {@code structs/entries/nib.ts}): offset 22 in the
     * packed 116-byte CC253x layout, 24 in the word-aligned CC26xx layout.
     */
    private static int nibChannel(byte[] nib) {
        if (nib == null || nib.length < 25) {
            return -1;
        }
        return nib[nib.length <= 116 ? 22 : 24] & 0xFF;
    }

    /** herdsman's commissioning sequence (manager.ts beginCommissioning + updateCommissioningNvItems). */
    private CompletableFuture<Void> formNetwork(NetworkParams p, ZnpVersion v) {
        byte[] extLe = MtBytes.build().u64(p.extendedPanId()).toArray();
        CompletableFuture<Void> c = writeItem(ZnpNv.STARTUP_OPTION, new byte[] {0x03})
                .thenCompose(x -> resetSoft())
                .thenCompose(x -> writeItem(ZnpNv.STARTUP_OPTION, new byte[] {0x00}))
                .thenCompose(x -> writeItem(ZnpNv.LOGICAL_TYPE, new byte[] {0x00}))
                .thenCompose(x -> writeItem(ZnpNv.PRECFGKEYS_ENABLE, new byte[] {0x00}))
                .thenCompose(x -> writeItem(ZnpNv.ZDO_DIRECT_CB, new byte[] {0x01}))
                .thenCompose(x -> writeItem(ZnpNv.CHANLIST, MtBytes.build().u32(p.channelMask()).toArray()))
                .thenCompose(x -> writeItem(ZnpNv.PANID, MtBytes.build().u16(p.panId()).toArray()))
                .thenCompose(x -> writeItem(ZnpNv.EXTENDED_PAN_ID, extLe))
                .thenCompose(x -> writeItem(ZnpNv.APS_USE_EXT_PANID, extLe))
                .thenCompose(x -> writeItem(ZnpNv.PRECFGKEY, p.networkKey()));
        if (v.hasBdb()) {
            c = c.thenCompose(x -> statusRequest(MtCommand.APP_CNF_BDB_SET_CHANNEL,
                            MtBytes.build().u8(1).u32(p.channelMask()).toArray()))
                    .thenCompose(x -> statusRequest(MtCommand.APP_CNF_BDB_SET_CHANNEL,
                            MtBytes.build().u8(0).u32(0).toArray()))
                    .thenCompose(x -> {
                        CompletableFuture<UnpiFrame> started = waitState9();
                        return statusRequest(MtCommand.APP_CNF_BDB_START_COMMISSIONING, new byte[] {0x04})
                                .whenComplete((r, t) -> {
                                    if (t != null) {
                                        started.cancel(false);
                                    }
                                })
                                .thenCompose(y -> started).thenApply(f -> (Void) null);
                    });
        } else {
            // Z-Stack 1.2 has no BDB: herdsman starts it with STARTUP_FROM_APP instead
            c = c.thenCompose(x -> startupFromApp());
        }
        int flagId = v.kind() == ZnpVersion.Kind.Z_STACK_12 ? ZnpNv.HAS_CONFIGURED_ZSTACK1 : ZnpNv.HAS_CONFIGURED_ZSTACK3;
        return c.thenCompose(x -> writeItem(flagId, new byte[] {(byte) ZnpNv.CONFIGURED}));
    }

    /** UTIL_GET_DEVICE_INFO and, unless already a coordinator, STARTUP_FROM_APP. No NV writes. */
    private CompletableFuture<Void> restoreNetwork() {
        return deviceInfo().thenCompose(info -> {
            if (info.state == DEV_STATE_COORDINATOR) {
                return CompletableFuture.completedFuture(null);
            }
            return startupFromApp();
        });
    }

    private CompletableFuture<Void> startupFromApp() {
        CompletableFuture<UnpiFrame> started = waitState9();
        // response 0 restored, 1 new network, 2 not started: herdsman accepts all and waits for state 9
        return mt.request(MtCommand.ZDO_STARTUP_FROM_APP.frame(MtBytes.build().u16(STARTUP_DELAY).toArray()),
                        config.sreqTimeout())
                .whenComplete((r, t) -> {
                    if (t != null) {
                        started.cancel(false);
                    }
                })
                .thenCompose(srsp -> started).thenApply(f -> null);
    }

    private CompletableFuture<UnpiFrame> waitState9() {
        return mt.waitFor(f -> MtCommand.ZDO_STATE_CHANGE_IND.matches(f) && f.length() >= 1
                && f.u8(0) == DEV_STATE_COORDINATOR, config.startupTimeout());
    }

    /** SYS_RESET_REQ (soft) and the SYS_RESET_IND that follows. */
    private CompletableFuture<Void> resetSoft() {
        CompletableFuture<UnpiFrame> ind = mt.waitFor(MtCommand.SYS_RESET_IND::matches, config.resetTimeout());
        try {
            mt.send(MtCommand.SYS_RESET_REQ.frame((byte) 0x01));
        } catch (RadioException e) {
            ind.cancel(false);
            return CompletableFuture.failedFuture(e);
        }
        return ind.thenApply(f -> {
            // As for an unsolicited reset (see onAreq): what the old firmware session held is gone.
            int dropped = mt.failPending("the stick was reset");
            Logger.info("{}: stick reset (reason {}); {} pending request(s) failed", id, f.length() > 0 ? f.u8(0) : -1,
                    dropped);
            return null;
        });
    }

    private record DeviceInfo(long ieee, int nwk, int state) {
    }

    private CompletableFuture<DeviceInfo> deviceInfo() {
        return mt.request(MtCommand.UTIL_GET_DEVICE_INFO.frame(), config.sreqTimeout()).thenApply(f -> {
            // Status, IEEE(8), Nwk(2), DevType, DevState, NumAssoc, Assoc(2n) (MT p.109)
            requireLength(f, 13, "UTIL_GET_DEVICE_INFO");
            checkStatus(f, "UTIL_GET_DEVICE_INFO");
            return new DeviceInfo(MtBytes.u64(f, 1), f.u16(9), f.u8(12));
        });
    }

    /** Asks the coordinator for its own active endpoints and registers the missing ones (herdsman manager.ts). */
    private CompletableFuture<Void> registerEndpoints() {
        CompletableFuture<UnpiFrame> rsp = mt.waitFor(f -> MtCommand.ZDO_ACTIVE_EP_RSP.matches(f) && f.u16(0) == 0,
                config.areqTimeout());
        return mt.request(MtCommand.ZDO_ACTIVE_EP_REQ.frame(MtBytes.build().u16(0).u16(0).toArray()),
                        config.sreqTimeout())
                .whenComplete((r, t) -> {
                    if (t != null) {
                        rsp.cancel(false);
                    }
                })
                .thenCompose(srsp -> {
                    checkStatus(srsp, "ZDO_ACTIVE_EP_REQ");
                    return rsp;
                })
                .thenCompose(f -> {
                    List<Integer> have = parseActiveEps(f);
                    CompletableFuture<Void> c = CompletableFuture.completedFuture(null);
                    for (int[] ep : ENDPOINTS) {
                        if (!have.contains(ep[0])) {
                            byte[] data = MtBytes.build().u8(ep[0]).u16(ep[1]).u16(ep[2]).u8(0).u8(0).u8(0).u8(0)
                                    .toArray();
                            c = c.thenCompose(x -> mt.request(MtCommand.AF_REGISTER.frame(data), config.sreqTimeout()))
                                    .thenApply(srsp -> {
                                        int st = srsp.u8(0);
                                        if (st != 0 && st != ZnpStatus.APS_DUPLICATE_ENTRY.code()) {
                                            throw ZnpStatus.exception(st, "AF_REGISTER endpoint " + ep[0]);
                                        }
                                        return null;
                                    });
                        }
                    }
                    return c;
                });
    }

    // ------------------------------------------------------------------ callbacks

    private void onAreq(UnpiFrame f) {
        try {
            if (MtCommand.AF_INCOMING_MSG.matches(f)) {
                onIncoming(f);
            } else if (MtCommand.ZDO_TC_DEV_IND.matches(f)) {
                requireLength(f, 12, "ZDO_TC_DEV_IND");
                long ieee = MtBytes.u64(f, 2);
                for (RadioListener l : listeners) {
                    l.deviceJoined(f.u16(0), ieee, f.u16(10));
                }
            } else if (MtCommand.ZDO_END_DEVICE_ANNCE_IND.matches(f)) {
                requireLength(f, 13, "ZDO_END_DEVICE_ANNCE_IND");
                long ieee = MtBytes.u64(f, 4);
                for (RadioListener l : listeners) {
                    l.deviceAnnounced(f.u16(2), ieee, f.u8(12));
                }
            } else if (MtCommand.ZDO_LEAVE_IND.matches(f)) {
                requireLength(f, 13, "ZDO_LEAVE_IND");
                long ieee = MtBytes.u64(f, 2);
                for (RadioListener l : listeners) {
                    l.deviceLeft(f.u16(0), ieee, f.u8(12) != 0);
                }
            } else if (MtCommand.SYS_RESET_IND.matches(f)) {
                // The firmware restarted: what it had accepted will never be answered, and SREQs queued behind a
                // hung one would reach a stick that is not running the network yet (answered 0xC2, which callers
                // would see as REJECTED). Fail them as RADIO_UNAVAILABLE now so the restore goes out at once.
                int dropped = mt.failPending("the stick reset itself");
                Logger.warn("{}: unsolicited SYS_RESET_IND {}: the stick rebooted; {} pending request(s) failed", id, f,
                        dropped);
                recover("stick reset itself");
            } else {
                Logger.debug("{}: unhandled AREQ {}", id, MtCommand.describe(f));
            }
        } catch (RadioException e) {
            malformedCallbacks.increment();
            Logger.warn("{}: dropped {}: {}", id, f, e.getMessage());
        }
    }

    private void onIncoming(UnpiFrame f) {
        // Group(2) Cluster(2) Src(2) SrcEP DstEP WasBcast LQI SecUse Timestamp(4) TSN Len Data MacSrc(2) Radius
        if (f.length() < 17) {
            truncatedIncoming.increment();
            Logger.warn("{}: AF_INCOMING_MSG of {} bytes is shorter than its header; dropped", id, f.length());
            return;
        }
        int len = f.u8(16);
        if (17 + len > f.length()) {
            truncatedIncoming.increment();
            Logger.warn("{}: AF_INCOMING_MSG declares {} data bytes but carries {}; dropped", id, len, f.length() - 17);
            return;
        }
        IncomingMessage m = new IncomingMessage(f.u16(4), f.u8(6), f.u8(7), f.u16(2), f.u16(0), f.u8(8) != 0,
                f.u8(9), f.slice(17, len));
        for (RadioListener l : listeners) {
            try {
                l.messageReceived(m);
            } catch (RuntimeException e) {
                Logger.error(e, "{}: listener failed on incoming message", id);
            }
        }
    }

    private void onLinkState(LinkState s, String reason) {
        synchronized (lock) {
            if (closed || startFuture == null) {
                return;
            }
            if (s == LinkState.UP) {
                if (recovery != null && !recovery.isDone()) {
                    // the initial open reports UP too; only a DOWN seen meanwhile dooms the running sequence
                    if (downDuringRecovery) {
                        rerun = true;
                    }
                    return;
                }
                recover("link up: " + reason);
            } else {
                if (recovery != null && !recovery.isDone()) {
                    downDuringRecovery = true;
                }
                setState(RadioState.DOWN, "link " + s + ": " + reason);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private <T> CompletableFuture<T> zdo(MtCommand req, byte[] data, MtCommand rsp, Predicate<UnpiFrame> from,
                                         Function<UnpiFrame, T> parse) {
        RadioException down = checkUp();
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        CompletableFuture<UnpiFrame> cb = mt.waitFor(f -> rsp.matches(f) && f.length() >= 3 && from.test(f),
                config.areqTimeout());
        CompletableFuture<T> out = mt.request(req.frame(data), config.sreqTimeout())
                .thenCompose(srsp -> {
                    checkStatus(srsp, req.name());
                    return cb.handle((f, t) -> {
                        if (t != null) {
                            RadioException re = RadioException.find(t);
                            if (re != null && re.error() == RadioError.TIMEOUT) {
                                // the stick answered; the device did not
                                throw new RadioException(RadioError.DEVICE_UNREACHABLE, -1, 0,
                                        rsp.name() + ": no answer within " + config.areqTimeout(), re);
                            }
                            throw propagate(t);
                        }
                        int st = f.u8(2);
                        if (st != 0) {
                            throw ZnpStatus.exception(st, rsp.name());
                        }
                        return parse.apply(f);
                    });
                });
        out.whenComplete((r, t) -> cb.cancel(false));
        return unwrap(out);
    }

    private static List<Integer> parseActiveEps(UnpiFrame f) {
        // Src(2) Status Nwk(2) Cnt EPs
        requireLength(f, 6, "ZDO_ACTIVE_EP_RSP");
        int n = f.u8(5);
        requireLength(f, 6 + n, "ZDO_ACTIVE_EP_RSP");
        List<Integer> eps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            eps.add(f.u8(6 + i));
        }
        return eps;
    }

    private static SimpleDescriptor parseSimpleDesc(UnpiFrame f) {
        // Src(2) Status Nwk(2) Len EP Profile(2) DevId(2) Ver NIn In(2n) NOut Out(2n)
        requireLength(f, 13, "ZDO_SIMPLE_DESC_RSP");
        int i = 12;
        int nIn = f.u8(i++);
        requireLength(f, i + 2 * nIn + 1, "ZDO_SIMPLE_DESC_RSP");
        List<Integer> in = new ArrayList<>();
        for (int k = 0; k < nIn; k++, i += 2) {
            in.add(f.u16(i));
        }
        int nOut = f.u8(i++);
        requireLength(f, i + 2 * nOut, "ZDO_SIMPLE_DESC_RSP");
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < nOut; k++, i += 2) {
            out.add(f.u16(i));
        }
        return new SimpleDescriptor(f.u8(6), f.u16(7), f.u16(9), in, out);
    }

    private UnpiFrame afDataRequest(OutgoingMessage m, int tid) {
        byte[] d = MtBytes.build().u16(m.address()).u8(m.dstEndpoint()).u8(m.srcEndpoint()).u16(m.clusterId())
                .u8(tid).u8(m.apsAck() ? AF_OPT_APS_ACK : 0).u8(RADIUS).u8(m.payload().length).bytes(m.payload())
                .toArray();
        return MtCommand.AF_DATA_REQUEST.frame(d);
    }

    private UnpiFrame afDataRequestExt(OutgoingMessage m, int tid) {
        int mode = m.mode() == AddressMode.GROUP ? 0x01 : 0x0F;
        // Dst is 8 bytes whatever the mode; a group id or broadcast address fills the low two
        byte[] d = MtBytes.build().u8(mode).u64(m.address()).u8(m.dstEndpoint()).u16(0x0000).u8(m.srcEndpoint())
                .u16(m.clusterId()).u8(tid).u8(0).u8(RADIUS).u16(m.payload().length).bytes(m.payload()).toArray();
        return MtCommand.AF_DATA_REQUEST_EXT.frame(d);
    }

    private int allocTid() {
        synchronized (tidInUse) {
            for (int i = 0; i < 255; i++) {
                int t = nextTid;
                nextTid = nextTid == 255 ? 1 : nextTid + 1;
                if (!tidInUse[t]) {
                    tidInUse[t] = true;
                    return t;
                }
            }
            return -1;
        }
    }

    private void releaseTid(int t) {
        synchronized (tidInUse) {
            tidInUse[t] = false;
        }
    }

    private CompletableFuture<byte[]> nvReadFrame(MtCommand cmd, byte[] data) {
        return unwrap(mt.request(cmd.frame(data), config.sreqTimeout()).thenApply(f -> {
            // Status, Len, Value
            checkStatus(f, cmd.name());
            requireLength(f, 2, cmd.name());
            int len = f.u8(1);
            requireLength(f, 2 + len, cmd.name());
            return f.slice(2, len);
        }));
    }

    private CompletableFuture<byte[]> readChunks(int item, byte[] buf, int offset) {
        if (offset >= buf.length) {
            return CompletableFuture.completedFuture(buf);
        }
        return readChunk(item, offset).thenCompose(chunk -> {
            if (chunk.length == 0) {
                throw new RadioException(RadioError.REJECTED, String.format("NV item 0x%04X: empty read at %d", item, offset));
            }
            System.arraycopy(chunk, 0, buf, offset, Math.min(chunk.length, buf.length - offset));
            return readChunks(item, buf, offset + chunk.length);
        });
    }

    private CompletableFuture<Void> writeChunks(int item, byte[] value, int offset) {
        if (offset >= value.length) {
            return CompletableFuture.completedFuture(null);
        }
        int n = Math.min(NV_CHUNK, value.length - offset);
        return writeChunk(item, offset, Arrays.copyOfRange(value, offset, offset + n))
                .thenCompose(v -> writeChunks(item, value, offset + n));
    }

    /**
     * NV_READ_EXT, or NV_READ where the firmware refuses the _EXT command with an RPC error (older
     * Z-Stack 1.2 builds); the plain command takes a one-byte offset.
     */
    private CompletableFuture<byte[]> readChunk(int item, int offset) {
        if (Boolean.FALSE.equals(nvExt) && offset <= 0xFF) {
            return nvRead(item, offset);
        }
        return nvReadExt(item, offset).exceptionallyCompose(t -> {
            if (t instanceof MtRpcException && offset <= 0xFF) {
                Logger.info("{}: no SYS_OSAL_NV_READ_EXT; using SYS_OSAL_NV_READ", id);
                nvExt = false;
                return nvRead(item, offset);
            }
            return CompletableFuture.failedFuture(t);
        });
    }

    /** NV_WRITE_EXT, or NV_WRITE where the firmware lacks the _EXT command. */
    private CompletableFuture<Void> writeChunk(int item, int offset, byte[] chunk) {
        if (Boolean.FALSE.equals(nvExt) && offset <= 0xFF) {
            return nvWrite(item, offset, chunk);
        }
        return nvWriteExt(item, offset, chunk).exceptionallyCompose(t -> {
            if (t instanceof MtRpcException && offset <= 0xFF) {
                Logger.info("{}: no SYS_OSAL_NV_WRITE_EXT; using SYS_OSAL_NV_WRITE", id);
                nvExt = false;
                return nvWrite(item, offset, chunk);
            }
            return CompletableFuture.failedFuture(t);
        });
    }

    private CompletableFuture<Void> statusRequest(MtCommand cmd, byte[] data) {
        return unwrap(mt.request(cmd.frame(data), config.sreqTimeout()).thenApply(f -> {
            checkStatus(f, cmd.name());
            return null;
        }));
    }

    private static void checkStatus(UnpiFrame f, String what) {
        int st = f.u8(0);
        if (st != 0) {
            throw ZnpStatus.exception(st, what);
        }
    }

    private static void requireLength(UnpiFrame f, int n, String what) {
        if (f.length() < n) {
            throw new RadioException(RadioError.REJECTED, what + ": " + f.length() + " bytes, need " + n);
        }
    }

    private RadioException checkUp() {
        RadioState s = state;
        if (s != RadioState.UP) {
            return new RadioException(RadioError.RADIO_UNAVAILABLE, id + " is " + s);
        }
        return null;
    }

    private void setState(RadioState s, String reason) {
        RadioState old;
        synchronized (lock) {
            old = state;
            if (old == RadioState.STOPPED || old == s) {
                return;
            }
            state = s;
        }
        Logger.info("{}: {} -> {} ({})", id, old, s, reason);
        Runnable notify = () -> {
            for (RadioListener l : listeners) {
                try {
                    l.stateChanged(s, reason);
                } catch (RuntimeException e) {
                    Logger.error(e, "{}: listener failed on state change", id);
                }
            }
        };
        try {
            events.execute(notify);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            notify.run();
        }
    }

    /** Rethrows {@code t}'s RadioException (unwrapped) or wraps anything else as REJECTED. */
    private static RuntimeException propagate(Throwable t) {
        RadioException re = RadioException.find(t);
        if (re != null) {
            return re;
        }
        return new RadioException(RadioError.REJECTED, -1, 0, String.valueOf(t), t);
    }

    /** Makes a future fail with the RadioException itself rather than a CompletionException around it. */
    private static <T> CompletableFuture<T> unwrap(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, t) -> {
            if (t == null) {
                out.complete(v);
            } else {
                out.completeExceptionally(propagate(t));
            }
        });
        return out;
    }
}
