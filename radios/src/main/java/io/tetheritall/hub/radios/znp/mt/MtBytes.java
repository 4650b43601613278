package io.tetheritall.hub.radios.znp.mt;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.io.ByteArrayOutputStream;

/**
 * Little-endian payload building and reading for MT ("All fields are little-endian, IEEE
 * addresses included", MT p.18).
 */
public final class MtBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(32);

    private MtBytes() {
    }

    /** A new, empty builder. */
    public static MtBytes build() {
        return new MtBytes();
    }

    public MtBytes u8(int v) {
        out.write(v & 0xFF);
        return this;
    }

    public MtBytes u16(int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
        return this;
    }

    public MtBytes u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    public MtBytes u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    public MtBytes bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public byte[] toArray() {
        return out.toByteArray();
    }

    /** Reads a little-endian u32 from a frame's data. */
    public static long u32(UnpiFrame f, int index) {
        return (long) f.u16(index) | ((long) f.u16(index + 2) << 16);
    }

    /** Reads a little-endian u64 (an IEEE address or extended PAN id) from a frame's data. */
    public static long u64(UnpiFrame f, int index) {
        return u32(f, index) | (u32(f, index + 4) << 32);
    }

    /** Reads a little-endian u64 from an array. */
    public static long u64(byte[] b, int index) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[index + i] & 0xFF);
        }
        return v;
    }

    /** Reads a little-endian u32 from an array. */
    public static long u32(byte[] b, int index) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | (b[index + i] & 0xFF);
        }
        return v;
    }
}
