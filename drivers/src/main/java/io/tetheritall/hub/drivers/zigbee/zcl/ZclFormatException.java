package io.tetheritall.hub.drivers.zigbee.zcl;

/**
 * A ZCL frame or value that cannot be decoded or encoded: truncated, of an unknown data type, or
 * malformed. The {@link #reason()} is a short stable token suitable as a metric tag.
 */
public class ZclFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public ZclFormatException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A short stable token: {@code truncated}, {@code unknown_type}, {@code malformed}, {@code too_long}. */
    public String reason() {
        return reason;
    }
}
