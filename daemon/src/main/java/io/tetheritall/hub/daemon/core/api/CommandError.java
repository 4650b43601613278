package io.tetheritall.hub.daemon.core.api;

/** Why a command failed, as uplinks map it to MQTT error responses and CoAP codes. */
public enum CommandError {
    /** No such device, group or capability (CoAP 4.04). */
    NOT_FOUND,
    /** Wrong type, out of range, malformed (CoAP 4.00). */
    INVALID_VALUE,
    /** The capability cannot be set or read (CoAP 4.05). */
    NOT_ALLOWED,
    /** A per-client or per-radio limit was hit (CoAP 4.29 with Max-Age). */
    RATE_LIMITED,
    /** The radio is down, resetting or its breaker is open (CoAP 5.03 with Max-Age). */
    RADIO_UNAVAILABLE,
    /** The device is known to be unreachable (CoAP 5.04 or 5.03). */
    DEVICE_UNAVAILABLE,
    /** The device did not confirm in time (CoAP 5.04). */
    TIMEOUT,
    /** Anything else; a bug if it happens (CoAP 5.00). */
    INTERNAL
}
