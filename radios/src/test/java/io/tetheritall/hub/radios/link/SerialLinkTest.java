package io.tetheritall.hub.radios.link;

import io.tetheritall.hub.radios.link.pty.SocatPty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real serial path: jssc on both ends of a socat pty pair. */
class SerialLinkTest {
    private static final Duration T = Duration.ofSeconds(5);
    /** How fast an unplug must be noticed: the reader polls every 20 ms at most, and checks the path every second. */
    private static final Duration DOWN_BOUND = Duration.ofSeconds(2);

    private SocatPty pty;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startPty() throws IOException {
        Assumptions.assumeTrue(SocatPty.available(), "socat is not installed");
        // jssc unpacks its native library into java.io.tmpdir (target/tmp under surefire)
        Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        pty = SocatPty.start(Files.createTempDirectory(tmp, "pty"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    private SerialLink link(Path p) {
        SerialLink l = new SerialLink(p.toString(), 115200, false);
        toClose.add(l);
        return l;
    }

    private static byte[] allByteValues() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void roundTripOfEveryByteValueOnANamedReaderThread() throws Exception {
        SerialLink host = link(pty.hostPath());
        SerialLink device = link(pty.devicePath());
        Recorder h = new Recorder();
        Recorder d = new Recorder();
        host.open(h);
        device.open(d);
        assertEquals(LinkState.UP, h.expect(LinkState.UP, T).state());
        assertTrue(host.isUp());

        host.write(allByteValues());
        assertArrayEquals(allByteValues(), d.awaitBytes(256, T));
        byte[] reply = {(byte) 0xFE, 0x02, 0x61, 0x01, 0x11, 0x00, 0x73};
        device.write(reply);
        assertArrayEquals(reply, h.awaitBytes(7, T));
        assertTrue(h.readerThread().startsWith("link-"), h.readerThread());
        assertTrue(h.readerThread().contains("a"), h.readerThread());

        host.close();
        assertEquals(LinkState.CLOSED, h.expect(LinkState.CLOSED, T).state());
        assertThrows(IOException.class, () -> host.write(new byte[] {1}));
        assertThrows(IOException.class, () -> host.open(new Recorder()), "closed for good");
    }

    @Test
    void theReaderPollsLessTheLongerTheLineIsQuiet() {
        assertEquals(SerialLink.ACTIVE_POLL_NANOS, SerialLink.pollNanos(0));
        assertEquals(SerialLink.ACTIVE_POLL_NANOS, SerialLink.pollNanos(SerialLink.ACTIVE_WINDOW_NANOS - 1));
        assertEquals(SerialLink.IDLE_POLL_NANOS, SerialLink.pollNanos(SerialLink.ACTIVE_WINDOW_NANOS));
        assertEquals(SerialLink.IDLE_POLL_NANOS, SerialLink.pollNanos(SerialLink.QUIET_AFTER_NANOS - 1));
        assertEquals(SerialLink.QUIET_POLL_NANOS, SerialLink.pollNanos(SerialLink.QUIET_AFTER_NANOS));
        assertEquals(SerialLink.QUIET_POLL_NANOS, SerialLink.pollNanos(Long.MAX_VALUE / 2));
    }

    @Test
    void aFrameAfterAQuietSpellIsStillReadWhole() throws Exception {
        // The reader's clock says the line has been quiet for a minute: it polls at the slowest rate.
        io.tetheritall.hub.radios.time.ManualClock clock = new io.tetheritall.hub.radios.time.ManualClock();
        SerialLink host = new SerialLink(pty.hostPath().toString(), 115200, false, clock);
        toClose.add(host);
        SerialLink device = link(pty.devicePath());
        Recorder h = new Recorder();
        host.open(h);
        device.open(new Recorder());
        assertEquals(LinkState.UP, h.expect(LinkState.UP, T).state());
        clock.advance(Duration.ofMinutes(1));
        Thread.sleep(50); // let the reader settle into its quiet polling
        byte[] report = {(byte) 0xFE, 0x03, 0x44, (byte) 0x81, 0x01, 0x02, 0x03, (byte) 0xC4};
        device.write(report);
        assertArrayEquals(report, h.awaitBytes(report.length, T));
    }

    @Test
    void theSocatPtysAreRawForAReaderThatSetsNoTermios() throws Exception {
        SerialLink host = link(pty.hostPath());
        Recorder h = new Recorder();
        host.open(h);
        try (FileInputStream in = new FileInputStream(pty.devicePath().toFile());
             FileOutputStream out = new FileOutputStream(pty.devicePath().toFile())) {
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try {
                    // not readNBytes(): on Java 17 it seeks, and a tty cannot seek
                    byte[] got = new byte[256];
                    int n = 0;
                    while (n < got.length) {
                        int r = in.read(got, n, got.length - n);
                        if (r < 0) {
                            throw new IOException("EOF after " + n);
                        }
                        n += r;
                    }
                    return got;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            host.write(allByteValues());
            // no CR/LF mapping, no XON/XOFF, no signals, no echo: the same 256 bytes
            assertArrayEquals(allByteValues(), read.get(5, TimeUnit.SECONDS));
            out.write(allByteValues());
            out.flush();
            assertArrayEquals(allByteValues(), h.awaitBytes(256, T));
            Thread.sleep(50);
            assertEquals(256, h.size(), "no echo of what the host wrote comes back");
        }
    }

    @Test
    void a64KiBTransferArrivesWholeInReadsOfAtMost4095Bytes() throws Exception {
        SerialLink host = link(pty.hostPath());
        SerialLink device = link(pty.devicePath());
        Recorder d = new Recorder();
        host.open(new Recorder());
        device.open(d);
        byte[] data = new byte[64 * 1024];
        new Random(7).nextBytes(data);
        // One direction only (both ways at once can deadlock socat); 16 writes of 4 KiB back to back.
        for (int off = 0; off < data.length; off += 4096) {
            host.write(java.util.Arrays.copyOfRange(data, off, off + 4096));
        }
        assertArrayEquals(data, d.awaitBytes(data.length, Duration.ofSeconds(20)));
        int max = d.reads().stream().mapToInt(Integer::intValue).max().orElse(0);
        assertTrue(max <= SerialLink.MAX_READ, "largest read " + max);
        assertTrue(d.reads().size() >= 16, "a tty hands over at most 4095 bytes per read: " + d.reads().size());
    }

    @Test
    void unplugGoesDownWithinABoundAndTheSameLinkReopensAfterReplug() throws Exception {
        SerialLink host = link(pty.hostPath());
        SerialLink device = link(pty.devicePath());
        Recorder h = new Recorder();
        Recorder d = new Recorder();
        host.open(h);
        device.open(d);
        h.expect(LinkState.UP, T);
        d.expect(LinkState.UP, T);

        long t0 = System.nanoTime();
        pty.unplug();
        Recorder.Event down = h.expect(LinkState.DOWN, DOWN_BOUND);
        long took = System.nanoTime() - t0;
        d.expect(LinkState.DOWN, DOWN_BOUND);
        assertTrue(took < DOWN_BOUND.toNanos(), "DOWN after " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
        assertFalse(down.reason().isBlank());
        assertFalse(host.isUp());
        assertThrows(IOException.class, () -> host.write(new byte[] {1}));
        assertThrows(IOException.class, () -> host.open(new Recorder()), "the port is gone: open fails");

        pty.replug();
        Recorder h2 = new Recorder();
        Recorder d2 = new Recorder();
        host.open(h2); // the port was freed on DOWN: the same instance opens again
        device.open(d2);
        host.write(new byte[] {(byte) 0xFE, 0x00, 0x21, 0x01, 0x20});
        assertArrayEquals(new byte[] {(byte) 0xFE, 0x00, 0x21, 0x01, 0x20}, d2.awaitBytes(5, T));
        assertEquals(0, h.size());
    }

    @Test
    void reconnectingLinkComesBackAfterReplugAndBytesFlowAgain() throws Exception {
        Backoff fast = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 2.0, 0.2);
        ReconnectingLink host = Links.reconnecting(pty.hostPath().toString(), 115200, false, fast, null);
        toClose.add(host);
        SerialLink device = link(pty.devicePath());
        Recorder h = new Recorder();
        Recorder d = new Recorder();
        host.open(h);
        device.open(d);
        h.expect(LinkState.UP, T);
        d.expect(LinkState.UP, T);
        host.write(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, d.awaitBytes(3, T));

        pty.unplug();
        h.expect(LinkState.DOWN, DOWN_BOUND);
        d.expect(LinkState.DOWN, DOWN_BOUND);
        Thread.sleep(300); // a few failed attempts while the path is gone
        assertFalse(host.isUp());

        pty.replug();
        Recorder.Event up = h.expect(LinkState.UP, T);
        assertTrue(up.reason().startsWith("reconnected"), up.reason());
        assertEquals(1, host.reconnects());
        Recorder d2 = new Recorder();
        device.open(d2);
        host.write(new byte[] {4, 5, 6});
        assertArrayEquals(new byte[] {4, 5, 6}, d2.awaitBytes(3, T));
        device.write(new byte[] {9});
        assertEquals(9, h.awaitBytes(1, T)[0]);
    }

    @Test
    void aVanishedDevicePathCountsAsUnpluggedEvenIfTheTtyStillAnswers() throws Exception {
        SerialLink host = link(pty.hostPath());
        Recorder h = new Recorder();
        host.open(h);
        h.expect(LinkState.UP, T);
        // udev removes /dev/serial/by-id/... when the stick goes; here only the symlink goes
        Files.delete(pty.hostPath());
        assertEquals("device path vanished", h.expect(LinkState.DOWN, Duration.ofSeconds(3)).reason());
        assertFalse(host.isUp());
    }

    @Test
    void rtsCtsOnAPtyStillCarriesBytes() throws Exception {
        SerialLink host = new SerialLink(pty.hostPath().toString(), 115200, true);
        toClose.add(host);
        SerialLink device = link(pty.devicePath());
        Recorder d = new Recorder();
        host.open(new Recorder());
        device.open(d);
        assertTrue(host.rtsCts());
        host.write(new byte[] {0x11, 0x13});
        assertArrayEquals(new byte[] {0x11, 0x13}, d.awaitBytes(2, T));
    }

    @Test
    void aMissingDeviceFailsToOpenWithItsPath() {
        SerialLink missing = link(pty.directory().resolve("ttyUSB9"));
        IOException e = assertThrows(IOException.class, () -> missing.open(new Recorder()));
        assertTrue(e.getMessage().contains("ttyUSB9"), e.getMessage());
        assertFalse(missing.isUp());
        assertThrows(IllegalArgumentException.class, () -> new SerialLink("", 115200, false));
        assertThrows(IllegalArgumentException.class, () -> new SerialLink("/dev/ttyUSB0", 0, false));
    }
}
