package io.tetheritall.hub.store.outbox;

/**
 * Outbox counters (since open) and gauges.
 *
 * @param queued           messages waiting
 * @param queuedBytes      their payload and key bytes
 * @param appended         successful appends
 * @param acknowledged     messages removed by acknowledgement
 * @param superseded       messages replaced by a newer one with the same supersede key
 * @param droppedTelemetry telemetry dropped because the outbox was full
 * @param droppedOther     events and responses dropped because the outbox was full and held no telemetry
 * @param undecodable      stored records that no longer decoded and were dropped
 * @param writeFailures    appends and acknowledgements the disk refused
 * @param recoveries       times a broken outbox file was moved aside
 */
public record OutboxMetrics(long queued, long queuedBytes, long appended, long acknowledged, long superseded,
                            long droppedTelemetry, long droppedOther, long undecodable, long writeFailures,
                            long recoveries) {
}
