package io.tetheritall.hub.drivers.capability;

/**
 * A value refused by a capability: wrong type or out of range. The message names the capability
 * and what it allows, e.g. {@code brightness: 300 is out of range 0..254}.
 */
public class ValueValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String capability;

    public ValueValidationException(String capability, String message) {
        super(capability + ": " + message);
        this.capability = capability;
    }

    /** The capability (or composite feature path, e.g. {@code color.x}) that refused the value. */
    public String capability() {
        return capability;
    }
}
