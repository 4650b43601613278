package io.tetheritall.hub.radios.api;

/** Why a radio request failed, in terms a caller can act on. */
public enum RadioError {
    /** The radio did not answer in time (an SRSP timeout): a radio-level failure. */
    TIMEOUT,
    /** The link is down or the radio is being reset. */
    RADIO_UNAVAILABLE,
    /** The radio's breaker is open: failing fast until it recovers. */
    CIRCUIT_OPEN,
    /** Queues or buckets are full: retry after {@link RadioException#retryAfterMillis()}. */
    BUSY,
    /** The radio's buffers were full (BUFFER_FULL, MEM_ERROR, MAC_NO_RESOURCES): transient. */
    CONGESTED,
    /** The device did not acknowledge (MAC_NO_ACK, APS_NO_ACK, NWK_NO_ROUTE, TRANSACTION_EXPIRED). */
    DEVICE_UNREACHABLE,
    /** The radio refused the request with a definite status (bad parameter, RPC error). */
    REJECTED,
    /** A newer request for the same device and capability replaced this one before it was sent. */
    SUPERSEDED,
    /** The request's deadline passed while it waited or was retried. */
    DEADLINE_EXCEEDED
}
