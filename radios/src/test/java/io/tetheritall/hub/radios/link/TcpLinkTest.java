package io.tetheritall.hub.radios.link;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TcpLink against a plain ServerSocket on 127.0.0.1 standing in for ser2net. */
class TcpLinkTest {
    private static final Duration T = Duration.ofSeconds(5);

    private ServerSocket server;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private Thread acceptor;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException e) {
                // server closed
            }
        }, "test-ser2net-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    private Socket nextPeer() throws InterruptedException {
        Socket s = accepted.poll(5, TimeUnit.SECONDS);
        assertNotNull(s, "no connection accepted");
        return s;
    }

    private static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) {
                throw new IOException("EOF after " + got);
            }
            got += r;
        }
        return b;
    }

    @Test
    void connectsAndCarriesBytesBothWays() throws Exception {
        try (TcpLink link = new TcpLink("127.0.0.1", server.getLocalPort())) {
            Recorder r = new Recorder();
            link.open(r);
            assertEquals("connected", r.expect(LinkState.UP, T).reason());
            assertEquals("tcp://127.0.0.1:" + server.getLocalPort(), link.name());
            Socket peer = nextPeer();
            peer.setSoTimeout(5000);

            link.write(new byte[] {(byte) 0xFE, 0x00, 0x21, 0x01, 0x20});
            assertArrayEquals(new byte[] {(byte) 0xFE, 0x00, 0x21, 0x01, 0x20}, readN(peer.getInputStream(), 5));
            byte[] big = new byte[10_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            peer.getOutputStream().write(big);
            assertArrayEquals(big, r.awaitBytes(big.length, T));
            assertTrue(r.readerThread().startsWith("link-tcp-127.0.0.1-"), r.readerThread());
        }
    }

    @Test
    void serverCloseGoesDownAndTheSameLinkReconnects() throws Exception {
        try (TcpLink link = new TcpLink("127.0.0.1", server.getLocalPort())) {
            Recorder r = new Recorder();
            link.open(r);
            r.expect(LinkState.UP, T);
            nextPeer().close(); // ser2net restarted, or the network coordinator rebooted

            assertEquals("peer closed the connection", r.expect(LinkState.DOWN, T).reason());
            assertFalse(link.isUp());
            assertThrows(IOException.class, () -> link.write(new byte[] {1}));

            Recorder r2 = new Recorder();
            link.open(r2);
            r2.expect(LinkState.UP, T);
            Socket peer = nextPeer();
            peer.setSoTimeout(5000);
            link.write(new byte[] {9, 8, 7});
            assertArrayEquals(new byte[] {9, 8, 7}, readN(peer.getInputStream(), 3));
            ByteLink same = link; // close() inside the try on purpose: it must close the socket now
            same.close();
            r2.expect(LinkState.CLOSED, T);
            assertEquals(-1, peer.getInputStream().read(), "close() closes the socket");
        }
    }

    @Test
    void reconnectingLinkRidesOutAServerRestart() throws Exception {
        Backoff fast = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2.0, 0.2);
        try (ReconnectingLink link = Links.reconnecting("tcp://127.0.0.1:" + server.getLocalPort(), 115200, false, fast, null)) {
            Recorder r = new Recorder();
            link.open(r);
            r.expect(LinkState.UP, T);
            nextPeer().close();
            r.expect(LinkState.DOWN, T);
            r.expect(LinkState.UP, T);
            Socket peer = nextPeer();
            peer.getOutputStream().write(new byte[] {5, 6});
            assertArrayEquals(new byte[] {5, 6}, r.awaitBytes(2, T));
            assertEquals(1, link.reconnects());
        }
    }

    @Test
    void aRefusedConnectionFailsOpenWithTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TcpLink link = new TcpLink("127.0.0.1", port, Duration.ofSeconds(2));
        IOException e = assertThrows(IOException.class, () -> link.open(new Recorder()));
        assertTrue(e.getMessage().contains("tcp://127.0.0.1:" + port), e.getMessage());
        assertFalse(link.isUp());
        assertThrows(IllegalArgumentException.class, () -> new TcpLink("127.0.0.1", 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpLink(" ", 80));
        assertThrows(IllegalArgumentException.class, () -> new TcpLink("127.0.0.1", 80, Duration.ZERO));
    }
}
