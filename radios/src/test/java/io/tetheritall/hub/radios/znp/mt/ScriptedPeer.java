package io.tetheritall.hub.radios.znp.mt;

import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.link.LinkState;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The device side of an in-memory link, for tests: splits what the host writes into raw MT frames
 * with its own framing code (not the hub's decoder), records them, and writes golden frames back.
 * Either a {@link #responder} answers each frame, or the test pulls frames with {@link #next} and
 * answers by hand.
 */
public final class ScriptedPeer implements ByteLink.Listener {
    private final InMemoryLink end;
    private final ByteArrayOutputStream acc = new ByteArrayOutputStream();
    /** Frames the host sent, raw (SOF..FCS), in order. */
    public final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    /** Every frame the host ever sent, raw. */
    public final List<byte[]> all = new CopyOnWriteArrayList<>();
    /** Answers frames; returns raw frames to write back (may be empty). Null: manual mode. */
    public volatile Function<byte[], List<byte[]>> responder;

    public ScriptedPeer(InMemoryLink deviceEnd) {
        this.end = deviceEnd;
    }

    /** Opens (or re-opens) the device end. */
    public ScriptedPeer open() {
        try {
            end.open(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public synchronized void onBytes(byte[] buf, int off, int len) {
        acc.write(buf, off, len);
        byte[] b = acc.toByteArray();
        int pos = 0;
        while (true) {
            while (pos < b.length && (b[pos] & 0xFF) != 0xFE) {
                pos++; // e.g. 0xEF bootloader-skip bytes
            }
            if (b.length - pos < 2) {
                break;
            }
            int total = (b[pos + 1] & 0xFF) + 5;
            if (b.length - pos < total) {
                break;
            }
            byte[] raw = java.util.Arrays.copyOfRange(b, pos, pos + total);
            pos += total;
            all.add(raw);
            Function<byte[], List<byte[]>> r = responder;
            if (r == null) {
                inbox.add(raw);
            } else {
                for (byte[] out : r.apply(raw)) {
                    write(out);
                }
            }
        }
        acc.reset();
        acc.write(b, pos, b.length - pos);
    }

    @Override
    public void onState(LinkState state, String reason) {
    }

    /** Writes raw bytes to the host. */
    public void write(byte[] raw) {
        try {
            end.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame the host sent, or null after {@code ms}. */
    public byte[] next(long ms) throws InterruptedException {
        return inbox.poll(ms, TimeUnit.MILLISECONDS);
    }

    /** A raw frame {@code FE LEN CMD0 CMD1 DATA FCS}, FCS computed here (XOR of LEN..DATA, MT p.18). */
    public static byte[] frame(int cmd0, int cmd1, int... data) {
        byte[] out = new byte[data.length + 5];
        out[0] = (byte) 0xFE;
        out[1] = (byte) data.length;
        out[2] = (byte) cmd0;
        out[3] = (byte) cmd1;
        for (int i = 0; i < data.length; i++) {
            out[4 + i] = (byte) data[i];
        }
        int x = 0;
        for (int i = 1; i < out.length - 1; i++) {
            x ^= out[i];
        }
        out[out.length - 1] = (byte) x;
        return out;
    }

    /** As {@link #frame(int, int, int...)} with data from a byte array. */
    public static byte[] frameOf(int cmd0, int cmd1, byte[] data) {
        int[] d = new int[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i] & 0xFF;
        }
        return frame(cmd0, cmd1, d);
    }

    /** Parses {@code "FE 01 64 01 11 75"}. */
    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    public static String toHex(byte[] b) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(b);
    }

    public static int cmd0(byte[] raw) {
        return raw[2] & 0xFF;
    }

    public static int cmd1(byte[] raw) {
        return raw[3] & 0xFF;
    }

    /** The DATA bytes of a raw frame. */
    public static byte[] data(byte[] raw) {
        return java.util.Arrays.copyOfRange(raw, 4, raw.length - 1);
    }

    /** Data byte {@code i} as unsigned. */
    public static int d(byte[] raw, int i) {
        return raw[4 + i] & 0xFF;
    }

    /** Little-endian u16 at data index {@code i}. */
    public static int d16(byte[] raw, int i) {
        return d(raw, i) | d(raw, i + 1) << 8;
    }

    /** Frames the host sent with this header. */
    public List<byte[]> sent(int cmd0, int cmd1) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] f : all) {
            if (cmd0(f) == cmd0 && cmd1(f) == cmd1) {
                out.add(f);
            }
        }
        return out;
    }
}
