package io.tetheritall.hub.radios.znp.mt;

import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;

import java.util.HashMap;
import java.util.Map;

/**
 * Z-Stack status bytes (the {@code Status} field of SRSPs, AF_DATA_CONFIRM and ZDO callbacks),
 * their names, and what a caller should make of them.
 *
 * <p>Sources: zigpy-znp {@code types/named.py}, zigbee-herdsman {@code constants/common.ts}. The
 * classification follows what both hosts retry on: full buffers and channel access failures are
 * transient congestion ({@link RadioError#CONGESTED}, "expected behavior if you trigger a lot of
 * lights concurrently", zigpy-znp#42); missing acks and routes mean the device is unreachable
 * ({@link RadioError#DEVICE_UNREACHABLE}); every other non-zero status is a definite refusal
 * ({@link RadioError#REJECTED}).
 */
public enum ZnpStatus {
    SUCCESS(0x00),
    FAILURE(0x01),
    INVALID_PARAMETER(0x02),
    NV_ITEM_UNINIT(0x09),
    NV_OPER_FAILED(0x0A),
    NV_BAD_ITEM_LEN(0x0C),
    MEM_ERROR(0x10),
    BUFFER_FULL(0x11),
    UNSUPPORTED_MODE(0x12),
    MAC_MEM_ERROR(0x13),
    MAC_NO_RESOURCES(0x1A),
    ZDO_INVALID_REQUEST_TYPE(0x80),
    ZDO_DEVICE_NOT_FOUND(0x81),
    ZDO_INVALID_EP(0x82),
    ZDO_NOT_ACTIVE(0x83),
    ZDO_NOT_SUPPORTED(0x84),
    ZDO_TIMEOUT(0x85),
    ZDO_NO_MATCH(0x86),
    ZDO_NO_ENTRY(0x88),
    ZDO_NO_DESCRIPTOR(0x89),
    ZDO_INSUFFICIENT_SPACE(0x8A),
    ZDO_NOT_PERMITTED(0x8B),
    ZDO_TABLE_FULL(0x8C),
    ZDO_NOT_AUTHORIZED(0x8D),
    APS_FAIL(0xB1),
    APS_TABLE_FULL(0xB2),
    APS_ILLEGAL_REQUEST(0xB3),
    APS_INVALID_BINDING(0xB4),
    APS_UNSUPPORTED_ATTRIB(0xB5),
    APS_NOT_SUPPORTED(0xB6),
    APS_NO_ACK(0xB7),
    APS_DUPLICATE_ENTRY(0xB8),
    APS_NO_BOUND_DEVICE(0xB9),
    SEC_NO_KEY(0xA1),
    SEC_MAX_FRM_COUNT(0xA3),
    NWK_INVALID_PARAM(0xC1),
    NWK_INVALID_REQUEST(0xC2),
    NWK_NOT_PERMITTED(0xC3),
    NWK_STARTUP_FAILURE(0xC4),
    NWK_TABLE_FULL(0xC7),
    NWK_UNKNOWN_DEVICE(0xC8),
    NWK_UNSUPPORTED_ATTRIBUTE(0xC9),
    NWK_NO_NETWORKS(0xCA),
    NWK_LEAVE_UNCONFIRMED(0xCB),
    NWK_NO_ACK(0xCC),
    NWK_NO_ROUTE(0xCD),
    MAC_BEACON_LOSS(0xE0),
    MAC_CHANNEL_ACCESS_FAILURE(0xE1),
    MAC_DENIED(0xE2),
    MAC_INVALID_PARAMETER(0xE8),
    MAC_NO_ACK(0xE9),
    MAC_NO_BEACON(0xEA),
    MAC_NO_DATA(0xEB),
    MAC_NO_SHORT_ADDRESS(0xEC),
    MAC_TRANSACTION_EXPIRED(0xF0),
    MAC_TRANSACTION_OVERFLOW(0xF1);

    private static final Map<Integer, ZnpStatus> BY_CODE = new HashMap<>();

    static {
        for (ZnpStatus s : values()) {
            BY_CODE.put(s.code, s);
        }
    }

    private final int code;

    ZnpStatus(int code) {
        this.code = code;
    }

    /** The status byte. */
    public int code() {
        return code;
    }

    /** The named status for a byte, or null if unknown. */
    public static ZnpStatus of(int code) {
        return BY_CODE.get(code & 0xFF);
    }

    /** A printable name: {@code BUFFER_FULL(0x11)}, or {@code UNKNOWN(0x5A)}. */
    public static String name(int code) {
        ZnpStatus s = of(code);
        return String.format("%s(0x%02X)", s == null ? "UNKNOWN" : s.name(), code & 0xFF);
    }

    /** What a non-zero status means to a caller; {@code null} for SUCCESS. */
    public static RadioError classify(int code) {
        ZnpStatus s = of(code);
        if (s == SUCCESS) {
            return null;
        }
        if (s == null) {
            return RadioError.REJECTED;
        }
        return switch (s) {
            case BUFFER_FULL, MEM_ERROR, MAC_MEM_ERROR, MAC_NO_RESOURCES, MAC_CHANNEL_ACCESS_FAILURE,
                 NWK_TABLE_FULL, MAC_TRANSACTION_OVERFLOW -> RadioError.CONGESTED;
            case MAC_NO_ACK, APS_NO_ACK, NWK_NO_ROUTE, MAC_TRANSACTION_EXPIRED, NWK_NO_ACK, ZDO_TIMEOUT ->
                    RadioError.DEVICE_UNREACHABLE;
            default -> RadioError.REJECTED;
        };
    }

    /** Whether the status is transient congestion worth a delayed retry. */
    public static boolean isCongestion(int code) {
        return classify(code) == RadioError.CONGESTED;
    }

    /** The exception a non-zero status becomes; {@code what} names the request for the message. */
    public static RadioException exception(int code, String what) {
        RadioError e = classify(code);
        if (e == null) {
            throw new IllegalArgumentException("SUCCESS is not an error");
        }
        return new RadioException(e, code & 0xFF, 0, what + " failed: " + name(code), null);
    }
}
