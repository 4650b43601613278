package io.tetheritall.hub.radios.link;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryLinkTest {
    private static final Duration T = Duration.ofSeconds(5);

    @Test
    void bytesArriveInOrderOnTheOtherEndsNamedThread() throws Exception {
        InMemoryLink[] pair = InMemoryLink.pair("mem");
        Recorder host = new Recorder();
        Recorder device = new Recorder();
        pair[0].open(host);
        pair[1].open(device);
        host.expect(LinkState.UP, T);
        device.expect(LinkState.UP, T);

        byte[] expected = new byte[3000];
        for (int i = 0; i < 1000; i++) {
            byte[] chunk = {(byte) i, (byte) (i >> 8), (byte) 0xFE};
            System.arraycopy(chunk, 0, expected, i * 3, 3);
            pair[0].write(chunk);
        }
        assertArrayEquals(expected, device.awaitBytes(3000, T));
        assertTrue(device.readerThread().startsWith("link-mem-device"), device.readerThread());

        pair[1].write(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, host.awaitBytes(3, T));
        pair[0].close();
        pair[1].close();
    }

    @Test
    void unplugTakesBothEndsDownAndWritesFail() throws Exception {
        InMemoryLink[] pair = InMemoryLink.pair("mem");
        Recorder host = new Recorder();
        Recorder device = new Recorder();
        pair[0].open(host);
        pair[1].open(device);
        host.expect(LinkState.UP, T);
        device.expect(LinkState.UP, T);

        pair[0].unplug();

        assertEquals("unplugged", host.expect(LinkState.DOWN, T).reason());
        assertEquals("unplugged", device.expect(LinkState.DOWN, T).reason());
        assertFalse(pair[0].isUp());
        assertFalse(pair[1].isUp());
        assertThrows(IOException.class, () -> pair[0].write(new byte[] {1}));
        assertThrows(IOException.class, () -> pair[1].write(new byte[] {1}));
    }

    @Test
    void reopensAfterUnplugAndOnlyTheNewSessionsBytesArrive() throws Exception {
        InMemoryLink[] pair = InMemoryLink.pair("mem");
        Recorder host = new Recorder();
        Recorder device = new Recorder();
        pair[0].open(host);
        pair[1].open(device);
        pair[0].unplug();
        host.drainEvents();

        Recorder host2 = new Recorder();
        Recorder device2 = new Recorder();
        pair[0].open(host2);
        pair[1].open(device2);
        host2.expect(LinkState.UP, T);
        assertThrows(IllegalStateException.class, () -> pair[0].open(new Recorder()));

        for (int i = 0; i < 200; i++) {
            pair[1].write(new byte[] {(byte) i});
        }
        byte[] got = host2.awaitBytes(200, T);
        for (int i = 0; i < 200; i++) {
            assertEquals((byte) i, got[i]);
        }
        assertEquals(0, host.size(), "the listener of the first session must not see the second session's bytes");

        pair[0].close();
        assertEquals(LinkState.CLOSED, host2.expect(LinkState.CLOSED, T).state());
    }
}
