package io.tetheritall.hub.radios.link;

import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.tinylog.Logger;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The life cycle {@link SerialLink} and {@link TcpLink} share: one connection at a time, one named reader
 * thread per connection, UP when opened, DOWN once per connection (whoever notices first, the reader or a
 * writer, reports it and frees the connection), CLOSED once, on {@link #close()}; the same instance can be
 * opened again after DOWN. The subclass opens and frees its connection and runs the read loop.
 *
 * @param <C> an open connection (a jssc port; a socket with its streams)
 */
abstract class ReaderThreadLink<C> implements ByteLink {
    private final String name;
    private final NamedThreadFactory threads;

    private volatile C connection;
    private volatile Listener listener;
    private volatile Thread reader;
    private volatile boolean closed;

    ReaderThreadLink(String name, String threadPrefix) {
        this.name = name;
        this.threads = new NamedThreadFactory(threadPrefix);
    }

    @Override
    public final String name() {
        return name;
    }

    /** The open connection, or null while down or closed. */
    final C connection() {
        return connection;
    }

    @Override
    public final synchronized void open(Listener l) throws IOException {
        if (closed) {
            throw new IOException(name + " is closed");
        }
        if (connection != null) {
            throw new IllegalStateException(name + " is already open");
        }
        beforeConnect(reader);
        C c = connect();
        this.listener = l;
        this.connection = c;
        String up = opened(c);
        Thread t = threads.newThread(() -> readLoop(c, l));
        reader = t;
        l.onState(LinkState.UP, up);
        t.start();
    }

    /** Before a connection is made; {@code previousReader} is the last connection's reader, or null. */
    void beforeConnect(Thread previousReader) {
    }

    /** Makes a connection; the exception's message names the link and what failed. */
    abstract C connect() throws IOException;

    /** The connection is current (before its reader starts): logs it and returns the UP reason. */
    abstract String opened(C c);

    /** Delivers bytes from {@code c} to {@code l} until it fails, then calls {@link #goDown}. */
    abstract void readLoop(C c, Listener l);

    /** Frees {@code c}; never throws. */
    abstract void disconnect(C c);

    /**
     * Stops at {@link #close()}: frees {@code c} ({@link #release}) and waits for {@code reader}
     * ({@link #joinReader}), in the order the reader's way of blocking needs. Either may be null.
     */
    abstract void shutDown(C c, Thread reader);

    /** Hands bytes to the listener; a listener that throws is logged and the reader goes on. */
    final void deliver(Listener l, byte[] buf, int n) {
        try {
            l.onBytes(buf, 0, n);
        } catch (RuntimeException e) {
            // A bug upstairs must not kill the reader: the next bytes would be lost for good.
            Logger.error(e, "{} listener threw on {} bytes; continuing", name, n);
        }
    }

    /** Unparks the reader, if any (a link that polls: a reply is expected now). */
    final void wakeReader() {
        LockSupport.unpark(reader);
    }

    @Override
    public final boolean isUp() {
        return connection != null;
    }

    /** Reports DOWN once for {@code c} and frees it; a no-op if {@code c} is no longer current. */
    final void goDown(C c, String reason) {
        Listener l;
        synchronized (this) {
            if (connection != c) {
                return; // closed on purpose, or already reported
            }
            connection = null;
            l = listener;
        }
        disconnect(c);
        Logger.warn("{} DOWN: {}", name, reason);
        if (l != null) {
            l.onState(LinkState.DOWN, reason);
        }
    }

    @Override
    public final void close() {
        C c;
        Listener l;
        Thread r;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = connection;
            connection = null;
            l = listener;
            r = reader;
        }
        shutDown(c, r);
        if (l != null) {
            l.onState(LinkState.CLOSED, "closed");
        }
    }

    /** Frees {@code c} at close, if there was one. */
    final void release(C c) {
        if (c != null) {
            disconnect(c);
            Logger.info("{} closed", name);
        }
    }

    /** Wakes {@code r} if parked and waits up to 2 s for it to leave; never from the reader itself. */
    static void joinReader(Thread r) {
        if (r != null && r != Thread.currentThread()) {
            LockSupport.unpark(r);
            try {
                r.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
