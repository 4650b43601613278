package io.tetheritall.hub.daemon.uplink.mqtt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bounded {@link Outbox} in memory: for tests, and as a fallback when no store is configured (it
 * does not survive a restart). Refuses new entries when full rather than dropping queued ones, so
 * the oldest messages, which are already promised, are the ones kept.
 */
public final class InMemoryOutbox implements Outbox {
    private final int capacity;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final Map<String, Long> bySupersedeKey = new HashMap<>();
    private long nextId = 1;
    private long refused;
    private long superseded;

    public InMemoryOutbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized long append(String kind, String supersedeKey, String topic, byte[] payload, int qos,
                                    boolean retain) {
        if (supersedeKey != null) {
            Long old = bySupersedeKey.remove(supersedeKey);
            if (old != null && entries.remove(old) != null) {
                superseded++;
            }
        }
        if (entries.size() >= capacity) {
            refused++;
            return -1;
        }
        long id = nextId++;
        entries.put(id, new Entry(id, kind, supersedeKey, topic, payload.clone(), qos, retain));
        if (supersedeKey != null) {
            bySupersedeKey.put(supersedeKey, id);
        }
        return id;
    }

    @Override
    public synchronized List<Entry> peekBatch(int max) {
        List<Entry> out = new ArrayList<>(Math.min(max, entries.size()));
        for (Entry e : entries.values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized void ack(long upToId) {
        for (Iterator<Entry> it = entries.headMap(upToId, true).values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.supersedeKey() != null) {
                bySupersedeKey.remove(e.supersedeKey(), e.id());
            }
            it.remove();
        }
    }

    @Override
    public synchronized int size() {
        return entries.size();
    }

    @Override
    public synchronized java.util.Set<String> queuedKeys() {
        return java.util.Set.copyOf(bySupersedeKey.keySet());
    }

    /** Messages refused because the outbox was full. */
    public synchronized long refused() {
        return refused;
    }

    /** Queued messages replaced by a newer one with the same key. */
    public synchronized long superseded() {
        return superseded;
    }
}
