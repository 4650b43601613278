package io.tetheritall.hub.drivers.zigbee.zcl;

import java.util.Arrays;
import java.util.Objects;

/**
 * A typed ZCL value: the data type and the Java value (see {@link ZclDataType} for the mapping).
 *
 * @param type  the data type
 * @param value the decoded value, null for NO_DATA and non-values
 */
public record ZclValue(ZclDataType type, Object value) {
    public ZclValue {
        Objects.requireNonNull(type, "type");
    }

    public static ZclValue of(ZclDataType type, Object value) {
        return new ZclValue(type, value);
    }

    /** Whether the value is the type's "non-value" sentinel (no measurement available). */
    public boolean isNonValue() {
        return type.isNonValue(value);
    }

    /** The value as a long; fails with {@link ZclFormatException} ("wrong_type") if it is not integral. */
    public long asLong() {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new ZclFormatException("wrong_type", "expected an integer value but got " + type + " " + value);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ZclValue other) || other.type != type) {
            return false;
        }
        if (value instanceof byte[] a && other.value instanceof byte[] b) {
            return Arrays.equals(a, b);
        }
        return Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + (value instanceof byte[] a ? Arrays.hashCode(a) : Objects.hashCode(value));
    }

    @Override
    public String toString() {
        return type + ":" + (value instanceof byte[] a ? ZclReader.hex(a) : String.valueOf(value));
    }
}
