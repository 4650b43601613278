package io.tetheritall.hub.store.outbox;

/** What an outbox message is, which decides what goes first when the outbox is full. */
public enum MessageKind {
    /** Periodic readings; the newest matter, old ones are dropped first when the outbox is full. */
    TELEMETRY,
    /** Something that happened (button press, alarm, join): dropped only when no telemetry is left to drop. */
    EVENT,
    /** The answer to a cloud request: dropped only when no telemetry is left to drop. */
    RESPONSE
}
