package io.tetheritall.hub.drivers.zigbee.zcl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes little-endian ZCL fields; the mirror of {@link ZclReader}. */
public final class ZclWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(16);

    public ZclWriter u8(int v) {
        out.write(v & 0xFF);
        return this;
    }

    public ZclWriter u16(int v) {
        out.write(v & 0xFF);
        out.write((v >> 8) & 0xFF);
        return this;
    }

    public ZclWriter uN(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >> (8 * i)) & 0xFF);
        }
        return this;
    }

    public ZclWriter bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Writes the type byte, then the value. */
    public ZclWriter typedValue(ZclValue v) {
        u8(v.type().id());
        return value(v.type(), v.value());
    }

    /**
     * Writes one value of {@code type}. Fails with {@link ZclFormatException} ("wrong_type") if the
     * Java value does not fit the type, so a bad value never reaches the radio.
     */
    public ZclWriter value(ZclDataType type, Object value) {
        switch (type) {
            case NO_DATA:
            case UNKNOWN:
                return this;
            case BOOLEAN:
                if (value == null) {
                    return u8(0xFF);
                }
                return u8(asBoolean(type, value) ? 1 : 0);
            case SEMI_FLOAT:
                return u16(doubleToHalf(asNumber(type, value).doubleValue()));
            case SINGLE_FLOAT:
                return uN(Float.floatToIntBits(asNumber(type, value).floatValue()), 4);
            case DOUBLE_FLOAT:
                return uN(Double.doubleToLongBits(asNumber(type, value).doubleValue()), 8);
            case OCTET_STRING:
            case CHAR_STRING:
            case LONG_OCTET_STRING:
            case LONG_CHAR_STRING: {
                boolean isLong = type == ZclDataType.LONG_OCTET_STRING || type == ZclDataType.LONG_CHAR_STRING;
                byte[] b;
                if (value instanceof byte[] raw) {
                    b = raw;
                } else if (value instanceof String s) {
                    b = s.getBytes(StandardCharsets.UTF_8);
                } else {
                    throw wrong(type, value);
                }
                int max = isLong ? 0xFFFE : 0xFE;
                if (b.length > max) {
                    throw new ZclFormatException("too_long", type + " longer than " + max + " bytes: " + b.length);
                }
                if (isLong) {
                    u16(b.length);
                } else {
                    u8(b.length);
                }
                return bytes(b);
            }
            case ARRAY:
            case SET:
            case BAG:
            case STRUCT:
                if (value instanceof List<?> list && type == ZclDataType.STRUCT) {
                    u16(list.size());
                    for (Object o : list) {
                        if (!(o instanceof ZclValue zv)) {
                            throw wrong(type, value);
                        }
                        typedValue(zv);
                    }
                    return this;
                }
                throw new ZclFormatException("wrong_type", "encoding " + type + " is not supported");
            case SECURITY_KEY:
                if (value instanceof byte[] k && k.length == 16) {
                    return bytes(k);
                }
                throw wrong(type, value);
            default: {
                long v = asNumber(type, value).longValue();
                int n = type.length();
                if (n < 8) {
                    long min = type.signed() ? -(1L << (8 * n - 1)) : 0;
                    long max = type.signed() ? (1L << (8 * n - 1)) - 1 : (1L << (8 * n)) - 1;
                    if (v < min || v > max) {
                        throw new ZclFormatException("out_of_range", value + " does not fit " + type);
                    }
                }
                return uN(v, n);
            }
        }
    }

    private static boolean asBoolean(ZclDataType type, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.longValue() != 0;
        }
        throw wrong(type, value);
    }

    private static Number asNumber(ZclDataType type, Object value) {
        if (value instanceof Number n) {
            return n;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw wrong(type, value);
    }

    private static ZclFormatException wrong(ZclDataType type, Object value) {
        return new ZclFormatException("wrong_type",
                "cannot encode " + (value == null ? "null" : value.getClass().getSimpleName()) + " as " + type);
    }

    /** Double to IEEE 754 half precision (round toward zero; enough for the few ZCL attributes using it). */
    static int doubleToHalf(double d) {
        int bits = Float.floatToIntBits((float) d);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mant = (bits >>> 13) & 0x3FF;
        if (Double.isNaN(d)) {
            return 0x7E00;
        }
        if (exp >= 31) {
            return sign | 0x7C00;
        }
        if (exp <= 0) {
            if (exp < -10) {
                return sign;
            }
            mant = ((bits & 0x7FFFFF) | 0x800000) >> (14 - exp);
            return sign | mant;
        }
        return sign | (exp << 10) | mant;
    }
}
