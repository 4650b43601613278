package io.tetheritall.hub.radios.link;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** A listener that records bytes, read sizes, thread names and state changes, with bounded waits. */
final class Recorder implements ByteLink.Listener {
    record Event(LinkState state, String reason) {
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Integer> reads = new ArrayList<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile String readerThread;

    @Override
    public synchronized void onBytes(byte[] buf, int off, int len) {
        bytes.write(buf, off, len);
        reads.add(len);
        readerThread = Thread.currentThread().getName();
        notifyAll();
    }

    @Override
    public void onState(LinkState state, String reason) {
        events.add(new Event(state, reason));
    }

    synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    synchronized int size() {
        return bytes.size();
    }

    synchronized List<Integer> reads() {
        return List.copyOf(reads);
    }

    synchronized void clear() {
        bytes.reset();
        reads.clear();
    }

    String readerThread() {
        return readerThread;
    }

    /** Waits until at least {@code n} bytes arrived; returns them all. */
    synchronized byte[] awaitBytes(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bytes.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected " + n + " bytes within " + timeout + ", got " + bytes.size());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return bytes.toByteArray();
    }

    /** The next state event, failing after {@code timeout}. */
    Event awaitEvent(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            fail("no link state event within " + timeout);
        }
        return e;
    }

    /** The next event, which must be {@code state}. */
    Event expect(LinkState state, Duration timeout) throws InterruptedException {
        Event e = awaitEvent(timeout);
        if (e.state() != state) {
            fail("expected " + state + " but got " + e);
        }
        return e;
    }

    /** Events so far, without waiting. */
    List<Event> drainEvents() {
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }
}
