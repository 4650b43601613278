package io.tetheritall.hub.radios.link;

import io.tetheritall.hub.radios.time.NamedThreadFactory;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One end of an in-memory byte pipe, for unit tests and in-process simulators. Create both ends
 * with {@link #pair(String)}. Bytes written on one end arrive, in order, on the other end's
 * listener, on that end's own reader thread (as with a real port). {@link #unplug()} makes both
 * ends go DOWN, as a pulled USB dongle would.
 */
public final class InMemoryLink implements ByteLink {
    private static final byte[] POISON = new byte[0];

    private final String name;
    /** A fresh queue per open, so a reader left over from the previous open can never steal bytes. */
    private volatile BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private InMemoryLink peer;
    private volatile Listener listener;
    private volatile boolean up;
    private volatile boolean closed;
    private Thread reader;

    private InMemoryLink(String name) {
        this.name = name;
    }

    /** Two connected ends: {@code [0]} is the host side, {@code [1]} the device side. */
    public static InMemoryLink[] pair(String name) {
        InMemoryLink a = new InMemoryLink(name + "/host");
        InMemoryLink b = new InMemoryLink(name + "/device");
        a.peer = b;
        b.peer = a;
        return new InMemoryLink[] {a, b};
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void open(Listener l) throws IOException {
        if (up) {
            throw new IllegalStateException(name + " is already open");
        }
        if (closed) {
            throw new IOException(name + " is closed");
        }
        BlockingQueue<byte[]> q = new LinkedBlockingQueue<>();
        this.listener = l;
        this.inbox = q;
        this.up = true;
        // UP before the first byte, as the other links do: the reader starts after the callback.
        l.onState(LinkState.UP, "opened");
        reader = new NamedThreadFactory("link-" + name.replace('/', '-')).newThread(() -> readLoop(q));
        reader.start();
    }

    private void readLoop(BlockingQueue<byte[]> q) {
        try {
            while (true) {
                byte[] chunk = q.poll(100, TimeUnit.MILLISECONDS);
                if (!up || q != inbox) {
                    return;
                }
                if (chunk == null) {
                    continue;
                }
                if (chunk == POISON) {
                    return;
                }
                listener.onBytes(chunk, 0, chunk.length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        if (!up) {
            throw new IOException(name + " is down");
        }
        InMemoryLink p = peer;
        if (p.up) {
            p.inbox.add(data.clone());
        }
        // Bytes to a peer that is not open are lost, as on a wire with nobody listening.
    }

    @Override
    public boolean isUp() {
        return up;
    }

    /** Simulates pulling the cable: both ends go DOWN and must be opened again. */
    public void unplug() {
        goDown(LinkState.DOWN, "unplugged");
        peer.goDown(LinkState.DOWN, "unplugged");
    }

    private void goDown(LinkState state, String reason) {
        Listener l;
        synchronized (this) {
            if (!up) {
                return;
            }
            up = false;
            inbox.add(POISON);
            l = listener;
        }
        if (l != null) {
            l.onState(state, reason);
        }
    }

    @Override
    public void close() {
        closed = false; // an in-memory end may be reopened after close, like a port
        goDown(LinkState.CLOSED, "closed");
    }
}
