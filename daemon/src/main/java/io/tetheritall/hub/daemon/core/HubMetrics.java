package io.tetheritall.hub.daemon.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hub core's counters, e.g. {@code frames.dropped.truncated}, {@code frames.dropped.unknown_device},
 * {@code interview.failed}. Thread-safe; {@link #snapshot()} is JSON-ready for the health endpoint
 * (the daemon may bind these to Micrometer).
 */
public final class HubMetrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void increment(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** Counts a dropped frame or attribute by reason. */
    public void dropped(String reason) {
        increment("frames.dropped." + reason);
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
