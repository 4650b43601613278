package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.time.ExecutorTaskScheduler;
import io.tetheritall.hub.radios.time.TaskScheduler;
import io.tetheritall.hub.radios.znp.unpi.UnpiDecoder;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.tinylog.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static io.tetheritall.hub.radios.znp.sim.SimMt.*;

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
 * <p>This class is the facade: lifecycle, input framing, SREQ dispatch and the fault console. Each MT
 * subsystem is handled by its own package-private part ({@link SimSys} with the NV items and resets,
 * {@link SimAf}, {@link SimZdo}, {@link SimUtil}, {@link SimAppCnf}), joining by {@link SimJoins}, the devices'
 * side (activity, ZCL, AF_INCOMING_MSG, indirect queue) by {@link SimPopulation}, and output by {@link SimWire};
 * their shared state is the {@link SimContext}, guarded by this object's lock.
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
    /**
     * Status in the SRSP of a group/broadcast AF request when the broadcast transaction table is
     * full. Z-Stack's NWK layer refuses synchronously, so the host sees it in the SRSP (no
     * DATA_CONFIRM follows). 0xC7 NWK_TABLE_FULL names the exhausted resource; zigpy-znp retries on
     * it, herdsman does not (it only retries 0x11/0xE1/0x1A), so a host must rate-limit broadcasts.
     */
    public static final int BROADCAST_REFUSED_STATUS = ST_NWK_TABLE_FULL;

    private static final int RPC_ERR_SUBSYSTEM = 0x01, RPC_ERR_COMMAND_ID = 0x02, RPC_ERR_LENGTH = 0x04;

    private final ByteLink link;
    private final TaskScheduler sched;
    private final SimCounters counters = new SimCounters();
    private final UnpiDecoder decoder = new UnpiDecoder(this::onFrame);
    private final Faults faults = new Faults();
    private final SimWire wire;
    private final SimContext ctx;
    private final SimPopulation population;
    private final SimAf af;
    private final SimJoins joins;
    private final SimAppCnf appCnf;
    private final SimZdo zdo;
    private final SimUtil util;
    private final SimSys sys;

    /**
     * Creates a simulator on the device end of {@code link}; call {@link #start()} to open it.
     * NV comes from the config's NV file when it exists, otherwise the stick is factory-fresh.
     */
    public ZnpSimulator(ZnpSimulatorConfig config, ByteLink link, TaskScheduler scheduler) {
        this.link = link;
        this.sched = scheduler;
        this.wire = new SimWire(link, config, scheduler, counters, this);
        this.ctx = new SimContext(config, scheduler, new SimNv(config.nvFile()), counters, wire, this);
        this.population = new SimPopulation(ctx);
        this.af = new SimAf(ctx, population);
        this.joins = new SimJoins(ctx, population);
        this.appCnf = new SimAppCnf(ctx, joins);
        this.zdo = new SimZdo(ctx, population, joins, af, appCnf);
        this.util = new SimUtil(ctx);
        this.sys = new SimSys(ctx, population, af, joins, appCnf, zdo);
        population.buildPopulation();
        boolean loaded = ctx.nv.load();
        String storedIeee = ctx.nv.record("ieee");
        if (storedIeee != null) {
            ctx.ieee = Long.parseUnsignedLong(storedIeee, 16);
        }
        if (!loaded) {
            sys.factoryDefaults();
        }
        population.loadDeviceRecords();
        zdo.loadGroups();
    }

    /** Convenience: a simulator on {@code link} in real time. */
    public static ZnpSimulator realTime(ZnpSimulatorConfig config, ByteLink link) {
        return new ZnpSimulator(config, link, new ExecutorTaskScheduler("znp-sim"));
    }

    // ================================================================== lifecycle

    /** Opens the link and starts the devices' own activity (reports, polls) for already-joined devices. */
    public synchronized void start() throws IOException {
        openLink();
        for (SimDevice d : ctx.devices) {
            if (d.joined) {
                population.startDeviceTasks(d);
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
        wire.opened = true;
        wire.unplugged = false;
    }

    @Override
    public synchronized void close() {
        for (SimDevice d : ctx.devices) {
            population.stopDeviceTasks(d);
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
        return ctx.ieee;
    }

    /** Current ZDO device state (9 = running as coordinator). */
    public synchronized int deviceState() {
        return ctx.devState;
    }

    public synchronized int panId() {
        return ctx.panId;
    }

    public synchronized int channel() {
        return ctx.channel;
    }

    /** A snapshot of the device with this IEEE address, or null. */
    public synchronized DeviceView device(long ieeeAddr) {
        SimDevice d = ctx.byIeee.get(ieeeAddr);
        return d == null ? null : d.view(sched.nanos());
    }

    /** Snapshots of the whole population, in configuration order. */
    public synchronized List<DeviceView> devices() {
        List<DeviceView> l = new ArrayList<>();
        for (SimDevice d : ctx.devices) {
            l.add(d.view(sched.nanos()));
        }
        return l;
    }

    /** A copy of an NV item, or null (for tests and diagnostics). */
    public synchronized byte[] nvItem(int id) {
        byte[] v = ctx.nv.get(id);
        return v == null ? null : v.clone();
    }

    // ================================================================== input

    private synchronized void onBytes(byte[] buf, int off, int len) {
        if (wire.hung) {
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
                    sys.scheduleReset(0x00);
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
        wire.emit(UnpiFrame.of(0x60, 0x00, (byte) err, (byte) f.cmd0(), (byte) f.command()));
    }

    // ================================================================== SREQ dispatch

    private synchronized void sreq(UnpiFrame f) {
        wire.holdWhile(() -> dispatch(f));
    }

    /** Hands the SREQ to its subsystem; an unknown subsystem or command id gets the MT RPC error SRSP. */
    private void dispatch(UnpiFrame f) {
        SimBytes.R r = new SimBytes.R(f.data());
        boolean handled = switch (f.subsystem()) {
            case SYS -> sys.handle(f, r);
            case AF -> af.handle(f, r);
            case ZDO -> zdo.handle(f, r);
            case UTIL -> util.handle(f, r);
            case APP_CNF -> appCnf.handle(f, r);
            default -> false;
        };
        if (!handled) {
            boolean knownSubsystem = switch (f.subsystem()) {
                case SYS, MAC, NWK, AF, ZDO, SAPI, UTIL, DBG, APP, APP_CNF, GP -> true;
                default -> false;
            };
            Logger.debug("ZNP simulator: unsupported SREQ {}", f);
            rpcError(f, knownSubsystem ? RPC_ERR_COMMAND_ID : RPC_ERR_SUBSYSTEM);
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
                wire.hung = true;
            }
        }

        /** Ends {@link #hang()}; events that fell due meanwhile are lost. */
        public void resume() {
            synchronized (ZnpSimulator.this) {
                wire.hung = false;
                decoder.reset();
            }
        }

        /** Sends {@code n} random bytes (not a frame) to the host. */
        public void garbage(int n) {
            synchronized (ZnpSimulator.this) {
                byte[] b = new byte[n];
                ctx.rnd.nextBytes(b);
                counters.garbageBytes.addAndGet(n);
                wire.sendRaw(b);
            }
        }

        /** The next frame the stick sends goes out with a wrong FCS (the host must drop it). */
        public void badFcs() {
            synchronized (ZnpSimulator.this) {
                wire.corruptNextFcs = true;
            }
        }

        /** While on, AF_DATA_CONFIRMs are swallowed (the stack still frees their buffers). */
        public void dropConfirms(boolean on) {
            synchronized (ZnpSimulator.this) {
                af.dropConfirms = on;
            }
        }

        /** Pulls the stick: the link goes down (both ends for an in-memory link). */
        public void unplug() {
            synchronized (ZnpSimulator.this) {
                wire.unplugged = true;
                wire.opened = false;
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
                sys.scheduleReset(0x00);
            }
        }

        /** A watchdog reboot: RAM state is lost, NV kept, then SYS_RESET_IND reason 2. */
        public void reboot() {
            synchronized (ZnpSimulator.this) {
                sys.scheduleReset(0x02);
            }
        }

        /** The device leaves the network by itself (ZDO_LEAVE_IND). Returns false for an unknown address. */
        public boolean leave(long ieeeAddr) {
            synchronized (ZnpSimulator.this) {
                SimDevice d = ctx.byIeee.get(ieeeAddr);
                if (d == null) {
                    return false;
                }
                joins.leave(d, false);
                return true;
            }
        }

        /** A silent device neither answers nor reports nor polls; unicasts to it fail with MAC_NO_ACK (or expire if sleepy). */
        public boolean silent(long ieeeAddr, boolean on) {
            synchronized (ZnpSimulator.this) {
                SimDevice d = ctx.byIeee.get(ieeeAddr);
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
                if (ctx.up()) {
                    joins.permitCoordinator(seconds);
                }
            }
        }

        /** Changes a sleepy device's poll interval (e.g. longer than the 7 s indirect hold). */
        public boolean pollInterval(long ieeeAddr, Duration interval) {
            synchronized (ZnpSimulator.this) {
                SimDevice d = ctx.byIeee.get(ieeeAddr);
                if (d == null || !d.kind.sleepy()) {
                    return false;
                }
                d.pollMillis = Math.max(1, interval.toMillis());
                if (d.joined) {
                    population.every(d, "poll", d.pollMillis, d.pollMillis, () -> population.poll(d));
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
                SimDevice d = ctx.byIeee.get(ieeeAddr);
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
            return wire.hung;
        }
    }
}
