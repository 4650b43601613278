package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.znp.unpi.UnpiCodec;
import io.tetheritall.hub.radios.znp.unpi.UnpiDecoder;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A tiny host for simulator tests: the host end of an {@link InMemoryLink}, the UNPI codec, and a
 * queue of what the stick sent. Frames the test is not waiting for stay queued for later checks.
 * Waits are bounded blocking waits on the queue (bytes cross a real thread), never sleeps.
 */
final class ZnpTestHost implements AutoCloseable {
    static final long WAIT_MS = 3000;

    final InMemoryLink link;
    final BlockingQueue<UnpiFrame> in = new LinkedBlockingQueue<>();
    final List<UnpiFrame> seen = new ArrayList<>();
    final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    final UnpiDecoder decoder = new UnpiDecoder(in::add);
    final BlockingQueue<LinkState> states = new LinkedBlockingQueue<>();

    ZnpTestHost(InMemoryLink hostEnd) throws IOException {
        this.link = hostEnd;
        link.open(new ByteLink.Listener() {
            @Override
            public void onBytes(byte[] buf, int off, int len) {
                synchronized (raw) {
                    raw.write(buf, off, len);
                }
                decoder.feed(buf, off, len);
            }

            @Override
            public void onState(LinkState state, String reason) {
                states.add(state);
            }
        });
    }

    void sendRaw(byte[] b) throws IOException {
        link.write(b);
    }

    void send(UnpiFrame f) throws IOException {
        link.write(UnpiCodec.encode(f));
    }

    /** Sends an SREQ and returns its SRSP (or an RPC error SRSP), keeping other frames queued. */
    UnpiFrame sreq(int cmd0, int cmd1, byte... data) throws Exception {
        send(UnpiFrame.of(cmd0, cmd1, data));
        int sub = cmd0 & 0x1F;
        return await(f -> f.type() == UnpiFrame.SRSP && ((f.subsystem() == sub && f.command() == cmd1)
                || (f.subsystem() == 0 && f.command() == 0)));
    }

    UnpiFrame sreq(int cmd0, int cmd1, SimBytes.W w) throws Exception {
        return sreq(cmd0, cmd1, w.done());
    }

    /** Waits for a frame matching {@code p} among queued and arriving frames; fails after WAIT_MS. */
    UnpiFrame await(Predicate<UnpiFrame> p) throws InterruptedException {
        UnpiFrame f = poll(p, WAIT_MS);
        if (f == null) {
            throw new AssertionError("no matching frame within " + WAIT_MS + " ms; seen " + seen);
        }
        return f;
    }

    UnpiFrame awaitAreq(int cmd0, int cmd1) throws InterruptedException {
        return await(f -> f.cmd0() == cmd0 && f.command() == cmd1);
    }

    /** Like {@link #await} but returns null after {@code ms}. */
    synchronized UnpiFrame poll(Predicate<UnpiFrame> p, long ms) throws InterruptedException {
        for (int i = 0; i < seen.size(); i++) {
            if (p.test(seen.get(i))) {
                return seen.remove(i);
            }
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            long left = end - System.nanoTime();
            UnpiFrame f = in.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (f == null) {
                return null;
            }
            if (p.test(f)) {
                return f;
            }
            seen.add(f);
        }
    }

    /** Drains everything that arrives within {@code ms} into the seen list and returns all of it matching {@code p}. */
    synchronized List<UnpiFrame> collect(Predicate<UnpiFrame> p, long ms) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            long left = end - System.nanoTime();
            UnpiFrame f = in.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (f == null) {
                break;
            }
            seen.add(f);
        }
        List<UnpiFrame> out = new ArrayList<>();
        seen.removeIf(f -> {
            if (p.test(f)) {
                out.add(f);
                return true;
            }
            return false;
        });
        return out;
    }

    /** Waits until {@code n} frames matching {@code p} have arrived (plus those already seen). */
    List<UnpiFrame> awaitCount(Predicate<UnpiFrame> p, int n) throws InterruptedException {
        List<UnpiFrame> out = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (out.size() < n) {
            UnpiFrame f = poll(p, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (f == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " frames; seen " + seen);
            }
            out.add(f);
        }
        return out;
    }

    byte[] rawBytes() {
        synchronized (raw) {
            return raw.toByteArray();
        }
    }

    static Duration ms(long m) {
        return Duration.ofMillis(m);
    }

    @Override
    public void close() {
        link.close();
    }
}
