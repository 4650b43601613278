package io.tetheritall.hub.radios.znp.unpi;

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
 * <p>Not thread-safe: one decoder per link, fed from the link's reader thread.
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
            sink.accept(frame);
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
}
