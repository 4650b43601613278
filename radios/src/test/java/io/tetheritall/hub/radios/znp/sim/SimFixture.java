package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.time.ManualClock;
import io.tetheritall.hub.radios.time.VirtualScheduler;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A simulator on virtual time with a test host attached, and herdsman-like helper sequences. */
final class SimFixture implements AutoCloseable {
    static final int PAN = 0x1A62;
    static final long EXT_PAN = 0xDDDDDDDDDDDDDDDDL;
    static final byte[] KEY = {1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13};
    static final int CHANNEL = 15;

    final ManualClock clock = new ManualClock();
    final VirtualScheduler vs = new VirtualScheduler(clock);
    final InMemoryLink[] pair = InMemoryLink.pair("znp");
    final ZnpSimulator sim;
    final ZnpTestHost host;
    int tsn = 1;

    SimFixture(ZnpSimulatorConfig cfg) throws Exception {
        sim = new ZnpSimulator(cfg, pair[1], vs);
        host = new ZnpTestHost(pair[0]);
        sim.start();
    }

    SimFixture() throws Exception {
        this(ZnpSimulatorConfig.builder().seed(42).baud(0).build());
    }

    void advance(long ms) {
        vs.advance(Duration.ofMillis(ms));
    }

    int nvWrite(int id, byte[] value) throws Exception {
        UnpiFrame len = host.sreq(0x21, 0x13, new SimBytes.W().u16(id));
        if (len.u16(0) == 0) {
            host.sreq(0x21, 0x07, new SimBytes.W().u16(id).u16(value.length).u8(value.length).bytes(value));
        }
        return host.sreq(0x21, 0x1D, new SimBytes.W().u16(id).u16(0).u16(value.length).bytes(value)).u8(0);
    }

    byte[] nvRead(int id) throws Exception {
        UnpiFrame r = host.sreq(0x21, 0x1C, new SimBytes.W().u16(id).u16(0));
        assertEquals(0, r.u8(0), "NV read status of " + id);
        return r.slice(2, r.u8(1));
    }

    /** Herdsman's commissioning: NV items, BDB channel, BDB formation; waits for state 9. */
    void form() throws Exception {
        nvWrite(0x0003, new byte[] {0x02});
        nvWrite(0x0087, new byte[] {0x00});
        nvWrite(0x0084, new SimBytes.W().u32(1L << CHANNEL).done());
        nvWrite(0x0083, new SimBytes.W().u16(PAN).done());
        nvWrite(0x002D, new SimBytes.W().u64(EXT_PAN).done());
        nvWrite(0x0062, KEY);
        host.sreq(0x2F, 0x08, new SimBytes.W().u8(1).u32(1L << CHANNEL));
        host.sreq(0x2F, 0x08, new SimBytes.W().u8(0).u32(0));
        assertEquals(0, host.sreq(0x2F, 0x05, (byte) 0x04).u8(0));
        advance(1000);
        awaitState(9);
        nvWrite(0x0060, new byte[] {0x55});
    }

    void awaitState(int state) throws InterruptedException {
        host.await(f -> f.cmd0() == 0x45 && f.command() == 0xC0 && f.u8(0) == state);
    }

    /** Opens joining network-wide and waits for every device to join; returns the TC_DEV_INDs. */
    List<UnpiFrame> joinAll() throws Exception {
        int n = sim.devices().size();
        assertEquals(0, host.sreq(0x25, 0x36, new SimBytes.W().u8(0x0F).u16(0xFFFC).u8(0xFE).u8(0)).u8(0));
        advance(n * 2000L);
        List<UnpiFrame> ind = host.awaitCount(f -> f.cmd0() == 0x45 && f.command() == 0xCA, n);
        host.awaitCount(f -> f.cmd0() == 0x45 && f.command() == 0xC1, n);
        return ind;
    }

    DeviceView first(DeviceKind k) {
        return sim.devices().stream().filter(d -> d.kind() == k).findFirst().orElseThrow();
    }

    /** AF_DATA_REQUEST to endpoint 1 of {@code nwk} from endpoint 1; returns the SRSP status. */
    int af(int nwk, int cluster, byte[] zcl, int trans) throws Exception {
        UnpiFrame r = host.sreq(0x24, 0x01, new SimBytes.W().u16(nwk).u8(1).u8(1).u16(cluster).u8(trans).u8(0x30)
                .u8(30).u8(zcl.length).bytes(zcl));
        return r.u8(0);
    }

    /** AF_DATA_REQUEST_EXT to a group; returns the SRSP status. */
    int afGroup(int group, int cluster, byte[] zcl, int trans) throws Exception {
        UnpiFrame r = host.sreq(0x24, 0x02, new SimBytes.W().u8(0x01).u64(group).u8(0xFF).u16(0).u8(1).u16(cluster)
                .u8(trans).u8(0).u8(30).u16(zcl.length).bytes(zcl));
        return r.u8(0);
    }

    /** The next AF_INCOMING_MSG from {@code nwk} on {@code cluster} whose ZCL command is {@code cmd}. */
    UnpiFrame incoming(int nwk, int cluster, int cmd) throws InterruptedException {
        return host.await(f -> f.cmd0() == 0x44 && f.command() == 0x81 && f.u16(4) == nwk && f.u16(2) == cluster
                && zcl(f)[zclCmdIndex(zcl(f))] == (byte) cmd);
    }

    static byte[] zcl(UnpiFrame incoming) {
        return incoming.slice(17, incoming.u8(16));
    }

    static int zclCmdIndex(byte[] zcl) {
        return (zcl[0] & 0x04) != 0 ? 4 : 2;
    }

    UnpiFrame confirm(int trans) throws InterruptedException {
        return host.await(f -> f.cmd0() == 0x44 && f.command() == 0x80 && f.u8(2) == trans);
    }

    int nextTsn() {
        return tsn++ & 0xFF;
    }

    @Override
    public void close() {
        host.close();
        sim.close();
    }
}
