package io.tetheritall.hub.radios.link;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectingLinkTest {
    private static final Duration T = Duration.ofSeconds(5);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 2.0, 0.0);

    /** A device that is not there: open fails like jssc's "Port not found". */
    static final class AbsentLink implements ByteLink {
        @Override
        public String name() {
            return "absent";
        }

        @Override
        public void open(Listener listener) throws IOException {
            throw new IOException("no such device");
        }

        @Override
        public void write(byte[] data) throws IOException {
            throw new IOException("not open");
        }

        @Override
        public boolean isUp() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void keepsTryingWhileTheDeviceIsAbsentAndReportsOneDownThenUp() throws Exception {
        InMemoryLink[] pair = InMemoryLink.pair("stick");
        Recorder device = new Recorder();
        pair[1].open(device);
        AtomicInteger calls = new AtomicInteger();
        Recorder outer = new Recorder();
        try (ReconnectingLink link = new ReconnectingLink("stick", () -> calls.incrementAndGet() <= 3 ? new AbsentLink() : pair[0],
                FAST, null, null, null)) {
            link.open(outer);
            Recorder.Event down = outer.expect(LinkState.DOWN, T);
            assertTrue(down.reason().contains("no such device"), down.reason());
            outer.expect(LinkState.UP, T);
            assertEquals(3, link.failedAttempts());
            assertEquals(4, calls.get());
            assertTrue(link.isUp());
            assertEquals(1, link.reconnects());

            link.write(new byte[] {(byte) 0xFE, 0x00, 0x21, 0x01, 0x20});
            assertArrayEquals(new byte[] {(byte) 0xFE, 0x00, 0x21, 0x01, 0x20}, device.awaitBytes(5, T));
            pair[1].write(new byte[] {7, 8});
            assertArrayEquals(new byte[] {7, 8}, outer.awaitBytes(2, T));
            assertTrue(outer.readerThread().startsWith("link-stick-host"), outer.readerThread());
        }
        assertEquals(LinkState.CLOSED, outer.expect(LinkState.CLOSED, T).state());
    }

    @Test
    void reopensAfterUnplugAndBytesFlowAgain() throws Exception {
        InMemoryLink[] pair = InMemoryLink.pair("stick");
        Recorder device = new Recorder();
        pair[1].open(device);
        Recorder outer = new Recorder();
        AtomicInteger calls = new AtomicInteger();
        try (ReconnectingLink link = new ReconnectingLink("stick", () -> {
            calls.incrementAndGet();
            return pair[0];
        }, FAST, null, null, null)) {
            link.open(outer);
            assertEquals("opened stick/host", outer.expect(LinkState.UP, T).reason());
            assertTrue(link.isUp(), "open() returns after the first attempt");

            pair[0].unplug();
            assertEquals("unplugged", outer.expect(LinkState.DOWN, T).reason());
            outer.expect(LinkState.UP, T);
            assertEquals(2, calls.get());
            assertEquals(1, link.reconnects());

            pair[1].open(device); // the device end comes back too
            pair[1].write(new byte[] {42});
            assertArrayEquals(new byte[] {42}, outer.awaitBytes(1, T));
            link.write(new byte[] {43});
            assertEquals(43, device.awaitBytes(1, T)[0]);
            assertTrue(outer.drainEvents().isEmpty(), "exactly one DOWN and one UP per outage");
        }
    }

    @Test
    void closingThePortUnderneathReopensIt() throws Exception {
        // The recovery ladder's "reopen the link" rung closes the current port, not the reconnecting link.
        InMemoryLink[] pair = InMemoryLink.pair("stick");
        AtomicInteger calls = new AtomicInteger();
        Recorder outer = new Recorder();
        try (ReconnectingLink link = new ReconnectingLink("stick", () -> {
            calls.incrementAndGet();
            return pair[0];
        }, FAST, null, null, null)) {
            link.open(outer);
            outer.expect(LinkState.UP, T);
            link.current().close();
            outer.expect(LinkState.DOWN, T);
            outer.expect(LinkState.UP, T);
            assertEquals(2, calls.get());
            assertTrue(link.isUp());
        }
    }

    @Test
    void writesWhileDownFailInsteadOfQueueing() throws Exception {
        Recorder outer = new Recorder();
        try (ReconnectingLink link = new ReconnectingLink("gone", AbsentLink::new,
                new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30), 1.0, 0.0), null, null, null)) {
            link.open(outer);
            outer.expect(LinkState.DOWN, T);
            assertFalse(link.isUp());
            IOException e = assertThrows(IOException.class, () -> link.write(new byte[] {1}));
            assertTrue(e.getMessage().contains("gone"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> link.open(new Recorder()));
        }
    }

    @Test
    void aDeviceThatReappearsIsTriedAtOnceInsteadOfAfterTheBackoff() throws Exception {
        InMemoryLink[] pair = InMemoryLink.pair("usb");
        AtomicBoolean present = new AtomicBoolean(false);
        Backoff slow = new Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1), 1.0, 0.0);
        Recorder outer = new Recorder();
        try (ReconnectingLink link = new ReconnectingLink("usb", () -> present.get() ? pair[0] : new AbsentLink(),
                slow, null, null, present::get)) {
            link.open(outer);
            outer.expect(LinkState.DOWN, T);
            long t0 = System.nanoTime();
            present.set(true); // udev created /dev/ttyUSB0 again
            outer.expect(LinkState.UP, T);
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
            assertEquals(1, link.failedAttempts());
        }
    }

    @Test
    void closeStopsRetryingAndReportsClosed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Recorder outer = new Recorder();
        ReconnectingLink link = new ReconnectingLink("gone", () -> {
            calls.incrementAndGet();
            return new AbsentLink();
        }, FAST, null, null, null);
        link.open(outer);
        outer.expect(LinkState.DOWN, T);
        link.close();
        outer.expect(LinkState.CLOSED, T);
        int after = calls.get();
        Thread.sleep(200); // several backoff periods
        assertEquals(after, calls.get(), "no attempts after close");
        assertThrows(IOException.class, () -> link.open(new Recorder()));
        link.close(); // idempotent
        assertTrue(outer.drainEvents().isEmpty());
    }

    @Test
    void eventsOfAnOldLinkAreIgnored() throws Exception {
        InMemoryLink[] first = InMemoryLink.pair("a");
        InMemoryLink[] second = InMemoryLink.pair("b");
        AtomicInteger calls = new AtomicInteger();
        Recorder outer = new Recorder();
        try (ReconnectingLink link = new ReconnectingLink("ab", () -> calls.incrementAndGet() == 1 ? first[0] : second[0],
                FAST, null, null, null)) {
            link.open(outer);
            outer.expect(LinkState.UP, T);
            first[0].unplug();
            outer.expect(LinkState.DOWN, T);
            outer.expect(LinkState.UP, T);
            assertTrue(link.current() == second[0]);
            // the old one coming back and going down again must not disturb the new session
            first[0].open(new Recorder());
            first[0].unplug();
            Thread.sleep(100);
            assertTrue(outer.drainEvents().isEmpty());
            assertTrue(link.isUp());
        }
    }
}
