package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class ZnpSimulatorMainTest {

    @Test
    void parsesArguments() {
        ZnpSimulatorMain.Args a = ZnpSimulatorMain.parse(new String[] {"--tty", "/dev/pts/7", "--devices", "20", "--seed", "9",
            "--baud", "230400", "--in-flight", "6", "--nv-file", "target/tmp/nv.txt"});
        assertEquals("/dev/pts/7", a.tty());
        assertEquals(20, a.config().devices().size());
        assertEquals(9, a.config().seed());
        assertEquals(230400, a.config().baud());
        assertEquals(6, a.config().inFlightLimit());
        assertTrue(a.config().nvFile().endsWith("nv.txt"));
        assertThrows(IllegalArgumentException.class, () -> ZnpSimulatorMain.parse(new String[] {"--devices", "3"}));
        assertThrows(IllegalArgumentException.class, () -> ZnpSimulatorMain.parse(new String[] {"--tty", "x", "--seed"}));
        assertThrows(IllegalArgumentException.class, () -> ZnpSimulatorMain.parse(new String[] {"--tty", "x", "--bogus"}));
    }

    @Test
    void badArgumentsExitWithUsage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = ZnpSimulatorMain.run(new String[] {"--seed", "x"}, p -> null,
                new BufferedReader(new StringReader("")), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage"));
    }

    @Test
    void runsOnTheOpenedLinkAndObeysConsoleCommands() throws Exception {
        InMemoryLink[] pair = InMemoryLink.pair("main");
        ZnpTestHost host = new ZnpTestHost(pair[0]);
        PipedWriter console = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(console));
        SignallingOut out = new SignallingOut();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        String[] opened = new String[1];
        CompletableFuture<Integer> rc = CompletableFuture.supplyAsync(() -> {
            try {
                return ZnpSimulatorMain.run(new String[] {"--tty", "/dev/sim0", "--devices", "4", "--seed", "5", "--baud", "0"},
                        path -> {
                            opened[0] = path;
                            return pair[1];
                        }, in, ps);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // the simulator answers in real time
        UnpiFrame pong = null;
        for (int i = 0; i < 50 && pong == null; i++) {
            host.send(UnpiFrame.of(0x21, 0x01));
            pong = host.poll(f -> f.cmd0() == 0x61 && f.command() == 0x01, 100);
        }
        assertNotNull(pong);
        assertEquals("/dev/sim0", opened[0]);
        console.write("hang\n");
        console.flush();
        awaitOutput(out, "ok");
        host.collect(f -> true, 50);
        host.send(UnpiFrame.of(0x21, 0x01));
        assertNull(host.poll(f -> f.cmd0() == 0x61, 300), "hung");
        console.write("resume\ndevices\nbogus\ncounters\nquit\n");
        console.flush();
        assertEquals(0, rc.get(10, TimeUnit.SECONDS));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("znp-sim up on /dev/sim0: 4 devices"), text);
        assertTrue(text.contains("COLOUR_BULB"), text);
        assertTrue(text.contains("unknown command: bogus"), text);
        assertTrue(text.contains("droppedWhileHung=1"), text);
        host.close();
    }

    @Test
    void consoleCommandsMapToFaults() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            fx.joinAll();
            long ieee = fx.first(DeviceKind.CONTACT_SENSOR).ieee();
            String hex = String.format("0x%016x", ieee);
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "silent " + hex));
            assertTrue(fx.sim.device(ieee).silent());
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "silent " + hex + " off"));
            assertFalse(fx.sim.device(ieee).silent());
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "poll " + hex + " 30"));
            Object zone = fx.sim.device(ieee).attribute(0x0500, 2);
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "trigger " + hex));
            assertEquals(((Long) zone) ^ 1, fx.sim.device(ieee).attribute(0x0500, 2), "the contact toggled at once");
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "leave " + hex));
            assertTrue(ZnpSimulatorMain.command(fx.sim, "trigger " + hex).startsWith("not a joined device"));
            assertFalse(fx.sim.device(ieee).joined());
            assertTrue(ZnpSimulatorMain.command(fx.sim, "leave 0x1").startsWith("unknown device"));
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "drop-confirms on"));
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "garbage 8"));
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "badfcs"));
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "permit 30"));
            fx.advance(3000);
            assertTrue(fx.sim.device(ieee).joined(), "rejoined while the coordinator permits joining");
            assertEquals("ok", ZnpSimulatorMain.command(fx.sim, "reboot"));
            assertNull(ZnpSimulatorMain.command(fx.sim, "quit"));
            assertTrue(ZnpSimulatorMain.command(fx.sim, "garbage x").startsWith("error"));
        }
    }

    /** The devices listing shows what an actuator did, so a peer-host script can check it from outside. */
    @Test
    void devicesListingShowsOnOffAndLevel() throws Exception {
        try (SimFixture fx = new SimFixture()) {
            fx.form();
            fx.joinAll();
            DeviceView bulb = fx.first(DeviceKind.COLOUR_BULB);
            String hex = String.format("%016x", bulb.ieee());
            String before = line(ZnpSimulatorMain.command(fx.sim, "devices"), hex);
            assertTrue(before.matches(".*COLOUR_BULB +joined off level=\\d+$"), before);
            // moveToLevelWithOnOff(200, 0 s)
            fx.af(bulb.nwk(), 0x0008, new byte[] {0x01, 0x10, 0x04, (byte) 200, 0, 0}, 10);
            fx.advance(300);
            String after = line(ZnpSimulatorMain.command(fx.sim, "devices"), hex);
            assertTrue(after.endsWith(" joined on level=200"), after);
            DeviceView sensor = fx.first(DeviceKind.WEATHER_SENSOR);
            String s = line(ZnpSimulatorMain.command(fx.sim, "devices"), String.format("%016x", sensor.ieee()));
            assertFalse(s.contains(" on") || s.contains(" off") || s.contains("level="), "no actuator: " + s);
            DeviceView plug = fx.first(DeviceKind.METERING_PLUG);
            String p = line(ZnpSimulatorMain.command(fx.sim, "devices"), String.format("%016x", plug.ieee()));
            assertTrue(p.endsWith(" off") || p.endsWith(" on"), p);
            assertFalse(p.contains("level="), p);
        }
    }

    private static String line(String listing, String prefix) {
        return listing.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(listing));
    }

    /** Waits (on the stream's monitor, no sleeping) until the console has printed {@code s}. */
    private static void awaitOutput(SignallingOut out, String s) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (out) {
            while (!out.toString(StandardCharsets.UTF_8).contains(s)) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    fail("no '" + s + "' in " + out);
                }
                out.wait(left);
            }
        }
    }

    /** A byte sink that wakes waiters on every write. */
    static final class SignallingOut extends ByteArrayOutputStream {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            notifyAll();
        }

        @Override
        public synchronized void write(int b) {
            super.write(b);
            notifyAll();
        }
    }
}
