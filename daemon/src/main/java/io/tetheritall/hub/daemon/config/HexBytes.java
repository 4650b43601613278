package io.tetheritall.hub.daemon.config;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string given in hex (PAN ids, network keys); {@link #toString()} is upper-case hex. */
public final class HexBytes {
    private final byte[] bytes;

    public HexBytes(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A copy of the bytes, most significant first as written. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The value as an unsigned number (for 2-byte PAN ids). */
    public long asLong() {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HexBytes && Arrays.equals(bytes, ((HexBytes) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "0x" + HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
