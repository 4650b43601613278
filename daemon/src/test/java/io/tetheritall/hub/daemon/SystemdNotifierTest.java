package io.tetheritall.hub.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLong;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SystemdNotifierTest {

    /** A bound unix datagram socket standing in for systemd's notify socket. */
    static final class Receiver implements AutoCloseable {
        final int fd;
        final String path;

        Receiver(String path) throws IOException {
            this.path = path;
            UnixDatagram.LibC c = UnixDatagram.libc();
            fd = c.socket(UnixDatagram.AF_UNIX, UnixDatagram.SOCK_DGRAM, 0);
            byte[] addr = UnixDatagram.sockaddr(path);
            c.bind(fd, addr, addr.length);
        }

        /** Waits up to 5 s for one datagram (non-blocking polls: the test must not hang). */
        String receive() throws InterruptedException {
            return receive(Duration.ofSeconds(5));
        }

        String receive(Duration timeout) throws InterruptedException {
            byte[] buf = new byte[4096];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    long n = UnixDatagram.libc().recv(fd, buf, new NativeLong(buf.length), UnixDatagram.MSG_DONTWAIT)
                            .longValue();
                    return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
                } catch (com.sun.jna.LastErrorException e) {
                    Thread.sleep(10); // EAGAIN: nothing yet
                }
            }
            throw new AssertionError("no datagram on " + path);
        }

        @Override
        public void close() {
            UnixDatagram.libc().close(fd);
        }
    }

    private static Path socketPath() throws IOException {
        // sun_path is 108 bytes: keep it short (the build directory may be deep).
        Path d = Files.createTempDirectory(Path.of("/tmp"), "hubnotify");
        d.toFile().deleteOnExit();
        Path p = d.resolve("n.sock");
        p.toFile().deleteOnExit();
        return p;
    }

    @Test
    void disabledWithoutNotifySocket() {
        List<String> sent = new CopyOnWriteArrayList<>();
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of(), 1, (s, m) -> sent.add(m));
        assertFalse(n.enabled());
        n.ready("x");
        n.watchdog();
        assertTrue(sent.isEmpty());
        assertTrue(n.watchdogInterval().isEmpty());
    }

    @Test
    void watchdogIntervalHonoursWatchdogPid() {
        assertEquals(Duration.ofSeconds(60),
                SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000"), 42));
        assertEquals(Duration.ofSeconds(60),
                SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "42"), 42));
        assertEquals(null, SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "7"), 42));
        assertEquals(null, SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 42));
        assertEquals(null, SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), 42));
    }

    @Test
    void messagesAreSdNotifyAssignments() {
        List<String> sent = new CopyOnWriteArrayList<>();
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/x"), 1,
                (s, m) -> sent.add(s + "|" + m));
        n.ready("running:\n3 components");
        n.watchdog();
        n.stopping();
        assertEquals(List.of("/run/x|READY=1\nSTATUS=running: 3 components", "/run/x|WATCHDOG=1",
                "/run/x|STOPPING=1\nSTATUS=stopping"), sent);
    }

    @Test
    void aFailingTransportNeverThrows() {
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/x"), 1, (s, m) -> {
            throw new IOException("ECONNREFUSED");
        });
        n.ready("x");
        n.watchdog();
    }

    @Test
    void sockaddrEncodingForPathsAndAbstractNames() throws IOException {
        byte[] a = UnixDatagram.sockaddr("/run/n");
        ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.nativeOrder());
        assertEquals(UnixDatagram.AF_UNIX, b.getShort());
        assertEquals(2 + 6 + 1, a.length, "path plus terminating NUL");
        assertEquals(0, a[a.length - 1]);
        byte[] abs = UnixDatagram.sockaddr("@/org/freedesktop/systemd1/notify");
        assertEquals(0, abs[2], "abstract names start with NUL");
        assertEquals(2 + "@/org/freedesktop/systemd1/notify".length(), abs.length, "no trailing NUL");
        assertArrayEquals("/org".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(abs, 3, 7));
    }

    @Test
    void sendsRealDatagramsThroughJna() throws Exception {
        Path p = socketPath();
        try (Receiver r = new Receiver(p.toString())) {
            SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", p.toString(),
                    "WATCHDOG_USEC", "200000"), ProcessHandle.current().pid(), SystemdNotifier::sendWithFallback);
            n.ready("up");
            assertEquals("READY=1\nSTATUS=up", r.receive());

            // The watchdog pings at half the interval (100 ms here) while alive.
            try (SystemdWatchdog w = SystemdWatchdog.start(n, () -> true)) {
                assertEquals("WATCHDOG=1", r.receive());
                assertEquals("WATCHDOG=1", r.receive());
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void abstractNamespaceSocketsWork() throws Exception {
        String name = "@tetheritall-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (Receiver r = new Receiver(name)) {
            UnixDatagram.send(name, "STATUS=hello".getBytes(StandardCharsets.UTF_8));
            assertEquals("STATUS=hello", r.receive());
        }
    }

    @Test
    void systemdNotifyFallbackReachesTheSocket() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify"))
                || Files.isExecutable(Path.of("/bin/systemd-notify")), "systemd-notify not installed");
        Path p = socketPath();
        try (Receiver r = new Receiver(p.toString())) {
            SystemdNotifier.runSystemdNotify(p.toString(), "STATUS=fallback\nREADY=1");
            String got = r.receive();
            assertTrue(got.contains("READY=1") && got.contains("STATUS=fallback"), got);
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
