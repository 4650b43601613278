package io.tetheritall.hub.radios.znp;

import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.NodeDescriptor;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.time.ManualClock;
import io.tetheritall.hub.radios.znp.mt.ScriptedPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.cmd0;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.cmd1;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.d;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.d16;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.frame;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.hex;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.toHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZnpCoordinatorTest {
    static final NetworkParams NET = new NetworkParams(15, 0x1A62, 0xDDDDDDDDDDDDDDDDL,
            HexFormat.of().parseHex("01030507090B0D0F00020406080A0C0D"));

    final ManualClock clock = new ManualClock();
    final List<ZnpCoordinator> toClose = new ArrayList<>();
    InMemoryLink[] ends;
    ReopenableLink link;
    FakeStick stick;
    InMemoryNetworkParamsStore store;
    ZnpCoordinator radio;
    final Events heard = new Events();

    /** Records listener calls. */
    static final class Events implements RadioListener {
        final BlockingQueue<String> q = new LinkedBlockingQueue<>();
        final BlockingQueue<IncomingMessage> messages = new LinkedBlockingQueue<>();

        @Override
        public void deviceJoined(int nwk, long ieee, int parentNwk) {
            q.add(String.format("joined %04X %016X %04X", nwk, ieee, parentNwk));
        }

        @Override
        public void deviceAnnounced(int nwk, long ieee, int capabilities) {
            q.add(String.format("announced %04X %016X %02X", nwk, ieee, capabilities));
        }

        @Override
        public void deviceLeft(int nwk, long ieee, boolean rejoin) {
            q.add(String.format("left %04X %016X %b", nwk, ieee, rejoin));
        }

        @Override
        public void messageReceived(IncomingMessage m) {
            messages.add(m);
        }

        @Override
        public void stateChanged(RadioState state, String reason) {
            q.add("state " + state);
        }

        String next() throws InterruptedException {
            return q.poll(5, TimeUnit.SECONDS);
        }

        /** Skips events until one starting with {@code prefix}. */
        String await(String prefix) throws InterruptedException {
            for (String e = next(); e != null; e = next()) {
                if (e.startsWith(prefix)) {
                    return e;
                }
            }
            return null;
        }
    }

    @AfterEach
    void tearDown() {
        toClose.forEach(ZnpCoordinator::close);
    }

    ZnpCoordinator newRadio(ZnpConfig cfg, InMemoryNetworkParamsStore s) {
        ends = InMemoryLink.pair("znp");
        link = new ReopenableLink(ends[0]);
        if (stick == null) {
            stick = new FakeStick(ends[1]).open();
        } else {
            // the same stick (same NV), plugged into a new hub
            FakeStick old = stick;
            stick = new FakeStick(ends[1]);
            stick.nv.putAll(old.nv);
            stick.devState = old.devState;
            stick.open();
        }
        store = s;
        radio = new ZnpCoordinator(cfg, link, s, clock);
        radio.addListener(heard);
        toClose.add(radio);
        return radio;
    }

    static ZnpConfig cfg() {
        return ZnpConfig.defaults("zb0").withSweepPeriod(Duration.ZERO);
    }

    NetworkInfo startWith(NetworkParams stored) throws Exception {
        newRadio(cfg(), stored == null ? new InMemoryNetworkParamsStore() : new InMemoryNetworkParamsStore(stored));
        return radio.start().get(10, TimeUnit.SECONDS);
    }

    static RadioException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RadioException, "futures fail with RadioException itself: " + e.getCause());
        return (RadioException) e.getCause();
    }

    /** A compact trace of what the host sent: NV ops by item id, other frames as hex headers + data. */
    static List<String> trace(List<byte[]> frames) {
        List<String> out = new ArrayList<>();
        for (byte[] f : frames) {
            int h = (cmd0(f) << 8) | cmd1(f);
            String s = switch (h) {
                case 0x2113 -> String.format("NV_LENGTH %04X", d16(f, 0));
                case 0x211C -> String.format("NV_READ_EXT %04X", d16(f, 0));
                case 0x2107 -> String.format("NV_ITEM_INIT %04X", d16(f, 0));
                case 0x211D -> String.format("NV_WRITE_EXT %04X %s", d16(f, 0),
                        HexFormat.of().withUpperCase().formatHex(ScriptedPeer.data(f), 6, f.length - 5));
                case 0x2112 -> String.format("NV_DELETE %04X", d16(f, 0));
                default -> String.format("%02X %02X %s", cmd0(f), cmd1(f),
                        HexFormat.of().withUpperCase().formatHex(ScriptedPeer.data(f))).trim();
            };
            out.add(s);
        }
        return out;
    }

    static int indexOf(List<String> trace, String prefix) {
        for (int i = 0; i < trace.size(); i++) {
            if (trace.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    static void assertOrder(List<String> trace, String... prefixes) {
        int last = -1;
        for (String p : prefixes) {
            int i = indexOf(trace.subList(last + 1, trace.size()), p);
            assertTrue(i >= 0, "missing '" + p + "' after position " + last + " in\n" + String.join("\n", trace));
            last = last + 1 + i;
        }
    }

    // ------------------------------------------------------------------ start

    @Test
    void blankStickFormsTheStoredNetworkFollowingHerdsmansSequence() throws Exception {
        NetworkInfo info = startWith(NET);
        assertTrue(info.formed());
        assertEquals(0x1A62, info.panId());
        assertEquals(15, info.channel());
        assertEquals(0xDDDDDDDDDDDDDDDDL, info.extendedPanId());
        assertEquals(FakeStick.IEEE, info.coordinatorIeee());
        assertEquals(RadioState.UP, radio.state());
        List<String> t = trace(ScriptedPeer.class.cast(stick.peer).all);
        System.out.println("form sequence:\n  " + String.join("\n  ", t));
        assertOrder(t, "21 01", "21 02",
                "NV_LENGTH 0060", "NV_LENGTH 0021", "NV_LENGTH 0083", "NV_LENGTH 002D", "NV_LENGTH 0084",
                "NV_LENGTH 0062", "NV_LENGTH 003A",
                "NV_WRITE_EXT 0003 03", "41 00 01", "NV_WRITE_EXT 0003 00",
                "NV_WRITE_EXT 0087 00", "NV_WRITE_EXT 0063 00", "NV_WRITE_EXT 008F 01",
                "NV_WRITE_EXT 0084 00800000", "NV_WRITE_EXT 0083 621A", "NV_WRITE_EXT 002D DDDDDDDDDDDDDDDD",
                "NV_WRITE_EXT 0047 DDDDDDDDDDDDDDDD", "NV_WRITE_EXT 0062 01030507090B0D0F00020406080A0C0D",
                "2F 08 0100800000", "2F 08 0000000000", "2F 05 04",
                "NV_WRITE_EXT 0060 55",
                "27 00", "25 05 00000000", "24 00 010401050000000000", "24 00 F2E0A1050000000000");
        // AF_REGISTER: EP, Profile(2), DevId(2), Ver, Latency, NIn, NOut
        assertEquals(0, store.saves(), "stored parameters are used as they are");
        assertEquals("Z-Stack 3.x.0 2.7.1 rev 20230507", info.firmware());
    }

    @Test
    void configuredStickWithTheSameNetworkIsRestoredWithoutAnyNvWrite() throws Exception {
        newRadio(cfg(), new InMemoryNetworkParamsStore(NET));
        stick.preconfigure(NET);
        stick.powerCycle(); // flash kept, stack not started
        NetworkInfo info = radio.start().get(10, TimeUnit.SECONDS);
        assertFalse(info.formed());
        List<String> t = trace(stick.peer.all);
        System.out.println("restore sequence:\n  " + String.join("\n  ", t));
        assertEquals(-1, indexOf(t, "NV_WRITE_EXT"), "restore writes nothing: " + t);
        assertEquals(-1, indexOf(t, "NV_ITEM_INIT"));
        assertEquals(-1, indexOf(t, "41 00"), "no reset");
        assertEquals(-1, indexOf(t, "2F 05"), "no commissioning");
        assertOrder(t, "21 01", "21 02", "NV_LENGTH 0060", "NV_LENGTH 003A", "27 00", "25 40 6400", "27 00",
                "25 05 00000000", "24 00 01", "24 00 F2");
        assertEquals(RadioState.UP, radio.state());
    }

    @Test
    void stickAlreadyRunningAsCoordinatorSkipsStartupFromApp() throws Exception {
        newRadio(cfg(), new InMemoryNetworkParamsStore(NET));
        stick.preconfigure(NET); // devState 9, endpoints registered earlier
        stick.endpoints.add(1);
        stick.endpoints.add(242);
        radio.start().get(10, TimeUnit.SECONDS);
        List<String> t = trace(stick.peer.all);
        assertEquals(-1, indexOf(t, "25 40"));
        assertEquals(-1, indexOf(t, "24 00"), "endpoints already there are not registered again");
    }

    @Test
    void configuredChannelDifferentFromTheStickFormsANewNetwork() throws Exception {
        newRadio(cfg().withNetwork(20, null, null, null), new InMemoryNetworkParamsStore(NET));
        stick.preconfigure(NET);
        NetworkInfo info = radio.start().get(10, TimeUnit.SECONDS);
        assertTrue(info.formed());
        assertEquals(20, info.channel());
        assertEquals(NET.panId(), info.panId(), "unconfigured fields keep the stored values");
        assertTrue(trace(stick.peer.all).contains("2F 08 0100001000"), "BDB primary channel mask for 20");
        assertEquals(20, store.load().orElseThrow().channel(), "the store follows the configuration");
    }

    @Test
    void emptyStoreAdoptsTheNetworkOnAConfiguredStick() throws Exception {
        newRadio(cfg(), new InMemoryNetworkParamsStore());
        stick.preconfigure(NET);
        NetworkInfo info = radio.start().get(10, TimeUnit.SECONDS);
        assertFalse(info.formed(), "moving a stick to a new hub must not orphan its devices");
        assertEquals(NET, store.load().orElseThrow());
        assertEquals(-1, indexOf(trace(stick.peer.all), "NV_WRITE_EXT"));
    }

    @Test
    void blankStickAndEmptyStoreGenerateOnceAndRestartRestores() throws Exception {
        NetworkInfo first = startWith(null);
        assertTrue(first.formed());
        assertEquals(1, store.saves());
        NetworkParams generated = store.load().orElseThrow();
        assertEquals(generated, radio.networkParams());
        radio.close();
        // the same stick and the same store on the next boot
        newRadio(cfg(), store);
        NetworkInfo second = radio.start().get(10, TimeUnit.SECONDS);
        assertFalse(second.formed());
        assertEquals(first.panId(), second.panId());
        assertEquals(first.extendedPanId(), second.extendedPanId());
        assertEquals(1, store.saves(), "generated once");
    }

    @Test
    void silentStickFailsStartWithTimeoutAndStartCanBeRetried() throws Exception {
        newRadio(cfg(), new InMemoryNetworkParamsStore(NET));
        stick.override = f -> cmd0(f) == 0x21 && cmd1(f) == 0x01 ? List.of() : null; // PING unanswered
        CompletableFuture<NetworkInfo> start = radio.start();
        waitFor(() -> stick.peer.sent(0x21, 0x01).size() == 1);
        clock.advance(Duration.ofSeconds(6));
        radio.expireDue();
        assertEquals(RadioError.TIMEOUT, failure(start).error());
        waitFor(() -> radio.state() == RadioState.DOWN);
        stick.override = null;
        NetworkInfo info = radio.start().get(10, TimeUnit.SECONDS);
        assertTrue(info.formed());
        assertEquals(RadioState.UP, radio.state());
    }

    @Test
    void firmwareWithoutNvExtCommandsFallsBackToPlainNvReadAndWrite() throws Exception {
        newRadio(cfg(), new InMemoryNetworkParamsStore(NET));
        FakeStick st = stick;
        st.override = f -> {
            int h = (cmd0(f) << 8) | cmd1(f);
            if (h == 0x211C || h == 0x211D) {
                return List.of(frame(0x60, 0x00, 0x02, cmd0(f), cmd1(f)));
            }
            if (h == 0x2108) { // NV_READ: Id(2) Off -> Status Len Value
                byte[] v = st.nv.get(d16(f, 0));
                byte[] chunk = java.util.Arrays.copyOfRange(v, d(f, 2), v.length);
                byte[] out = new byte[chunk.length + 2];
                out[1] = (byte) chunk.length;
                System.arraycopy(chunk, 0, out, 2, chunk.length);
                return List.of(ScriptedPeer.frameOf(0x61, 0x08, out));
            }
            if (h == 0x2109) { // NV_WRITE: Id(2) Off Len Value
                byte[] v = st.nv.get(d16(f, 0));
                System.arraycopy(ScriptedPeer.data(f), 4, v, d(f, 2), d(f, 3));
                return List.of(frame(0x61, 0x09, 0x00));
            }
            return null;
        };
        st.preconfigure(new NetworkParams(11, 0x2222, 0x1111L, new byte[16])); // another network: forms
        NetworkInfo info = radio.start().get(10, TimeUnit.SECONDS);
        assertTrue(info.formed());
        assertArrayEquals(NET.networkKey(), st.nv.get(ZnpNv.PRECFGKEY));
        assertEquals(1, st.peer.sent(0x21, 0x1C).size(), "the _EXT read is tried once");
        assertEquals(0, st.peer.sent(0x21, 0x1D).size(), "reads already showed _EXT is missing");
    }

    @Test
    void versionMapping() throws Exception {
        assertEquals(ZnpVersion.Kind.Z_STACK_12, new ZnpVersion(2, 0, 2, 6, 3, -1).kind());
        assertEquals(2, new ZnpVersion(2, 0, 2, 6, 3, -1).recommendedWindow());
        assertFalse(new ZnpVersion(2, 0, 2, 6, 3, -1).hasBdb());
        assertEquals(ZnpVersion.Kind.Z_STACK_3X0, new ZnpVersion(2, 1, 2, 7, 1, 20230507).kind());
        assertEquals(16, new ZnpVersion(2, 1, 2, 7, 1, 20230507).recommendedWindow());
        assertEquals(ZnpVersion.Kind.Z_STACK_30X, new ZnpVersion(2, 2, 2, 7, 1, -1).kind());
        assertEquals(2, new ZnpVersion(2, 2, 2, 7, 1, -1).recommendedWindow());
        // parsed from the golden SYS_VERSION answer
        startWith(NET);
        ZnpVersion v = radio.version();
        assertEquals(new ZnpVersion(2, 1, 2, 7, 1, 20230507), v);
    }

    @Test
    void versionWithoutRevisionParses() throws Exception {
        newRadio(cfg(), new InMemoryNetworkParamsStore(NET));
        stick.product = 2;
        radio.start().get(10, TimeUnit.SECONDS);
        assertEquals(new ZnpVersion(2, 2, 2, 6, 3, -1), radio.version());
        assertEquals(2, radio.version().recommendedWindow());
    }

    // ------------------------------------------------------------------ send

    @Test
    void unicastGoldenBytesAndApsAckOption() throws Exception {
        startWith(NET);
        for (int i = 1; i <= 4; i++) {
            radio.send(new OutgoingMessage(io.tetheritall.hub.radios.api.AddressMode.NWK, 0x1234, 1, 1, 0x0104, 6,
                    new byte[] {1, (byte) i, 2}, false)).get(5, TimeUnit.SECONDS);
        }
        radio.send(new OutgoingMessage(io.tetheritall.hub.radios.api.AddressMode.NWK, 0x1234, 1, 1, 0x0104, 6,
                new byte[] {1, 5, 1}, false)).get(5, TimeUnit.SECONDS);
        List<byte[]> sent = stick.peer.sent(0x24, 0x01);
        assertEquals(5, sent.size());
        assertEquals("FE 0D 24 01 34 12 01 01 06 00 05 00 1E 03 01 05 01 15", toHex(sent.get(4)),
                "protocols.md §A7 AF_DATA_REQUEST OnOff.On to 0x1234 ep1 tsn5");
        radio.send(OutgoingMessage.unicast(0x1234, 1, 6, new byte[] {1, 6, 1})).get(5, TimeUnit.SECONDS);
        assertEquals(0x10, d(stick.peer.sent(0x24, 0x01).get(5), 7), "APS ack option");
    }

    @Test
    void groupAndBroadcastUseDataRequestExt() throws Exception {
        startWith(NET);
        radio.send(OutgoingMessage.group(0x0BEE, 6, new byte[] {0x11, 0x01, 0x02})).get(5, TimeUnit.SECONDS);
        radio.send(new OutgoingMessage(io.tetheritall.hub.radios.api.AddressMode.BROADCAST, 0xFFFD, 0xFF, 1, 0x0104,
                6, new byte[] {0x11, 0x02, 0x00}, false)).get(5, TimeUnit.SECONDS);
        List<byte[]> sent = stick.peer.sent(0x24, 0x02);
        assertEquals(2, sent.size());
        // Mode, Dst(8), DstEP, Pan(2), SrcEP, Cluster(2), TransId, Options, Radius, Len(2), Data
        assertEquals("01 EE 0B 00 00 00 00 00 00 FF 00 00 01 06 00 01 00 1E 03 00 11 01 02",
                toHex(ScriptedPeer.data(sent.get(0))));
        assertEquals("0F FD FF 00 00 00 00 00 00 FF 00 00 01 06 00 02 00 1E 03 00 11 02 00",
                toHex(ScriptedPeer.data(sent.get(1))));
    }

    @Test
    void confirmsOutOfOrderAreMatchedByTransactionId() throws Exception {
        startWith(NET);
        stick.override = f -> cmd0(f) == 0x24 && cmd1(f) == 0x01 ? List.of(frame(0x64, 0x01, 0x00)) : null;
        CompletableFuture<Void> a = radio.send(OutgoingMessage.unicast(0x1111, 1, 6, new byte[] {1, 1, 1}));
        CompletableFuture<Void> b = radio.send(OutgoingMessage.unicast(0x2222, 1, 6, new byte[] {1, 2, 1}));
        CompletableFuture<Void> c = radio.send(OutgoingMessage.unicast(0x3333, 1, 6, new byte[] {1, 3, 1}));
        waitFor(() -> stick.peer.sent(0x24, 0x01).size() == 3);
        int ta = d(stick.peer.sent(0x24, 0x01).get(0), 6);
        int tb = d(stick.peer.sent(0x24, 0x01).get(1), 6);
        int tc = d(stick.peer.sent(0x24, 0x01).get(2), 6);
        assertEquals(3, java.util.Set.of(ta, tb, tc).size(), "distinct transaction ids");
        stick.peer.write(frame(0x44, 0x80, 0x00, 0x01, tc));
        stick.peer.write(frame(0x44, 0x80, 0xE9, 0x01, ta)); // MAC_NO_ACK
        c.get(5, TimeUnit.SECONDS);
        RadioException e = failure(a);
        assertEquals(RadioError.DEVICE_UNREACHABLE, e.error());
        assertEquals(0xE9, e.status());
        assertFalse(b.isDone());
        stick.peer.write(frame(0x44, 0x80, 0x00, 0x01, tb));
        b.get(5, TimeUnit.SECONDS);
    }

    @Test
    void bufferFullSrspFailsAtOnceAsCongested() throws Exception {
        startWith(NET);
        stick.override = f -> cmd0(f) == 0x24 && cmd1(f) == 0x01 ? List.of(hex("FE 01 64 01 11 75")) : null;
        RadioException e = failure(radio.send(OutgoingMessage.unicast(0x1234, 1, 6, new byte[] {1, 0, 1})));
        assertEquals(RadioError.CONGESTED, e.error());
        assertEquals(0x11, e.status());
        assertEquals(0, radio.mtMetrics().waiters(), "the confirm wait was withdrawn");
    }

    @Test
    void missingConfirmFailsAsDeviceUnreachableAfterTheConfirmTimeout() throws Exception {
        startWith(NET);
        stick.override = f -> cmd0(f) == 0x24 && cmd1(f) == 0x01 ? List.of(frame(0x64, 0x01, 0x00)) : null;
        CompletableFuture<Void> f = radio.send(OutgoingMessage.unicast(0x1234, 1, 6, new byte[] {1, 0, 1}));
        waitFor(() -> stick.peer.sent(0x24, 0x01).size() == 1);
        waitFor(() -> radio.mtMetrics().inFlight() == 0); // SRSP in: only the confirm wait is left
        clock.advance(Duration.ofMillis(7999));
        radio.expireDue();
        assertFalse(f.isDone());
        clock.advance(Duration.ofMillis(1));
        radio.expireDue();
        assertEquals(RadioError.DEVICE_UNREACHABLE, failure(f).error());
    }

    @Test
    void transactionIdsWrapAndSkipPendingOnes() throws Exception {
        startWith(NET);
        // hold the confirm of the first request (tid 1) while 300 others go through
        stick.override = f -> cmd0(f) == 0x24 && cmd1(f) == 0x01 && d(f, 6) == 1 && d16(f, 0) == 0x0001
                ? List.of(frame(0x64, 0x01, 0x00)) : null;
        CompletableFuture<Void> held = radio.send(OutgoingMessage.unicast(0x0001, 1, 6, new byte[] {1}));
        for (int i = 0; i < 300; i++) {
            radio.send(OutgoingMessage.unicast(0x0002, 1, 6, new byte[] {1})).get(5, TimeUnit.SECONDS);
        }
        List<byte[]> sent = stick.peer.sent(0x24, 0x01);
        for (int i = 1; i < sent.size(); i++) {
            int tid = d(sent.get(i), 6);
            assertTrue(tid >= 1 && tid <= 255);
            assertTrue(tid != 1, "tid 1 is still pending and must not be reused");
        }
        assertFalse(held.isDone());
    }

    @Test
    void sendBeforeStartFailsRadioUnavailable() {
        newRadio(cfg(), new InMemoryNetworkParamsStore(NET));
        assertEquals(RadioError.RADIO_UNAVAILABLE,
                failure(radio.send(OutgoingMessage.unicast(1, 1, 6, new byte[] {1}))).error());
    }

    // ------------------------------------------------------------------ incoming

    @Test
    void truncatedIncomingMessageIsDroppedAndCountedWhileTheNextIsDelivered() throws Exception {
        startWith(NET);
        // Group(2) Cluster(2) Src(2) SrcEP DstEP WasBcast LQI SecUse Timestamp(4) TSN Len Data MacSrc(2) Radius
        stick.peer.write(frame(0x44, 0x81, 0, 0, 6, 0, 0x34, 0x12, 1, 1, 0, 0x90, 0, 1, 2, 3, 4, 7, 10, 0x18, 7, 0x0B));
        stick.peer.write(frame(0x44, 0x81, 0, 0, 6, 0, 0x34, 0x12, 1, 1, 0, 0x90, 0, 1, 2, 3, 4, 7,
                5, 0x18, 7, 0x0A, 0x00, 0x00, 0x34, 0x12, 0x1E));
        IncomingMessage m = heard.messages.poll(5, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals(0x1234, m.srcNwk());
        assertEquals(6, m.clusterId());
        assertEquals(1, m.srcEndpoint());
        assertEquals(0x90, m.lqi());
        assertArrayEquals(new byte[] {0x18, 7, 0x0A, 0, 0}, m.payload());
        assertEquals(1, radio.truncatedIncoming());
        assertTrue(heard.messages.isEmpty());
        assertEquals(RadioState.UP, radio.state());
    }

    @Test
    void deviceEventsReachListeners() throws Exception {
        startWith(NET);
        stick.peer.write(frame(0x45, 0xCA, 0x34, 0x12, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0));
        stick.peer.write(frame(0x45, 0xC1, 0x34, 0x12, 0x34, 0x12, 8, 7, 6, 5, 4, 3, 2, 1, 0x8E));
        stick.peer.write(frame(0x45, 0xC9, 0x34, 0x12, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 1));
        stick.peer.write(frame(0x45, 0xC9, 0x34)); // too short: dropped, counted
        assertEquals("joined 1234 0102030405060708 0000", heard.await("joined"));
        assertEquals("announced 1234 0102030405060708 8E", heard.await("announced"));
        assertEquals("left 1234 0102030405060708 true", heard.await("left"));
        waitFor(() -> radio.malformedCallbacks() == 1);
    }

    // ------------------------------------------------------------------ ZDO

    @Test
    void nodeDescriptorMatchesTheCallbackBySource() throws Exception {
        startWith(NET);
        stick.override = f -> cmd0(f) == 0x25 && cmd1(f) == 0x02 ? List.of(frame(0x65, 0x02, 0x00),
                // another device's answer first: must not be taken
                frame(0x45, 0x82, 0x78, 0x56, 0x00, 0x78, 0x56, 0x02, 0x40, 0x80, 0x11, 0x11, 0x50, 0, 0, 0, 0, 0, 0, 0),
                frame(0x45, 0x82, 0x34, 0x12, 0x00, 0x34, 0x12, 0x01, 0x40, 0x8E, 0x7C, 0x11, 0x50, 0, 0, 0, 0, 0, 0, 0))
                : null;
        NodeDescriptor nd = radio.nodeDescriptor(0x1234).get(5, TimeUnit.SECONDS);
        assertEquals(new NodeDescriptor(0x1234, 1, 0x117C, 0x8E), nd);
        assertTrue(nd.mainsPowered());
        assertEquals("34 12 34 12", toHex(ScriptedPeer.data(stick.peer.sent(0x25, 0x02).get(0))));
    }

    @Test
    void activeEndpointsAndSimpleDescriptor() throws Exception {
        startWith(NET);
        stick.override = f -> {
            if (cmd0(f) == 0x25 && cmd1(f) == 0x05 && d16(f, 0) == 0x1234) {
                return List.of(frame(0x65, 0x05, 0), frame(0x45, 0x85, 0x34, 0x12, 0, 0x34, 0x12, 2, 1, 0x0B));
            }
            if (cmd0(f) == 0x25 && cmd1(f) == 0x04) {
                return List.of(frame(0x65, 0x04, 0),
                        frame(0x45, 0x84, 0x34, 0x12, 0, 0x34, 0x12, 0x0E, 0x0B, 0x5E, 0xC0, 0x00, 0x01, 0x02,
                                2, 0x00, 0x00, 0x06, 0x00, 1, 0x19, 0x00),
                        frame(0x45, 0x84, 0x34, 0x12, 0, 0x34, 0x12, 0x0E, 0x01, 0x04, 0x01, 0x02, 0x01, 0x01,
                                2, 0x00, 0x00, 0x06, 0x00, 1, 0x19, 0x00));
            }
            return null;
        };
        assertEquals(List.of(1, 11), radio.activeEndpoints(0x1234).get(5, TimeUnit.SECONDS));
        SimpleDescriptor sd = radio.simpleDescriptor(0x1234, 1).get(5, TimeUnit.SECONDS);
        assertEquals(new SimpleDescriptor(1, 0x0104, 0x0102, List.of(0x0000, 0x0006), List.of(0x0019)), sd);
        assertEquals("34 12 34 12 01", toHex(ScriptedPeer.data(stick.peer.sent(0x25, 0x04).get(0))));
    }

    @Test
    void zdoStatusFailuresAndMissingCallback() throws Exception {
        startWith(NET);
        stick.override = f -> {
            if (cmd0(f) == 0x25 && cmd1(f) == 0x05) {
                return List.of(frame(0x65, 0x05, 0x02)); // SRSP INVALID_PARAMETER
            }
            if (cmd0(f) == 0x25 && cmd1(f) == 0x02) {
                return List.of(frame(0x65, 0x02, 0x00), frame(0x45, 0x82, 0x34, 0x12, 0x81, 0x34, 0x12));
            }
            if (cmd0(f) == 0x25 && cmd1(f) == 0x04) {
                return List.of(frame(0x65, 0x04, 0x00)); // the device never answers
            }
            return null;
        };
        RadioException e = failure(radio.activeEndpoints(0x1234));
        assertEquals(RadioError.REJECTED, e.error());
        assertEquals(0x02, e.status());
        e = failure(radio.nodeDescriptor(0x1234));
        assertEquals(0x81, e.status(), "ZDO DEVICE_NOT_FOUND in the callback");
        CompletableFuture<SimpleDescriptor> sd = radio.simpleDescriptor(0x1234, 1);
        waitFor(() -> stick.peer.sent(0x25, 0x04).size() == 1);
        waitFor(() -> radio.mtMetrics().inFlight() == 0);
        clock.advance(Duration.ofSeconds(10));
        radio.expireDue();
        assertEquals(RadioError.DEVICE_UNREACHABLE, failure(sd).error());
    }

    @Test
    void permitJoinBytes() throws Exception {
        startWith(NET);
        radio.permitJoin(Duration.ofSeconds(60), -1).get(5, TimeUnit.SECONDS);
        radio.permitJoin(Duration.ofHours(1), -1).get(5, TimeUnit.SECONDS);
        radio.permitJoin(Duration.ofSeconds(30), 0x1234).get(5, TimeUnit.SECONDS);
        radio.permitJoin(Duration.ZERO, -1).get(5, TimeUnit.SECONDS);
        List<String> t = new ArrayList<>();
        for (byte[] f : stick.peer.sent(0x25, 0x36)) {
            t.add(toHex(ScriptedPeer.data(f)));
        }
        assertEquals(List.of("0F FC FF 3C 00", "0F FC FF FE 00", "02 34 12 1E 00", "0F FC FF 00 00"), t,
                "0xFF (forever) is never sent");
        assertThrows(IllegalArgumentException.class, () -> radio.permitJoin(Duration.ofSeconds(-1), -1));
    }

    @Test
    void bindAndLeaveBytesAndCallbacks() throws Exception {
        startWith(NET);
        stick.override = f -> {
            if (cmd0(f) == 0x25 && cmd1(f) == 0x21) {
                return List.of(frame(0x65, 0x21, 0), frame(0x45, 0xA1, 0x34, 0x12, 0x00));
            }
            if (cmd0(f) == 0x25 && cmd1(f) == 0x34) {
                return List.of(frame(0x65, 0x34, 0), frame(0x45, 0xB4, 0x34, 0x12, 0x00));
            }
            return null;
        };
        radio.bind(0x1234, 0x0102030405060708L, 1, 6).get(5, TimeUnit.SECONDS);
        assertEquals("34 12 08 07 06 05 04 03 02 01 01 06 00 03 78 56 34 12 00 4B 12 00 01",
                toHex(ScriptedPeer.data(stick.peer.sent(0x25, 0x21).get(0))));
        radio.requestLeave(0x1234, 0x0102030405060708L).get(5, TimeUnit.SECONDS);
        assertEquals("34 12 08 07 06 05 04 03 02 01 00", toHex(ScriptedPeer.data(stick.peer.sent(0x25, 0x34).get(0))));
    }

    @Test
    void rpcErrorOnAnSreqFailsAsRejectedAndNvHelpersWork() throws Exception {
        startWith(NET);
        // FakeStick answers commands it does not know (here SYS_OSAL_NV_READ 21 08) with RPC error 2
        RadioException e = failure(radio.nvRead(0x0021, 0));
        assertTrue(e instanceof io.tetheritall.hub.radios.znp.mt.MtRpcException, e.toString());
        assertEquals(RadioError.REJECTED, e.error());
        byte[] big = new byte[300];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        radio.writeItem(0x0F10, big).get(5, TimeUnit.SECONDS);
        assertEquals(2, stick.peer.sent(0x21, 0x1D).stream().filter(f -> d16(f, 0) == 0x0F10).count(),
                "written in chunks that fit a 250-byte frame");
        assertArrayEquals(big, radio.readItem(0x0F10).get(5, TimeUnit.SECONDS).orElseThrow());
        assertTrue(radio.readItem(0x0F11).get(5, TimeUnit.SECONDS).isEmpty());
        assertEquals(0x0179, (int) radio.ping().get(5, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ recovery

    @Test
    void unplugFailsPendingAndReconnectRestoresWithoutRepairing() throws Exception {
        startWith(NET);
        assertEquals("state STARTING", heard.await("state STARTING"));
        assertEquals("state UP", heard.await("state UP"));
        stick.override = f -> cmd0(f) == 0x24 && cmd1(f) == 0x01 ? List.of(frame(0x64, 0x01, 0x00)) : null;
        CompletableFuture<Void> pending = radio.send(OutgoingMessage.unicast(0x1234, 1, 6, new byte[] {1, 0, 1}));
        waitFor(() -> stick.peer.sent(0x24, 0x01).size() == 1);
        int before = stick.peer.all.size();
        ends[0].unplug();
        assertEquals(RadioError.RADIO_UNAVAILABLE, failure(pending).error());
        assertEquals("state DOWN", heard.await("state"));
        assertEquals(RadioState.DOWN, radio.state());
        assertEquals(RadioError.RADIO_UNAVAILABLE,
                failure(radio.send(OutgoingMessage.unicast(0x1234, 1, 6, new byte[] {1, 0, 1}))).error());
        // the dongle comes back after a power cycle: RAM lost, NV kept
        stick.override = null;
        stick.powerCycle();
        stick.peer.open();
        link.reopen();
        assertEquals("state STARTING", heard.await("state"));
        assertEquals("state UP", heard.await("state"));
        List<String> after = trace(stick.peer.all.subList(before, stick.peer.all.size()));
        assertEquals(-1, indexOf(after, "NV_WRITE_EXT"), "no re-forming, no re-pairing: " + after);
        assertOrder(after, "21 01", "27 00", "25 40", "25 05", "24 00 01", "24 00 F2");
        assertEquals(1, radio.recoveries());
        radio.send(OutgoingMessage.unicast(0x1234, 1, 6, new byte[] {1, 0, 1})).get(5, TimeUnit.SECONDS);
    }

    @Test
    void unsolicitedResetIndicationTriggersRestore() throws Exception {
        startWith(NET);
        heard.await("state UP");
        int before = stick.peer.all.size();
        stick.powerCycle();
        stick.peer.write(frame(0x41, 0x80, 0x00, 0x02, 0x01, 0x02, 0x07, 0x01));
        assertEquals("state STARTING", heard.await("state"));
        assertEquals("state UP", heard.await("state"));
        List<String> after = trace(stick.peer.all.subList(before, stick.peer.all.size()));
        assertEquals(-1, indexOf(after, "NV_WRITE_EXT"));
        assertOrder(after, "25 40", "24 00 01");
        assertEquals(1, radio.recoveries());
    }

    @Test
    void softResetSendsResetRequestAndRestores() throws Exception {
        startWith(NET);
        int before = stick.peer.all.size();
        NetworkInfo info = radio.softReset().get(10, TimeUnit.SECONDS);
        assertFalse(info.formed());
        List<String> after = trace(stick.peer.all.subList(before, stick.peer.all.size()));
        assertEquals("41 00 01", after.get(0));
        assertOrder(after, "41 00 01", "21 01", "27 00", "25 40", "24 00 01");
        assertEquals(-1, indexOf(after, "NV_WRITE_EXT"));
        assertEquals(RadioState.UP, radio.state());
    }

    @Test
    void closeStopsTheRadio() throws Exception {
        startWith(NET);
        radio.close();
        assertEquals(RadioState.STOPPED, radio.state());
        assertEquals(RadioError.RADIO_UNAVAILABLE, failure(radio.send(OutgoingMessage.unicast(1, 1, 6, new byte[] {1})))
                .error());
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(2); // waits for real threads to deliver, never for a timeout
        }
    }
}
