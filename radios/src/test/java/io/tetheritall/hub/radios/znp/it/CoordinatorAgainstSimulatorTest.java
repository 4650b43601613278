package io.tetheritall.hub.radios.znp.it;

import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import io.tetheritall.hub.radios.link.Backoff;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.link.Links;
import io.tetheritall.hub.radios.link.ReconnectingLink;
import io.tetheritall.hub.radios.link.SerialLink;
import io.tetheritall.hub.radios.link.pty.SocatPty;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.znp.NetworkParamsStore;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.ZnpCoordinator;
import io.tetheritall.hub.radios.znp.sim.DeviceKind;
import io.tetheritall.hub.radios.znp.sim.DeviceView;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub's ZNP coordinator against the project's Z-Stack simulator, both real, talking MT bytes:
 * in memory, and over a socat pty through jssc on both ends (the path a dongle takes).
 */
class CoordinatorAgainstSimulatorTest {
    private static final Duration START = Duration.ofSeconds(20);
    private final List<AutoCloseable> closeLast = new ArrayList<>();

    @TempDir
    Path dir;

    /** The test JVM's tmpdir is target/tmp (root pom); @TempDir fails if it does not exist yet. */
    @org.junit.jupiter.api.BeforeAll
    static void tmpdir() throws java.io.IOException {
        java.nio.file.Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeLast.size() - 1; i >= 0; i--) {
            closeLast.get(i).close();
        }
    }

    private ZnpSimulatorConfig.Builder sim(int devices) {
        return ZnpSimulatorConfig.builder().seed(42).devices(ZnpSimulatorConfig.population(devices))
                .joinSpacing(Duration.ofMillis(20)).nvFile(dir.resolve("sim-nv.txt"));
    }

    private ZnpCoordinator coordinator(ByteLink link, NetworkParamsStore store) {
        ZnpCoordinator c = new ZnpCoordinator(ZnpConfig.defaults("zigbee0"), link, store, HubClock.system());
        closeLast.add(c);
        return c;
    }

    private static void await(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void formsThenRestoresWithoutRepairingAndDrivesABulb() throws Exception {
        InMemoryLink[] ends = InMemoryLink.pair("znp");
        ZnpSimulator simulator = ZnpSimulator.realTime(sim(3).build(), ends[1]);
        closeLast.add(simulator);
        simulator.start();
        NetworkParamsStore params = NetworkParamsStore.inMemory();

        ZnpCoordinator first = coordinator(ends[0], params);
        Map<Long, Integer> joined = new ConcurrentHashMap<>();
        BlockingQueue<IncomingMessage> incoming = new LinkedBlockingQueue<>();
        first.addListener(new RadioListener() {
            @Override
            public void deviceJoined(int nwk, long ieee, int parentNwk) {
                joined.put(ieee, nwk);
            }

            @Override
            public void messageReceived(IncomingMessage m) {
                incoming.add(m);
            }
        });
        NetworkInfo formed = first.start().get(START.toSeconds(), TimeUnit.SECONDS);
        assertTrue(formed.formed(), "an unconfigured stick gets a new network");
        assertEquals(9, simulator.deviceState(), "the stick runs as coordinator");
        assertEquals(formed.panId(), simulator.panId());
        assertEquals(formed.channel(), simulator.channel());

        first.permitJoin(Duration.ofSeconds(30), -1).get(5, TimeUnit.SECONDS);
        await(() -> joined.size() == 3, Duration.ofSeconds(10), "3 joins");

        // interview the colour bulb (population starts with it)
        DeviceView bulb = simulator.devices().stream().filter(d -> d.kind() == DeviceKind.COLOUR_BULB)
                .findFirst().orElseThrow();
        int nwk = joined.get(bulb.ieee());
        assertTrue(first.nodeDescriptor(nwk).get(5, TimeUnit.SECONDS).router());
        assertEquals(List.of(1), first.activeEndpoints(nwk).get(5, TimeUnit.SECONDS));
        SimpleDescriptor sd = first.simpleDescriptor(nwk, 1).get(5, TimeUnit.SECONDS);
        assertTrue(sd.inputClusters().containsAll(List.of(0x0006, 0x0008, 0x0300)), sd.toString());

        // ZCL On (cluster-specific, to server, TSN 7, command 0x01) and the device's default response
        first.send(OutgoingMessage.unicast(nwk, 1, 0x0006, new byte[] {0x01, 0x07, 0x01})).get(5, TimeUnit.SECONDS);
        await(() -> simulator.device(bulb.ieee()).onOff(), Duration.ofSeconds(5), "bulb on");
        IncomingMessage reply = incoming.poll(5, TimeUnit.SECONDS);
        assertNotNull(reply, "a default response comes back as AF_INCOMING_MSG");
        assertEquals(nwk, reply.srcNwk());
        assertEquals(0x0006, reply.clusterId());

        first.close();
        closeLast.remove(first);

        // a new hub process on the same stick: restore, not form; devices keep their addresses
        InMemoryLink[] again = InMemoryLink.pair("znp2");
        simulator.close();
        closeLast.remove(simulator);
        ZnpSimulator rebooted = ZnpSimulator.realTime(sim(3).build(), again[1]);
        closeLast.add(rebooted);
        rebooted.start();
        ZnpCoordinator second = coordinator(again[0], params);
        NetworkInfo restored = second.start().get(START.toSeconds(), TimeUnit.SECONDS);
        assertFalse(restored.formed(), "a configured stick is restored");
        assertEquals(formed.panId(), restored.panId());
        assertEquals(formed.extendedPanId(), restored.extendedPanId());
        assertTrue(rebooted.device(bulb.ieee()).joined(), "the bulb is still paired after the restart");
        second.send(OutgoingMessage.unicast(nwk, 1, 0x0006, new byte[] {0x01, 0x08, 0x00})).get(5, TimeUnit.SECONDS);
        await(() -> !rebooted.device(bulb.ieee()).onOff(), Duration.ofSeconds(5), "bulb off after restore");
    }

    @Test
    void simulatorRebootMidRunIsRestoredByItself() throws Exception {
        InMemoryLink[] ends = InMemoryLink.pair("znp");
        ZnpSimulator simulator = ZnpSimulator.realTime(sim(1).build(), ends[1]);
        closeLast.add(simulator);
        simulator.start();
        ZnpCoordinator c = coordinator(ends[0], NetworkParamsStore.inMemory());
        c.start().get(START.toSeconds(), TimeUnit.SECONDS);
        long before = c.recoveries();
        simulator.faults().reboot();
        await(() -> c.recoveries() > before && c.state() == RadioState.UP && simulator.deviceState() == 9,
                Duration.ofSeconds(15), "restore after RESET_IND: the stick runs as coordinator again");
        assertTrue(c.ping().get(5, TimeUnit.SECONDS) > 0);
    }

    @Test
    void overARealPtyThroughJsscUnplugAndReplugRestoresTheNetwork() throws Exception {
        Assumptions.assumeTrue(SocatPty.available(), "socat is not installed");
        SocatPty pty = SocatPty.start(dir.resolve("pty"));
        closeLast.add(pty);
        SerialLink deviceEnd = new SerialLink(pty.devicePath().toString(), 115200, false);
        ZnpSimulator simulator = ZnpSimulator.realTime(sim(2).build(), deviceEnd);
        closeLast.add(simulator);
        simulator.start();

        ReconnectingLink hostEnd = Links.reconnecting(pty.hostPath().toString(), 115200, false, Backoff.DEFAULT, null);
        ZnpCoordinator c = coordinator(hostEnd, NetworkParamsStore.inMemory());
        List<RadioState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        c.addListener(new RadioListener() {
            @Override
            public void stateChanged(RadioState state, String reason) {
                states.add(state);
            }
        });
        NetworkInfo net = c.start().get(START.toSeconds(), TimeUnit.SECONDS);
        assertTrue(net.formed());
        assertTrue(c.ping().get(5, TimeUnit.SECONDS) > 0);

        // pull the dongle: the pty pair goes away; plug it back: same paths, new ptys
        pty.unplug();
        await(() -> c.state() == RadioState.DOWN, Duration.ofSeconds(10), "DOWN after unplug");
        pty.replug();
        simulator.faults().replug(); // the simulated stick re-opens its end, as a re-powered dongle boots
        await(() -> c.state() == RadioState.UP, Duration.ofSeconds(20), "UP after replug");
        assertEquals(net.panId(), c.network().panId(), "same network, nothing re-paired");
        assertFalse(c.network().formed(), "restored, not formed again");
        assertTrue(states.contains(RadioState.DOWN));
    }
}
