package io.tetheritall.hub.store.l1;

import io.tetheritall.hub.store.codec.ValueCodec;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import net.openhft.chronicle.map.ChronicleMap;
import org.tinylog.Logger;

/**
 * L1: an off-heap Chronicle Map with the eviction Chronicle Map does not have.
 *
 * <h2>Slots</h2>
 * Every resident key owns a <em>slot</em> in {@code [0, maxEntries)}; the slot number is stored in the first four
 * bytes of the key's off-heap value, in front of the codec envelope. Per-slot bookkeeping lives in small on-heap
 * arrays: last access (an {@link AtomicLongArray}), an LFU counter (an {@link AtomicIntegerArray}), the key, and,
 * guarded by the write lock, the stored size and the expiry. 10,000 slots cost about 200 KB of heap.
 *
 * <h2>Read path</h2>
 * A read is one Chronicle lookup plus, for LRU, a {@code lazySet} of the slot's access stamp (skipped when the
 * stamp already holds the current millisecond), and for LFU a probabilistic counter bump. No lock, no allocation
 * besides the value copy, no queue: the bookkeeping stays off the read path as far as it can. A read that races
 * with the slot being reused stamps the wrong slot; that only makes the approximation a bit less exact.
 *
 * <h2>Eviction (writes only, under one lock)</h2>
 * When a put would exceed {@code maxEntries} or {@code maxBytes}, a victim is chosen by <em>sampling</em>, as
 * Redis does for {@code allkeys-lru}/{@code allkeys-lfu}: draw {@value #SAMPLES} random occupied slots and evict
 * the worst by the policy:
 * <ul>
 *   <li>any sampled entry that is already expired is taken first (cause EXPIRED);</li>
 *   <li>LRU: the oldest access stamp;</li>
 *   <li>LFU: the lowest counter. The counter is Redis's logarithmic one: it starts at {@value #LFU_INIT}, an access
 *       increments it with probability {@code 1 / ((c - LFU_INIT) * 10 + 1)} (so 255 means about a million hits),
 *       and it decays by one per {@value #LFU_DECAY_MS} ms without access, so yesterday's favourite can leave;</li>
 *   <li>TTL: the soonest expiry (never-expiring entries last).</li>
 * </ul>
 * With 8 samples the victim is, with probability 1 - (1 - q)^8, in the worst fraction q of the cache (57% for the
 * worst 10%): plenty for a hub whose hot set (device states) is far smaller than the cache.
 */
public final class OffHeapL1 implements AutoCloseable {
    static final int SAMPLES = 8;
    static final int LFU_INIT = 5;
    static final long LFU_DECAY_MS = 60_000;
    private static final int MAX_PUT_RETRIES = 4;

    enum Cause { SIZE, BYTES, EXPIRED }

    private final ChronicleMap<String, byte[]> map;
    private final int capacity;
    private final long maxBytes;
    private final EvictionPolicy policy;
    private final AtomicReferenceArray<String> slotKeys;
    private final AtomicLongArray lastAccess;
    private final AtomicIntegerArray freq;
    private final long[] expiries; // guarded by lock
    private final int[] sizes; // guarded by lock
    private final int[] free; // guarded by lock
    private int freeTop; // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Picks eviction samples; guarded by {@link #lock}. Seeded, so the same sequence of operations evicts the
     * same entries on every run (eviction quality does not need unpredictable numbers, and tests of the
     * policy must not depend on luck).
     */
    private final java.util.SplittableRandom sampler = new java.util.SplittableRandom(0x5EED_CAC4EL);
    private volatile int count; // written under lock
    private volatile long bytes; // written under lock
    private final long createMillis;
    private final LongAdder evictedSize = new LongAdder();
    private final LongAdder evictedBytes = new LongAdder();
    private final LongAdder evictedExpired = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    public OffHeapL1(int maxEntries, long maxBytes, EvictionPolicy policy, int averageKeyBytes, int averageValueBytes) {
        this.capacity = maxEntries;
        this.maxBytes = maxBytes;
        this.policy = policy;
        // Size Chronicle from the config: the typical value, but no more than the byte bound allows per entry;
        // larger values use more chunks, and maxBloatFactor leaves room.
        long avgValue = Math.max(16, Math.min(maxBytes / maxEntries, averageValueBytes)) + 4 + ValueCodec.HEADER;
        if (!"true".equals(System.getProperty("chronicle.analytics.disable"))) {
            // A home hub never phones home. Set before Chronicle's classes initialise; the launcher should set it.
            System.setProperty("chronicle.analytics.disable", "true");
            Logger.warn("L1: -Dchronicle.analytics.disable=true was missing; set it now, before Chronicle loads");
        }
        long t0 = System.nanoTime();
        this.map = ChronicleMap.of(String.class, byte[].class)
                .name("hub-l1")
                .entries(maxEntries)
                .averageKeySize(averageKeyBytes)
                .averageValueSize(avgValue)
                .maxBloatFactor(4.0)
                .create();
        this.createMillis = (System.nanoTime() - t0) / 1_000_000;
        Logger.info("L1: Chronicle Map for {} entries / {} bytes created in {} ms", maxEntries, maxBytes, createMillis);
        this.slotKeys = new AtomicReferenceArray<>(maxEntries);
        this.lastAccess = new AtomicLongArray(maxEntries);
        this.freq = new AtomicIntegerArray(maxEntries);
        this.expiries = new long[maxEntries];
        this.sizes = new int[maxEntries];
        this.free = new int[maxEntries];
        for (int i = 0; i < maxEntries; i++) {
            free[i] = maxEntries - 1 - i;
        }
        this.freeTop = maxEntries;
    }

    /** The raw stored value ({@code [slot][envelope]}, envelope at offset 4) or null; records the access. */
    public byte[] get(String key, long now) {
        byte[] raw = map.get(key);
        if (raw != null && raw.length >= 4) {
            touch(slotOf(raw), now);
        }
        return raw;
    }

    private void touch(int slot, long now) {
        if (slot < 0 || slot >= capacity) {
            return;
        }
        long prev = lastAccess.get(slot);
        if (policy == EvictionPolicy.LFU) {
            int c = decayed(freq.get(slot), prev, now);
            if (c < 255) {
                double p = 1.0 / ((Math.max(0, c - LFU_INIT)) * 10 + 1);
                if (ThreadLocalRandom.current().nextDouble() < p) {
                    c++;
                }
            }
            freq.lazySet(slot, c);
        }
        if (prev != now) {
            lastAccess.lazySet(slot, now);
        }
    }

    private static int decayed(int c, long last, long now) {
        long periods = (now - last) / LFU_DECAY_MS;
        return periods <= 0 ? c : (int) Math.max(0, c - periods);
    }

    /**
     * Stores {@code envelope} under {@code key}, evicting as needed. Returns false (and counts a rejection) if it
     * cannot fit at all: bigger than {@code maxBytes}, or Chronicle's segments are full even after evicting.
     */
    public boolean put(String key, byte[] envelope, long expiresAt, long now) {
        int size = envelope.length;
        if (size > maxBytes) {
            remove(key);
            rejected.increment();
            return false;
        }
        lock.lock();
        try {
            byte[] old = map.get(key);
            int slot;
            boolean fresh;
            if (old != null) {
                slot = slotOf(old);
                bytes -= sizes[slot];
                sizes[slot] = 0;
                fresh = false;
            } else {
                while (count >= capacity) {
                    evictOne(Cause.SIZE, now, -1);
                }
                slot = free[--freeTop];
                slotKeys.set(slot, key);
                count++;
                fresh = true;
            }
            while (bytes + size > maxBytes && count > 1) {
                evictOne(Cause.BYTES, now, slot);
            }
            byte[] raw = new byte[4 + size];
            raw[0] = (byte) (slot >>> 24);
            raw[1] = (byte) (slot >>> 16);
            raw[2] = (byte) (slot >>> 8);
            raw[3] = (byte) slot;
            System.arraycopy(envelope, 0, raw, 4, size);
            for (int attempt = 0; ; attempt++) {
                try {
                    map.put(key, raw);
                    break;
                } catch (IllegalStateException full) {
                    // Chronicle's segment for this key is out of chunks (values far above the sizing average).
                    if (attempt >= MAX_PUT_RETRIES || count <= 1) {
                        Logger.debug(full, "L1: no room for {} ({} bytes)", key, size);
                        freeSlot(slot);
                        map.remove(key);
                        rejected.increment();
                        return false;
                    }
                    evictOne(Cause.BYTES, now, slot);
                }
            }
            sizes[slot] = size;
            expiries[slot] = expiresAt;
            lastAccess.set(slot, now);
            if (fresh) {
                freq.set(slot, LFU_INIT);
            }
            bytes += size;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code key}; true if it was resident. */
    public boolean remove(String key) {
        lock.lock();
        try {
            byte[] raw = map.remove(key);
            if (raw == null) {
                return false;
            }
            int slot = slotOf(raw);
            bytes -= sizes[slot];
            freeSlot(slot);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code key} because it expired (counted as such). */
    public void expire(String key) {
        if (remove(key)) {
            evictedExpired.increment();
        }
    }

    /** Drops every expired entry; returns how many. Locks in chunks so puts are not held up for long. */
    public int sweepExpired(long now) {
        int n = 0;
        for (int start = 0; start < capacity; start += 256) {
            lock.lock();
            try {
                for (int i = start, end = Math.min(capacity, start + 256); i < end; i++) {
                    String k = slotKeys.get(i);
                    if (k != null && ValueCodec.isExpired(expiries[i], now)) {
                        byte[] raw = map.remove(k);
                        bytes -= sizes[i];
                        freeSlot(i);
                        evictedExpired.increment();
                        n++;
                        if (raw == null) {
                            Logger.warn("L1: slot {} named {} which was not in the map", i, k);
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        return n;
    }

    // guarded by lock
    private void freeSlot(int slot) {
        slotKeys.set(slot, null);
        sizes[slot] = 0;
        expiries[slot] = 0;
        free[freeTop++] = slot;
        count--;
    }

    // guarded by lock; count > 0
    private void evictOne(Cause cause, long now, int exclude) {
        java.util.SplittableRandom rnd = sampler;
        int victim = -1;
        boolean expired = false;
        int found = 0;
        for (int draw = 0; draw < SAMPLES * 4 && found < SAMPLES; draw++) {
            int i = rnd.nextInt(capacity);
            if (i == exclude || slotKeys.get(i) == null) {
                continue;
            }
            found++;
            if (ValueCodec.isExpired(expiries[i], now)) {
                victim = i;
                expired = true;
                break;
            }
            if (victim < 0 || worse(i, victim, now)) {
                victim = i;
            }
        }
        if (victim < 0) { // sparse table (few large values): scan from a random point
            int start = rnd.nextInt(capacity);
            for (int j = 0; j < capacity && victim < 0; j++) {
                int i = (start + j) % capacity;
                if (i != exclude && slotKeys.get(i) != null) {
                    victim = i;
                }
            }
            if (victim < 0) {
                throw new IllegalStateException("L1 eviction found no victim with count " + count);
            }
        }
        String key = slotKeys.get(victim);
        map.remove(key);
        bytes -= sizes[victim];
        freeSlot(victim);
        (expired ? evictedExpired : cause == Cause.SIZE ? evictedSize : evictedBytes).increment();
    }

    /** True if slot {@code a} is a better victim than slot {@code b}. */
    private boolean worse(int a, int b, long now) {
        switch (policy) {
            case LFU: {
                int fa = decayed(freq.get(a), lastAccess.get(a), now);
                int fb = decayed(freq.get(b), lastAccess.get(b), now);
                if (fa != fb) {
                    return fa < fb;
                }
                return lastAccess.get(a) < lastAccess.get(b);
            }
            case TTL: {
                long ea = expiries[a] == 0 ? Long.MAX_VALUE : expiries[a];
                long eb = expiries[b] == 0 ? Long.MAX_VALUE : expiries[b];
                if (ea != eb) {
                    return ea < eb;
                }
                return lastAccess.get(a) < lastAccess.get(b);
            }
            default:
                return lastAccess.get(a) < lastAccess.get(b);
        }
    }

    private static int slotOf(byte[] raw) {
        return ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
    }

    /** Visits every resident entry (raw values, envelope at offset 4). Weakly consistent. */
    public void forEach(BiConsumer<String, byte[]> visitor) {
        map.forEach(visitor);
    }

    public boolean isFull(int extraBytes) {
        return count >= capacity || bytes + extraBytes > maxBytes;
    }

    public int count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    public long offHeapBytes() {
        return map.offHeapMemoryUsed();
    }

    @Override
    public void close() {
        map.close();
    }

    /** See {@link io.tetheritall.hub.store.StoreMetrics}. */
    public long evictedSize() {
        return evictedSize.sum();
    }

    /** See {@link io.tetheritall.hub.store.StoreMetrics}. */
    public long evictedBytes() {
        return evictedBytes.sum();
    }

    /** See {@link io.tetheritall.hub.store.StoreMetrics}. */
    public long evictedExpired() {
        return evictedExpired.sum();
    }

    /** See {@link io.tetheritall.hub.store.StoreMetrics}. */
    public long rejected() {
        return rejected.sum();
    }

    /** How long creating the map took (code generation included). */
    public long createMillis() {
        return createMillis;
    }
}
