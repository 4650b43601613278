package io.tetheritall.hub.store.outbox;

import java.util.Objects;

/**
 * One queued outbox message.
 *
 * @param seq          its position: strictly increasing over the outbox's whole life, never reused
 * @param kind         telemetry, event or response
 * @param supersedeKey the key a newer message replaces it by (e.g. a device's state topic), or null
 * @param payload      the bytes to send
 */
public record OutboxEntry(long seq, MessageKind kind, String supersedeKey, byte[] payload) {
    public OutboxEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }
}
