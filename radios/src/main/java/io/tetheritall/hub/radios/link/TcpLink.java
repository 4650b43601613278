package io.tetheritall.hub.radios.link;

import org.tinylog.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;

/**
 * A radio behind a TCP socket: ser2net in raw mode, or a network coordinator (e.g. a CC2652P
 * Ethernet/Wi-Fi stick) that exposes its UART as {@code tcp://host:port}.
 *
 * <p>TCP_NODELAY is on: MT frames are small and request/response shaped, and Nagle would hold a
 * 5-byte SREQ for up to one RTT. Keep-alive is on so a silently dead peer is eventually noticed.
 * The connect has a timeout (default {@value #DEFAULT_CONNECT_TIMEOUT_MS} ms).
 *
 * <p>One named reader thread per open link reads into a reused 4 KiB buffer. End of stream (the
 * peer closed) or a read error reports {@link LinkState#DOWN} with the reason and closes the
 * socket; the same instance can be opened again. A write error does the same and throws.
 */
public final class TcpLink extends ReaderThreadLink<TcpLink.Connection> {
    /** Connect timeout used by {@link #TcpLink(String, int)}. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_BUFFER = 4096;

    private final String host;
    private final int port;
    private final Duration connectTimeout;

    private final Object writeLock = new Object();

    /** A connected socket and its streams. */
    record Connection(Socket socket, InputStream in, OutputStream out) {
    }

    /** A link to {@code host:port} with the default connect timeout. */
    public TcpLink(String host, int port) {
        this(host, port, Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS));
    }

    /**
     * A link to {@code host:port}; nothing is connected until {@link #open(Listener)}.
     *
     * @throws IllegalArgumentException if the host is blank, the port outside 1..65535 or the
     *                                  timeout not positive
     */
    public TcpLink(String host, int port, Duration connectTimeout) {
        super(checkedName(host, port, connectTimeout), "link-tcp-" + host + "-" + port);
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
    }

    private static String checkedName(String host, int port, Duration connectTimeout) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, but was '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, but was " + port);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connect timeout must be positive, but was " + connectTimeout);
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "tcp://" + h + ":" + port;
    }

    /** The host as configured (IPv6 literals without brackets). */
    public String host() {
        return host;
    }

    /** The TCP port. */
    public int port() {
        return port;
    }

    @Override
    Connection connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
        } catch (IOException e) {
            closeQuietly(s);
            throw new IOException(name() + ": cannot connect: " + e.getMessage(), e);
        }
        return new Connection(s, s.getInputStream(), s.getOutputStream());
    }

    @Override
    String opened(Connection c) {
        Logger.info("{} connected", name());
        return "connected";
    }

    @Override
    void readLoop(Connection c, Listener l) {
        InputStream in = c.in();
        byte[] buf = new byte[READ_BUFFER];
        String reason;
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    reason = "peer closed the connection";
                    break;
                }
                if (n > 0) {
                    deliver(l, buf, n);
                }
            }
        } catch (SocketException e) {
            reason = "read failed: " + e.getMessage();
        } catch (IOException e) {
            reason = "read failed: " + e;
        }
        goDown(c, reason);
    }

    @Override
    public void write(byte[] data) throws IOException {
        Connection c = connection();
        if (c == null) {
            throw new IOException(name() + " is down");
        }
        try {
            synchronized (writeLock) {
                c.out().write(data);
                c.out().flush();
            }
        } catch (IOException e) {
            goDown(c, "write failed: " + e.getMessage());
            throw new IOException(name() + ": write failed: " + e.getMessage(), e);
        }
    }

    @Override
    void shutDown(Connection c, Thread r) {
        release(c); // unblocks the reader's read() with a SocketException; goDown then ignores it
        joinReader(r);
    }

    @Override
    void disconnect(Connection c) {
        closeQuietly(c.socket());
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing more to free
        }
    }

    @Override
    public String toString() {
        return "TcpLink[" + name() + (isUp() ? ", up" : ", down") + "]";
    }
}
