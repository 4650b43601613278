package io.tetheritall.hub.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Unix datagram sockets through libc, via JNA (already on the class path for Chronicle and pi4j).
 * Java's own {@code UnixDomainSocketAddress} (JDK 16+) covers stream sockets only, and systemd's
 * {@code NOTIFY_SOCKET} is a datagram socket. Sending from our own process, rather than through the
 * {@code systemd-notify} tool, also means systemd attributes the message to the main PID
 * ({@code NotifyAccess=main} would suffice) and there is no race with a short-lived child.
 *
 * <p>Linux only (constants below are Linux's: AF_UNIX 1, SOCK_DGRAM 2 on x86, ARM and RISC-V).
 */
final class UnixDatagram {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    /** {@code sizeof(sockaddr_un.sun_path)} on Linux. */
    static final int SUN_PATH = 108;

    /** The few libc calls needed; each throws {@link LastErrorException} with errno on -1. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int addrLen) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen)
                throws LastErrorException;

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static volatile LibC libc;

    private UnixDatagram() {
    }

    /** Loads libc on first use; throws {@link UnsatisfiedLinkError} or {@link LinkageError} if JNA cannot. */
    static LibC libc() {
        LibC l = libc;
        if (l == null) {
            l = Native.load("c", LibC.class);
            libc = l;
        }
        return l;
    }

    /**
     * A {@code struct sockaddr_un} for {@code path}; a leading {@code @} means the Linux abstract
     * namespace (systemd uses it for some notify sockets), written as a leading NUL byte.
     *
     * @return the address bytes; their length is the {@code addrlen} to pass
     */
    static byte[] sockaddr(String path) throws IOException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.startsWith("@");
        int pathLen = abstractName ? p.length : p.length + 1; // regular paths are NUL-terminated
        if (p.length == 0 || pathLen > SUN_PATH) {
            throw new IOException("unix socket path too long or empty: " + path);
        }
        ByteBuffer b = ByteBuffer.allocate(2 + pathLen).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (abstractName) {
            b.put((byte) 0).put(p, 1, p.length - 1);
        } else {
            b.put(p).put((byte) 0);
        }
        return b.array();
    }

    /** Sends one datagram to {@code path} from a fresh socket. */
    static void send(String path, byte[] message) throws IOException {
        byte[] addr = sockaddr(path);
        LibC c;
        try {
            c = libc();
        } catch (LinkageError e) {
            throw new IOException("libc not reachable through JNA: " + e, e);
        }
        int fd;
        try {
            fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + e.getErrorCode(), e);
        }
        try {
            long sent = c.sendto(fd, message, new NativeLong(message.length), MSG_NOSIGNAL, addr, addr.length)
                    .longValue();
            if (sent != message.length) {
                throw new IOException("short datagram to " + path + ": " + sent + " of " + message.length);
            }
        } catch (LastErrorException e) {
            throw new IOException("sendto " + path + ": errno " + e.getErrorCode(), e);
        } finally {
            try {
                c.close(fd);
            } catch (LastErrorException ignored) {
                // Nothing useful to do: the datagram was sent or the error was already thrown.
            }
        }
    }
}
