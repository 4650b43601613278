package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.time.TaskScheduler;
import io.tetheritall.hub.radios.znp.unpi.UnpiCodec;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.tinylog.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The stick's UART towards the host: frames out (SRSP, AREQ), paced at the line rate, held back while a
 * request is being handled, and the output faults (hung firmware, corrupted FCS, unplugged link).
 * Guarded by the simulator's lock.
 */
final class SimWire {
    private final ByteLink link;
    private final ZnpSimulatorConfig cfg;
    private final TaskScheduler sched;
    private final SimCounters counters;
    private final Object lock;

    // faults
    volatile boolean hung;
    boolean corruptNextFcs;
    volatile boolean unplugged;
    boolean opened;

    // UART pacing
    private final ArrayDeque<byte[]> outQ = new ArrayDeque<>();
    private long lineFreeAt;
    private boolean pumpScheduled;
    private boolean deferring;
    private final List<UnpiFrame> deferred = new ArrayList<>();

    SimWire(ByteLink link, ZnpSimulatorConfig cfg, TaskScheduler sched, SimCounters counters, Object lock) {
        this.link = link;
        this.cfg = cfg;
        this.sched = sched;
        this.counters = counters;
        this.lock = lock;
    }

    /**
     * Runs {@code handling} (the handling of one SREQ) with output held back. Frames produced while handling
     * a request are released only when it is fully handled, so a host that reacts to the SRSP (e.g. by
     * advancing virtual time) always finds the request's delayed events already scheduled.
     */
    void holdWhile(Runnable handling) {
        synchronized (lock) {
            deferring = true;
            try {
                handling.run();
            } finally {
                deferring = false;
                List<UnpiFrame> out = new ArrayList<>(deferred);
                deferred.clear();
                out.forEach(this::emit);
            }
        }
    }

    void srsp(UnpiFrame req, byte... data) {
        emit(new UnpiFrame(UnpiFrame.SRSP, req.subsystem(), req.command(), data));
    }

    void srsp(UnpiFrame req, SimBytes.W w) {
        srsp(req, w.done());
    }

    void areq(int subsystem, int cmd, byte[] data) {
        emit(new UnpiFrame(UnpiFrame.AREQ, subsystem, cmd, data));
    }

    void emit(UnpiFrame f) {
        synchronized (lock) {
            if (deferring) {
                deferred.add(f);
                return;
            }
            if (hung) {
                counters.droppedWhileHung.incrementAndGet();
                return;
            }
            byte[] b = UnpiCodec.encode(f);
            if (corruptNextFcs) {
                corruptNextFcs = false;
                b[b.length - 1] ^= 0x5A;
                counters.badFcsSent.incrementAndGet();
            }
            counters.framesOut.incrementAndGet();
            sendRaw(b);
        }
    }

    /**
     * Paces output at the UART rate (10 bits per byte). Bytes go to the link at once while the
     * line's backlog is under one maximum-size frame (the UART driver's buffer); beyond that they
     * wait, so the long-run rate never exceeds baud/10 bytes per second and a burst of confirms or
     * reports queues up as it would on the wire.
     */
    void sendRaw(byte[] b) {
        synchronized (lock) {
            outQ.add(b);
            pump();
        }
    }

    private void pump() {
        long byteNanos = cfg.baud() == 0 ? 0 : 10_000_000_000L / cfg.baud();
        long allowance = byteNanos * 256;
        while (!outQ.isEmpty()) {
            long now = sched.nanos();
            long backlog = lineFreeAt - now;
            if (byteNanos == 0 || backlog <= allowance) {
                byte[] b = outQ.poll();
                lineFreeAt = Math.max(now, lineFreeAt) + b.length * byteNanos;
                write(b);
            } else {
                if (!pumpScheduled) {
                    pumpScheduled = true;
                    sched.schedule(Duration.ofNanos(backlog - allowance), () -> {
                        synchronized (lock) {
                            pumpScheduled = false;
                            pump();
                        }
                    });
                }
                return;
            }
        }
    }

    private void write(byte[] b) {
        if (unplugged || !opened) {
            counters.writeFailures.incrementAndGet();
            return;
        }
        try {
            link.write(b);
            counters.bytesOut.addAndGet(b.length);
        } catch (IOException e) {
            counters.writeFailures.incrementAndGet();
            Logger.debug("ZNP simulator write failed: {}", e.toString());
        }
    }
}
