package io.tetheritall.hub.radios.link;

import io.tetheritall.hub.radios.time.NamedThreadFactory;
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
public final class TcpLink implements ByteLink {
    /** Connect timeout used by {@link #TcpLink(String, int)}. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_BUFFER = 4096;

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final String name;
    private final NamedThreadFactory threads;

    private final Object writeLock = new Object();
    private volatile Socket socket;
    private volatile OutputStream out;
    private volatile Listener listener;
    private volatile Thread reader;
    private volatile boolean closed;

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
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        this.name = "tcp://" + h + ":" + port;
        this.threads = new NamedThreadFactory("link-tcp-" + host + "-" + port);
    }

    @Override
    public String name() {
        return name;
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
    public synchronized void open(Listener l) throws IOException {
        if (closed) {
            throw new IOException(name + " is closed");
        }
        if (socket != null) {
            throw new IllegalStateException(name + " is already open");
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
        } catch (IOException e) {
            closeQuietly(s);
            throw new IOException(name + ": cannot connect: " + e.getMessage(), e);
        }
        InputStream in = s.getInputStream();
        this.out = s.getOutputStream();
        this.listener = l;
        this.socket = s;
        Thread t = threads.newThread(() -> readLoop(s, in, l));
        reader = t;
        Logger.info("{} connected", name);
        l.onState(LinkState.UP, "connected");
        t.start();
    }

    private void readLoop(Socket s, InputStream in, Listener l) {
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
        goDown(s, reason);
    }

    private void deliver(Listener l, byte[] buf, int n) {
        try {
            l.onBytes(buf, 0, n);
        } catch (RuntimeException e) {
            Logger.error(e, "{} listener threw on {} bytes; continuing", name, n);
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        Socket s = socket;
        OutputStream o = out;
        if (s == null || o == null) {
            throw new IOException(name + " is down");
        }
        try {
            synchronized (writeLock) {
                o.write(data);
                o.flush();
            }
        } catch (IOException e) {
            goDown(s, "write failed: " + e.getMessage());
            throw new IOException(name + ": write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isUp() {
        return socket != null;
    }

    private void goDown(Socket s, String reason) {
        Listener l;
        synchronized (this) {
            if (socket != s) {
                return; // closed on purpose, or already reported
            }
            socket = null;
            out = null;
            l = listener;
        }
        closeQuietly(s);
        Logger.warn("{} DOWN: {}", name, reason);
        if (l != null) {
            l.onState(LinkState.DOWN, reason);
        }
    }

    @Override
    public void close() {
        Socket s;
        Listener l;
        Thread r;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = socket;
            socket = null;
            out = null;
            l = listener;
            r = reader;
        }
        if (s != null) {
            closeQuietly(s); // unblocks the reader's read() with a SocketException; goDown then ignores it
            Logger.info("{} closed", name);
        }
        if (r != null && r != Thread.currentThread()) {
            try {
                r.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (l != null) {
            l.onState(LinkState.CLOSED, "closed");
        }
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
        return "TcpLink[" + name + (isUp() ? ", up" : ", down") + "]";
    }
}
