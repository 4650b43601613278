package io.tetheritall.hub.radios.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How the scheduler should treat one send. The bare radio ignores these; the per-radio scheduler
 * uses them for ordering, coalescing, per-client limits and deadlines.
 *
 * @param priority    queue class
 * @param coalesceKey requests with the same non-null key to the same destination replace each other
 *                    while queued (the newest wins), e.g. {@code "brightness"}
 * @param clientId    who asked (MQTT client id, CoAP peer), for per-client buckets; may be null
 * @param deadline    how long the request may wait and be retried in total
 */
public record SendOptions(Priority priority, String coalesceKey, String clientId, Duration deadline) {
    public static final SendOptions DEFAULT = new SendOptions(Priority.INTERACTIVE, null, null, Duration.ofSeconds(10));

    public SendOptions {
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, but was " + deadline);
        }
    }

    public SendOptions withPriority(Priority p) {
        return new SendOptions(p, coalesceKey, clientId, deadline);
    }

    public SendOptions withCoalesceKey(String key) {
        return new SendOptions(priority, key, clientId, deadline);
    }

    public SendOptions withClient(String client) {
        return new SendOptions(priority, coalesceKey, client, deadline);
    }
}
