package io.tetheritall.hub.radios.znp.mt;

/**
 * A snapshot of one {@link MtSession}'s counters.
 *
 * @param requests     SREQs accepted by {@link MtSession#request}
 * @param timeouts     SREQs whose SRSP did not come in time, plus AREQ waits that expired
 * @param rpcErrors    SREQs refused with an RPC error SRSP
 * @param framesIn     well-formed frames received
 * @param framesOut    frames written
 * @param unsolicited  SRSPs that matched no request, and frames of unexpected types
 * @param badFrames    frames the decoder dropped (bad FCS or impossible length)
 * @param inFlight     SREQs on the wire now (0 or 1)
 * @param queued       SREQs waiting for their turn
 * @param waiters      AREQ waits registered
 */
public record MtMetrics(long requests, long timeouts, long rpcErrors, long framesIn, long framesOut,
                        long unsolicited, long badFrames, int inFlight, int queued, int waiters) {
}
