package io.tetheritall.hub.store.codec;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The small, versioned envelope every cached value is stored in, in both layers:
 *
 * <pre>
 *  offset  size  field
 *  0       1     magic 0xB7
 *  1       1     codec version (this codec writes and reads 1)
 *  2       1     flags: bit 0 = payload is LZ4 block-compressed
 *  3       8     expiry, epoch milliseconds, big-endian; 0 = never expires
 *  11      4     original length (only when compressed)
 *  11/15   n     payload
 * </pre>
 *
 * <p>The expiry sits in a fixed place so that the cleaner and the warm-up can test it without decompressing. A
 * reader that meets another version or a damaged envelope throws {@link CorruptValueException}; a later version
 * of this codec adds a branch per version it still reads, so the format can evolve without a migration.
 *
 * <p>Compression: values longer than the threshold are LZ4-compressed (fast enough for a Pi's CPU) and kept
 * compressed only if that saves bytes. Thread-safe.
 */
public final class ValueCodec {
    /** First byte of every envelope. */
    public static final byte MAGIC = (byte) 0xB7;
    /** The version this codec writes. */
    public static final byte VERSION = 1;
    public static final int HEADER = 11;
    private static final int FLAG_LZ4 = 1;
    /** Refuses to inflate anything claiming to be larger than this (a garbage length must not allocate 2 GiB). */
    static final int MAX_VALUE_BYTES = 64 * 1024 * 1024;

    private final boolean compressionEnabled;
    private final int threshold;
    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;
    private final LongAdder compressedIn = new LongAdder();
    private final LongAdder compressedOut = new LongAdder();
    private final LongAdder compressedValues = new LongAdder();

    public ValueCodec(boolean compressionEnabled, int threshold) {
        this.compressionEnabled = compressionEnabled;
        this.threshold = threshold;
        LZ4Factory f = LZ4Factory.fastestInstance();
        this.compressor = f.fastCompressor();
        this.decompressor = f.safeDecompressor();
    }

    /** Wraps {@code value} with its expiry (epoch ms, 0 = never), compressing if configured. */
    public byte[] encode(byte[] value, long expiresAtMillis) {
        if (compressionEnabled && value.length > threshold) {
            int max = compressor.maxCompressedLength(value.length);
            byte[] out = new byte[HEADER + 4 + max];
            int n = compressor.compress(value, 0, value.length, out, HEADER + 4, max);
            if (n + 4 < value.length) {
                ByteBuffer.wrap(out).put(MAGIC).put(VERSION).put((byte) FLAG_LZ4).putLong(expiresAtMillis)
                        .putInt(value.length);
                compressedIn.add(value.length);
                compressedOut.add(n + 4L);
                compressedValues.increment();
                return java.util.Arrays.copyOf(out, HEADER + 4 + n);
            }
        }
        byte[] out = new byte[HEADER + value.length];
        ByteBuffer.wrap(out).put(MAGIC).put(VERSION).put((byte) 0).putLong(expiresAtMillis).put(value);
        return out;
    }

    /** The payload of the envelope starting at {@code offset} of {@code buf}. */
    public byte[] decode(byte[] buf, int offset) throws CorruptValueException {
        int len = buf.length - offset;
        checkHeader(buf, offset, len);
        int flags = buf[offset + 2];
        if ((flags & ~FLAG_LZ4) != 0) {
            throw new CorruptValueException("unknown flags " + flags);
        }
        if ((flags & FLAG_LZ4) == 0) {
            return java.util.Arrays.copyOfRange(buf, offset + HEADER, buf.length);
        }
        if (len < HEADER + 4) {
            throw new CorruptValueException("compressed value truncated: " + len + " bytes");
        }
        int original = ByteBuffer.wrap(buf, offset + HEADER, 4).getInt();
        if (original < 0 || original > MAX_VALUE_BYTES) {
            throw new CorruptValueException("implausible original length " + original);
        }
        byte[] out = new byte[original];
        try {
            int n = decompressor.decompress(buf, offset + HEADER + 4, len - HEADER - 4, out, 0, original);
            if (n != original) {
                throw new CorruptValueException("decompressed " + n + " bytes, expected " + original);
            }
        } catch (net.jpountz.lz4.LZ4Exception e) {
            throw new CorruptValueException("LZ4 payload does not decompress", e);
        }
        return out;
    }

    /** The expiry (epoch ms, 0 = never) of the envelope at {@code offset}, without touching the payload. */
    public static long expiresAt(byte[] buf, int offset) throws CorruptValueException {
        checkHeader(buf, offset, buf.length - offset);
        return ByteBuffer.wrap(buf, offset + 3, 8).getLong();
    }

    /** True if an envelope with this expiry is expired at {@code nowMillis}. */
    public static boolean isExpired(long expiresAt, long nowMillis) {
        return expiresAt != 0 && expiresAt <= nowMillis;
    }

    private static void checkHeader(byte[] buf, int offset, int len) throws CorruptValueException {
        if (len < HEADER) {
            throw new CorruptValueException("value truncated: " + len + " bytes");
        }
        if (buf[offset] != MAGIC) {
            throw new CorruptValueException(String.format("bad magic 0x%02x", buf[offset] & 0xff));
        }
        if (buf[offset + 1] != VERSION) {
            throw new CorruptValueException("unknown codec version " + buf[offset + 1]);
        }
    }

    /** Original bytes / stored bytes over every value compressed so far (1.0 if none). */
    public double compressionRatio() {
        long out = compressedOut.sum();
        return out == 0 ? 1.0 : (double) compressedIn.sum() / out;
    }

    public long compressedValues() {
        return compressedValues.sum();
    }
}
