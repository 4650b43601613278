package io.tetheritall.hub.radios.znp.sim;

import java.util.Random;

/**
 * Air-time model, in milliseconds, drawn uniformly from the simulator's seeded random source.
 * Defaults are the modelling estimate of protocols.md §B (not measured): one hop 15-40 ms to
 * AF_DATA_CONFIRM and 30-80 ms to the ZCL reply, plus 10-30 ms per extra hop.
 */
public record LatencyModel(int confirmMinMs, int confirmMaxMs, int replyMinMs, int replyMaxMs,
                           int perHopMinMs, int perHopMaxMs) {

    public static final LatencyModel DEFAULT = new LatencyModel(15, 40, 30, 80, 10, 30);
    /** Every delay zero: replies follow requests at once (still through the scheduler). */
    public static final LatencyModel ZERO = new LatencyModel(0, 0, 0, 0, 0, 0);

    public LatencyModel {
        if (confirmMinMs < 0 || confirmMaxMs < confirmMinMs || replyMinMs < 0 || replyMaxMs < replyMinMs
                || perHopMinMs < 0 || perHopMaxMs < perHopMinMs) {
            throw new IllegalArgumentException("latency ranges must be 0 <= min <= max: " + this);
        }
    }

    long confirmMs(Random r, int hops) {
        return draw(r, confirmMinMs, confirmMaxMs) + extraHops(r, hops);
    }

    long replyMs(Random r, int hops) {
        return draw(r, replyMinMs, replyMaxMs) + 2 * extraHops(r, hops);
    }

    private long extraHops(Random r, int hops) {
        long t = 0;
        for (int i = 1; i < hops; i++) {
            t += draw(r, perHopMinMs, perHopMaxMs);
        }
        return t;
    }

    private static long draw(Random r, int min, int max) {
        return max == min ? min : min + r.nextInt(max - min + 1);
    }
}
