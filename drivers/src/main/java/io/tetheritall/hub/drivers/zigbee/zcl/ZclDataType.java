package io.tetheritall.hub.drivers.zigbee.zcl;

import java.util.HashMap;
import java.util.Map;

/**
 * The ZCL data types (ZCL spec 07-5123, table 2-10) with their wire lengths.
 *
 * <p>Java representation of decoded values: {@code NO_DATA} → null; BOOLEAN → Boolean (0xFF, the
 * "invalid" boolean, decodes to null); every integer, enumeration, bitmap, discrete data and
 * identifier type → Long (signed types sign-extended); floats → Double; strings → String (UTF-8);
 * octet strings → byte[]; IEEE address → Long; ARRAY/SET/BAG → List; STRUCT → List of
 * {@link ZclValue}.
 */
public enum ZclDataType {
    NO_DATA(0x00, 0, false, false),
    DATA8(0x08, 1, false, false), DATA16(0x09, 2, false, false), DATA24(0x0A, 3, false, false),
    DATA32(0x0B, 4, false, false), DATA40(0x0C, 5, false, false), DATA48(0x0D, 6, false, false),
    DATA56(0x0E, 7, false, false), DATA64(0x0F, 8, false, false),
    BOOLEAN(0x10, 1, false, false),
    BITMAP8(0x18, 1, false, false), BITMAP16(0x19, 2, false, false), BITMAP24(0x1A, 3, false, false),
    BITMAP32(0x1B, 4, false, false), BITMAP40(0x1C, 5, false, false), BITMAP48(0x1D, 6, false, false),
    BITMAP56(0x1E, 7, false, false), BITMAP64(0x1F, 8, false, false),
    UINT8(0x20, 1, true, false), UINT16(0x21, 2, true, false), UINT24(0x22, 3, true, false),
    UINT32(0x23, 4, true, false), UINT40(0x24, 5, true, false), UINT48(0x25, 6, true, false),
    UINT56(0x26, 7, true, false), UINT64(0x27, 8, true, false),
    INT8(0x28, 1, true, true), INT16(0x29, 2, true, true), INT24(0x2A, 3, true, true),
    INT32(0x2B, 4, true, true), INT40(0x2C, 5, true, true), INT48(0x2D, 6, true, true),
    INT56(0x2E, 7, true, true), INT64(0x2F, 8, true, true),
    ENUM8(0x30, 1, false, false), ENUM16(0x31, 2, false, false),
    SEMI_FLOAT(0x38, 2, true, false), SINGLE_FLOAT(0x39, 4, true, false), DOUBLE_FLOAT(0x3A, 8, true, false),
    OCTET_STRING(0x41, -1, false, false), CHAR_STRING(0x42, -1, false, false),
    LONG_OCTET_STRING(0x43, -1, false, false), LONG_CHAR_STRING(0x44, -1, false, false),
    ARRAY(0x48, -1, false, false), STRUCT(0x4C, -1, false, false), SET(0x50, -1, false, false),
    BAG(0x51, -1, false, false),
    TIME_OF_DAY(0xE0, 4, true, false), DATE(0xE1, 4, true, false), UTC_TIME(0xE2, 4, true, false),
    CLUSTER_ID(0xE8, 2, false, false), ATTRIBUTE_ID(0xE9, 2, false, false), BACNET_OID(0xEA, 4, false, false),
    IEEE_ADDRESS(0xF0, 8, false, false), SECURITY_KEY(0xF1, 16, false, false),
    UNKNOWN(0xFF, 0, false, false);

    private static final Map<Integer, ZclDataType> BY_ID = new HashMap<>();

    static {
        for (ZclDataType t : values()) {
            BY_ID.put(t.id, t);
        }
    }

    private final int id;
    private final int length;
    private final boolean analog;
    private final boolean signed;

    ZclDataType(int id, int length, boolean analog, boolean signed) {
        this.id = id;
        this.length = length;
        this.analog = analog;
        this.signed = signed;
    }

    /** The type's id byte on the wire. */
    public int id() {
        return id;
    }

    /** Fixed length in bytes, or -1 for variable-length types (strings, collections). */
    public int length() {
        return length;
    }

    /**
     * Analog types carry a "reportable change" field in a configure-reporting record; discrete
     * types do not (ZCL 2.5.7.1.7: "if the data type is discrete, this field is omitted").
     */
    public boolean analog() {
        return analog;
    }

    public boolean signed() {
        return signed;
    }

    /** Whether values of this type decode to a Long. */
    public boolean integral() {
        return length > 0 && length <= 8 && this != BOOLEAN && this != SEMI_FLOAT && this != SINGLE_FLOAT
                && this != DOUBLE_FLOAT && this != NO_DATA && this != UNKNOWN;
    }

    /** Looks a type up by its id byte. */
    public static ZclDataType byId(int id) {
        ZclDataType t = BY_ID.get(id & 0xFF);
        if (t == null) {
            throw new ZclFormatException("unknown_type", String.format("unknown ZCL data type 0x%02x", id & 0xFF));
        }
        return t;
    }

    /**
     * Whether {@code value} is this type's "invalid"/"non-value" sentinel (ZCL 2.6.2: for unsigned
     * integers all ones, for signed integers the most negative value), which devices send when a
     * measurement is not available.
     */
    public boolean isNonValue(Object value) {
        if (value == null) {
            return true;
        }
        if (!(value instanceof Long l)) {
            return false;
        }
        if (this == UINT8 || this == UINT16 || this == UINT24 || this == UINT32 || this == UINT40
                || this == UINT48 || this == UINT56 || this == ENUM8 || this == ENUM16) {
            long allOnes = length == 8 ? -1L : (1L << (8 * length)) - 1;
            return l == allOnes;
        }
        if (signed) {
            long mostNegative = length == 8 ? Long.MIN_VALUE : -(1L << (8 * length - 1));
            return l == mostNegative;
        }
        return false;
    }
}
