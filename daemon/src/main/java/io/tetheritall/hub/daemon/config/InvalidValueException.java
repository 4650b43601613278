package io.tetheritall.hub.daemon.config;

/** A raw configuration text that a {@link Definition} does not allow; the message says what is allowed. */
public final class InvalidValueException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param mustBe text that completes the sentence "KEY='value' (from ...): ", e.g. "must be one of lru, lfu" */
    public InvalidValueException(String mustBe) {
        super(mustBe);
    }
}
