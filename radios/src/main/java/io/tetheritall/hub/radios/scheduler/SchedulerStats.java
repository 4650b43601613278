package io.tetheritall.hub.radios.scheduler;

/**
 * A snapshot of one radio's traffic control, as plain values for the daemon to bind to Micrometer
 * (gauges for depths, window, tokens and state; counters for the cumulative fields).
 *
 * @param radioId              the radio
 * @param queuedInteractive    requests waiting at {@code INTERACTIVE}
 * @param queuedPoll           requests waiting at {@code POLL}
 * @param queuedBackground     requests waiting at {@code BACKGROUND}
 * @param inFlight             requests handed to the radio and not yet answered
 * @param window               the current in-flight window
 * @param unicastTokens        tokens in the unicast bucket
 * @param broadcastTokens      tokens in the broadcast bucket
 * @param broadcastsInWindow   group/broadcast sends in the current broadcast window
 * @param delivered            requests completed successfully (cumulative)
 * @param failed               requests that failed with the radio's or the device's answer (cumulative)
 * @param retries              re-sends after a transient status (cumulative)
 * @param rateLimitHits        requests refused {@code BUSY}: queue full, client bucket empty, retries exhausted
 * @param superseded           queued requests replaced by a newer one (cumulative)
 * @param deadlineExceeded     requests that ran out of time (cumulative)
 * @param unreachableFastFails requests refused at once because the device is known unreachable
 * @param circuitOpenRejections requests refused because the breaker was open
 * @param congestionEvents     BUFFER_FULL-like answers absorbed by shrinking the window (cumulative)
 * @param breakerState         resilience4j state name: CLOSED, OPEN, HALF_OPEN, FORCED_OPEN...
 * @param breakerTransitions   breaker state transitions (cumulative)
 * @param recoveries           completed recoveries (cumulative)
 */
public record SchedulerStats(String radioId, int queuedInteractive, int queuedPoll, int queuedBackground, int inFlight,
                             int window, double unicastTokens, double broadcastTokens, int broadcastsInWindow,
                             long delivered, long failed, long retries, long rateLimitHits, long superseded,
                             long deadlineExceeded, long unreachableFastFails, long circuitOpenRejections,
                             long congestionEvents, String breakerState, long breakerTransitions, long recoveries) {

    /** Requests waiting, all priorities. */
    public int queued() {
        return queuedInteractive + queuedPoll + queuedBackground;
    }
}
