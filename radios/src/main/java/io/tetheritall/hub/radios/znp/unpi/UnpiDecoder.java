package io.tetheritall.hub.radios.znp.unpi;

import org.tinylog.Logger;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Incremental UNPI decoder: feed it whatever the link delivers (split, merged, with garbage in
 * between) and it hands complete, checked frames to its sink.
 *
 * <p>It hunts for SOF, reads LEN, and rejects LEN above 250 (a real stick never sends more; a
 * bigger value means we synced on a data byte that happened to be 0xFE). A frame whose FCS does
 * not match is dropped and counted, and the hunt restarts on the byte after the false SOF, so one
 * corrupted frame costs at most itself. Bytes outside frames (including the 0xEF bootloader-skip
 * bytes a host sends, and boot banners) are skipped and counted.
 *
 * <p>A false SOF whose LEN claims more bytes than ever arrive would hold back a real frame behind
 * it until enough further bytes come; on a quiet line that may be never. The owner therefore calls
 * {@link #dropPartialFrame()} when the line has been quiet for a while and {@link #pending()} is not
 * zero (at 115200 baud a 255-byte frame takes 22 ms, so 50 ms of silence means the frame is not
 * coming). The decoder itself knows no time.
 *
 * <p>A sink that throws is logged and counted; decoding goes on with the next frame, and the
 * frame is not delivered twice.
 *
 * <p>Not thread-safe: one decoder per link, fed from the link's reader thread. The counters may be
 * read from any thread.
 */
public final class UnpiDecoder {
    private static final int MAX_FRAME = UnpiFrame.MAX_DATA + 5;

    private final Consumer<UnpiFrame> sink;
    private final byte[] buf = new byte[MAX_FRAME * 2];
    private int fill;

    private final LongAdder frames = new LongAdder();
    private final LongAdder badFcs = new LongAdder();
    private final LongAdder badLength = new LongAdder();
    private final LongAdder skippedBytes = new LongAdder();
    private final LongAdder droppedPartials = new LongAdder();
    private final LongAdder sinkErrors = new LongAdder();

    public UnpiDecoder(Consumer<UnpiFrame> sink) {
        this.sink = sink;
    }

    /** Feeds {@code len} bytes from {@code data[off]}; complete frames go to the sink at once. */
    public void feed(byte[] data, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int n = Math.min(end - i, buf.length - fill);
            System.arraycopy(data, i, buf, fill, n);
            fill += n;
            i += n;
            drain();
        }
    }

    public void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    private void drain() {
        int pos = 0;
        while (true) {
            // hunt for SOF
            int sof = pos;
            while (sof < fill && (buf[sof] & 0xFF) != UnpiFrame.SOF) {
                sof++;
            }
            if (sof > pos) {
                skippedBytes.add(sof - pos);
            }
            pos = sof;
            if (fill - pos < 2) {
                break;
            }
            int len = buf[pos + 1] & 0xFF;
            if (len > UnpiFrame.MAX_DATA) {
                // "LEN ... 0-250" (MT p.17): this 0xFE was a data or garbage byte, not a frame start
                Logger.debug("UNPI: LEN {} > 250 after SOF; resyncing", len);
                badLength.increment();
                skippedBytes.increment();
                pos++;
                continue;
            }
            int total = len + 5;
            if (fill - pos < total) {
                break;
            }
            int want = UnpiCodec.fcs(buf, pos + 1, len + 3);
            if (want != (buf[pos + total - 1] & 0xFF)) {
                Logger.warn("UNPI: bad FCS {} (computed {}) on a {}-byte frame {} {}; dropped, resyncing",
                        buf[pos + total - 1] & 0xFF, want, total, buf[pos + 2] & 0xFF, buf[pos + 3] & 0xFF);
                badFcs.increment();
                skippedBytes.increment();
                pos++;
                continue;
            }
            int cmd0 = buf[pos + 2] & 0xFF;
            byte[] payload = new byte[len];
            System.arraycopy(buf, pos + 4, payload, 0, len);
            UnpiFrame frame = new UnpiFrame((cmd0 >> 5) & 0x07, cmd0 & 0x1F, buf[pos + 3] & 0xFF, payload, true);
            pos += total;
            frames.increment();
            try {
                sink.accept(frame);
            } catch (RuntimeException e) {
                // Before this guard a throwing sink left the frame in the buffer: it came again with the next feed.
                sinkErrors.increment();
                Logger.error(e, "UNPI: frame sink threw on {}; frame dropped, decoding goes on", frame);
            }
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, fill - pos);
            fill -= pos;
        }
    }

    /** Forgets a partial frame, e.g. after the link was reopened. */
    public void reset() {
        fill = 0;
    }

    /** Bytes held back waiting for the rest of a frame (0 when the input ended on a frame boundary). */
    public int pending() {
        return fill;
    }

    /**
     * Gives up on the partial frame held back: drops its SOF byte (counted as skipped and as a
     * dropped partial) and decodes what follows it, which may hold a real frame that a false SOF
     * was hiding. Call it after the line was quiet for a while with {@link #pending()} above zero.
     *
     * @return whether anything was dropped
     */
    public boolean dropPartialFrame() {
        if (fill == 0) {
            return false;
        }
        // drain() leaves either nothing or an SOF at buf[0]
        Logger.debug("UNPI: dropping a partial frame of {} bytes that never completed", fill);
        droppedPartials.increment();
        skippedBytes.increment();
        System.arraycopy(buf, 1, buf, 0, fill - 1);
        fill--;
        drain();
        return true;
    }

    public long frames() {
        return frames.sum();
    }

    public long badFcs() {
        return badFcs.sum();
    }

    public long badLength() {
        return badLength.sum();
    }

    public long skippedBytes() {
        return skippedBytes.sum();
    }

    /** Partial frames given up by {@link #dropPartialFrame()}. */
    public long droppedPartials() {
        return droppedPartials.sum();
    }

    /** Frames whose sink threw. */
    public long sinkErrors() {
        return sinkErrors.sum();
    }
}
