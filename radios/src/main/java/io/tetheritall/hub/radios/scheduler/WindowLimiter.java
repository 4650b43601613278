package io.tetheritall.hub.radios.scheduler;

import io.tetheritall.hub.radios.time.HubClock;

/**
 * At most {@code max} events in any sliding window of {@code windowNanos}: the broadcast budget.
 *
 * <p>A token bucket alone does not keep a burst inside the network's broadcast transaction table:
 * with burst 8 and one token per 1.1 s, a full burst followed by the refill puts 10 broadcasts into
 * 9 s, while Z-Stack's table holds {@code MAX_BCAST} = 9 entries aged out after 9 s, and Silabs advises
 * "about 8 broadcasts in any 9-second window". The scheduler therefore applies both: the bucket spaces
 * sends, this window caps them. Counting at dispatch, before the radio adds its table entry, keeps us
 * at least one entry below the table size. Cheap and thread-safe (metrics read it from other threads).
 */
public final class WindowLimiter {
    private final HubClock clock;
    private final long windowNanos;
    private final long[] stamps;
    private int head;
    private int size;

    public WindowLimiter(HubClock clock, int max, long windowNanos) {
        if (max < 1 || windowNanos <= 0) {
            throw new IllegalArgumentException("max must be >= 1 and window > 0, but were " + max + "/" + windowNanos);
        }
        this.clock = clock;
        this.windowNanos = windowNanos;
        this.stamps = new long[max];
    }

    /** Nanoseconds until one more event fits; 0 if it fits now. */
    public synchronized long nanosUntilAvailable() {
        long now = clock.nanos();
        expire(now);
        if (size < stamps.length) {
            return 0;
        }
        return Math.max(1, stamps[head] + windowNanos - now);
    }

    /** Records one event now; call only after {@link #nanosUntilAvailable()} returned 0. */
    public synchronized void record() {
        long now = clock.nanos();
        expire(now);
        if (size == stamps.length) {
            throw new IllegalStateException("window is full");
        }
        stamps[(head + size) % stamps.length] = now;
        size++;
    }

    /** Events in the current window. */
    public synchronized int inWindow() {
        expire(clock.nanos());
        return size;
    }

    private void expire(long now) {
        while (size > 0 && now - stamps[head] >= windowNanos) {
            head = (head + 1) % stamps.length;
            size--;
        }
    }
}
