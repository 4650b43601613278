package io.tetheritall.hub.radios.api;

/** Who waits for a request: a person first, then polls, then housekeeping. */
public enum Priority {
    /** A command a person or automation is waiting for. */
    INTERACTIVE,
    /** Reads, polls and availability pings. */
    POLL,
    /** Reporting configuration, binding, OTA. */
    BACKGROUND
}
