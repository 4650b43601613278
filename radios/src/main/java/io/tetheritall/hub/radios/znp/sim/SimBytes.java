package io.tetheritall.hub.radios.znp.sim;

import java.util.Arrays;

/** Little-endian byte writer and reader for MT and ZCL payloads (the simulator's own, on purpose). */
final class SimBytes {
    private SimBytes() {
    }

    /** Growable little-endian writer. */
    static final class W {
        private byte[] b = new byte[32];
        private int n;

        W u8(int v) {
            ensure(1);
            b[n++] = (byte) v;
            return this;
        }

        W u16(int v) {
            return u8(v).u8(v >> 8);
        }

        W u32(long v) {
            return u16((int) v).u16((int) (v >> 16));
        }

        W uN(long v, int size) {
            for (int i = 0; i < size; i++) {
                u8((int) (v >> (8 * i)));
            }
            return this;
        }

        W u64(long v) {
            return uN(v, 8);
        }

        W bytes(byte[] v) {
            ensure(v.length);
            System.arraycopy(v, 0, b, n, v.length);
            n += v.length;
            return this;
        }

        int size() {
            return n;
        }

        byte[] done() {
            return Arrays.copyOf(b, n);
        }

        private void ensure(int k) {
            if (n + k > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + k));
            }
        }
    }

    /** Bounds-checked reader; a short payload throws {@link Short}. */
    static final class R {
        private final byte[] b;
        private int p;

        R(byte[] b) {
            this(b, 0);
        }

        R(byte[] b, int off) {
            this.b = b;
            this.p = off;
        }

        int u8() {
            need(1);
            return b[p++] & 0xFF;
        }

        int u16() {
            return u8() | u8() << 8;
        }

        long u32() {
            return (u16() & 0xFFFFL) | ((long) u16()) << 16;
        }

        long uN(int size) {
            need(size);
            long v = 0;
            for (int i = 0; i < size; i++) {
                v |= (long) (b[p++] & 0xFF) << (8 * i);
            }
            return v;
        }

        long u64() {
            return uN(8);
        }

        byte[] bytes(int len) {
            need(len);
            byte[] out = Arrays.copyOfRange(b, p, p + len);
            p += len;
            return out;
        }

        byte[] rest() {
            return bytes(b.length - p);
        }

        int remaining() {
            return b.length - p;
        }

        int pos() {
            return p;
        }

        private void need(int k) {
            if (p + k > b.length) {
                throw new Short();
            }
        }
    }

    /** A payload shorter than its command needs. */
    static final class Short extends RuntimeException {
        Short() {
            super("payload too short", null, false, false);
        }
    }
}
