package io.tetheritall.hub.drivers.zigbee.zcl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads little-endian ZCL fields from a byte array. Every read checks the remaining length first
 * and fails with {@link ZclFormatException} ("truncated") instead of reading past the end, so a
 * frame cut mid-attribute is refused as a whole rather than half-applied.
 */
public final class ZclReader {
    private final byte[] data;
    private int pos;
    private final int end;

    public ZclReader(byte[] data) {
        this(data, 0, data.length);
    }

    public ZclReader(byte[] data, int offset, int end) {
        this.data = data;
        this.pos = offset;
        this.end = end;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    public int position() {
        return pos;
    }

    private void need(int n, String what) {
        if (end - pos < n) {
            throw new ZclFormatException("truncated",
                    "truncated " + what + ": need " + n + " bytes at offset " + pos + ", have " + (end - pos));
        }
    }

    public int u8() {
        need(1, "u8");
        return data[pos++] & 0xFF;
    }

    public int u16() {
        need(2, "u16");
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    /** An unsigned little-endian integer of {@code n} bytes (n ≤ 8; 8 bytes wraps into a signed long). */
    public long uN(int n) {
        need(n, n + "-byte integer");
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (data[pos + i] & 0xFF) << (8 * i);
        }
        pos += n;
        return v;
    }

    public byte[] bytes(int n) {
        need(n, n + " bytes");
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** The rest of the buffer. */
    public byte[] rest() {
        return bytes(remaining());
    }

    /** Reads one value of {@code type}. */
    public Object value(ZclDataType type) {
        switch (type) {
            case NO_DATA:
            case UNKNOWN:
                return null;
            case BOOLEAN: {
                int b = u8();
                // 0xFF is the invalid boolean (ZCL table 2-10)
                return b == 0xFF ? null : b != 0;
            }
            case SEMI_FLOAT:
                return halfToDouble(u16());
            case SINGLE_FLOAT:
                return (double) Float.intBitsToFloat((int) uN(4));
            case DOUBLE_FLOAT:
                return Double.longBitsToDouble(uN(8));
            case OCTET_STRING: {
                int len = u8();
                return len == 0xFF ? null : bytes(len);
            }
            case CHAR_STRING: {
                int len = u8();
                return len == 0xFF ? null : new String(bytes(len), StandardCharsets.UTF_8);
            }
            case LONG_OCTET_STRING: {
                int len = u16();
                return len == 0xFFFF ? null : bytes(len);
            }
            case LONG_CHAR_STRING: {
                int len = u16();
                return len == 0xFFFF ? null : new String(bytes(len), StandardCharsets.UTF_8);
            }
            case ARRAY:
            case SET:
            case BAG: {
                ZclDataType elementType = ZclDataType.byId(u8());
                int count = u16();
                if (count == 0xFFFF) {
                    return null;
                }
                List<Object> out = new ArrayList<>(Math.min(count, 64));
                for (int i = 0; i < count; i++) {
                    out.add(value(elementType));
                }
                return out;
            }
            case STRUCT: {
                int count = u16();
                if (count == 0xFFFF) {
                    return null;
                }
                List<ZclValue> out = new ArrayList<>(Math.min(count, 64));
                for (int i = 0; i < count; i++) {
                    ZclDataType t = ZclDataType.byId(u8());
                    out.add(new ZclValue(t, value(t)));
                }
                return out;
            }
            case SECURITY_KEY:
                return bytes(16);
            default: {
                int n = type.length();
                long v = uN(n);
                if (type.signed() && n < 8) {
                    int shift = 64 - 8 * n;
                    v = (v << shift) >> shift;
                }
                return v;
            }
        }
    }

    /** A typed value: type byte then value. */
    public ZclValue typedValue() {
        ZclDataType t = ZclDataType.byId(u8());
        return new ZclValue(t, value(t));
    }

    /** IEEE 754 half precision (ZCL "semi-precision") to double. */
    static double halfToDouble(int h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 0x1F;
        int mant = h & 0x3FF;
        double v;
        if (exp == 0) {
            v = mant * Math.pow(2, -24);
        } else if (exp == 31) {
            v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = (1 + mant / 1024.0) * Math.pow(2, exp - 15);
        }
        return sign == 1 ? -v : v;
    }

    /** Lowercase hex without separators, for logs. */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
