package io.tetheritall.hub.store;

import io.tetheritall.hub.store.codec.CorruptValueException;
import io.tetheritall.hub.store.codec.ValueCodec;
import io.tetheritall.hub.store.l1.OffHeapL1;
import io.tetheritall.hub.store.l2.MapDbFiles;
import io.tetheritall.hub.store.l2.MapDbL2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.tinylog.Logger;

/**
 * The hub's cache: one API over an off-heap L1 (Chronicle Map) and an on-disk L2 (MapDB).
 *
 * <pre>
 *   get ──► L1 (off-heap, sampled LRU/LFU/TTL eviction) ──miss──► write-behind buffer ──► L2 file (MapDB, tx)
 *                 ▲                                                                        │
 *                 └─────────────────────── promote on L2 hit; warm at open ────────────────┘
 *   put ──► L1 ──► WRITE_BEHIND: buffer, one writer thread, debounce + max deferral, one commit per batch
 *              └─► WRITE_THROUGH: put + commit before returning
 * </pre>
 *
 * <p><b>Values</b> are bytes, wrapped by {@link ValueCodec} (version, expiry, optional LZ4). A value that no longer
 * decodes is a miss, counted in {@link StoreMetrics#decodeFailures()}, and dropped.
 *
 * <p><b>Layers</b>: every call may name a {@link Layer}; calls that do not use the key's {@link KeyspacePolicy}
 * (configured per keyspace, the key text before its first {@code ':'}). An L2-only write removes the key from L1 so
 * that L1 never serves a value older than L2's; an L1-only write leaves L2 alone.
 *
 * <p><b>TTL</b>: {@code null} means the configured default, {@link Duration#ZERO} means "never expires". Expired
 * entries are misses at once and removed by {@link #cleanExpired()}, which a named background thread runs every
 * {@link StoreConfig#cleanerInterval()}.
 *
 * <p><b>Durability</b>: a write-behind value reaches disk within {@link StoreConfig#writeBehindMaxDeferral()} (the
 * writer runs {@link #flushDue()}); a crash loses at most that window. A write-through value is committed when
 * the call returns. {@link #close()} flushes everything.
 *
 * <p><b>Failures</b>: a broken L2 file is moved aside at open or when met at run time, and L2 is rebuilt from
 * L1; the hub never refuses to start because of its cache. A disk that refuses writes (full) makes write-through
 * calls throw {@link StoreWriteException} and keeps write-behind values buffered for a retry; reads keep
 * working. Thread-safe.
 */
public final class TieredCache implements AutoCloseable {
    /** File name of L2 inside the state folder. */
    public static final String L2_FILE = "cache-l2.db";

    private final StoreConfig config;
    private final StoreClock clock;
    private final ValueCodec codec;
    private final OffHeapL1 l1;
    private final MapDbL2 l2;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> inflight = new ConcurrentHashMap<>();
    private final List<ScheduledExecutorService> threads = new ArrayList<>();
    private volatile boolean closed;

    private final LongAdder l1Hits = new LongAdder();
    private final LongAdder l1Misses = new LongAdder();
    private final LongAdder l2Hits = new LongAdder();
    private final LongAdder l2Misses = new LongAdder();
    private final LongAdder l2Expired = new LongAdder();
    private final LongAdder decodeFailures = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder sharedLoads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final AtomicLong loadNanosTotal = new AtomicLong();
    private final AtomicLong loadNanosMax = new AtomicLong();
    private final LongAdder l2WriteFailures = new LongAdder();
    private final long warmed;

    /** A write waiting for the writer; {@code envelope == null} is a delete. */
    private record Pending(byte[] envelope, long firstDirty, long lastWrite) {
    }

    private TieredCache(StoreConfig config, StoreClock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.codec = new ValueCodec(config.compressionEnabled(), config.compressionThreshold());
        this.l1 = new OffHeapL1(config.maxEntries(), config.maxBytes(), config.evictionPolicy(),
                config.averageKeyBytes(), config.averageValueBytes());
        long[] warmedCount = {0};
        List<String> undecodable = new ArrayList<>();
        long now = clock.millis();
        try {
            this.l2 = new MapDbL2(config.stateDir().resolve(L2_FILE), config.l2Mmap(), clock::millis, (key, env) -> {
                long exp;
                try {
                    exp = ValueCodec.expiresAt(env, 0);
                } catch (CorruptValueException e) {
                    decodeFailures.increment();
                    undecodable.add(key);
                    return;
                }
                if (!ValueCodec.isExpired(exp, now) && config.policyFor(key).layer().usesL1()
                        && !l1.isFull(env.length)) {
                    if (l1.put(key, env, exp, now)) {
                        warmedCount[0]++;
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            l1.close();
            throw e;
        }
        this.warmed = warmedCount[0];
        for (String k : undecodable) {
            pending.put(k, new Pending(null, now, now)); // delete through the writer
        }
        Logger.info("store: L1 warmed with {} entries from L2 ({} undecodable dropped)", warmed, undecodable.size());
        if (config.backgroundThreads()) {
            long periodMs = Math.max(50, Math.min(1000, config.writeBehindDebounce().toMillis() / 4));
            schedule("store-writer", periodMs, this::flushDue);
            schedule("store-cleaner", config.cleanerInterval().toMillis(), this::cleanExpired);
        }
    }

    /** Opens the store under {@link StoreConfig#stateDir()} with the system clock. */
    public static TieredCache open(StoreConfig config) throws IOException {
        return open(config, StoreClock.system());
    }

    /**
     * Creates L1 (Chronicle Map, about 2 s), opens L2 (moving a broken file aside), warms L1 from L2 and, if
     * configured, starts the writer and cleaner threads.
     *
     * @throws IOException if the state folder cannot be created or a broken file cannot be moved
     */
    public static TieredCache open(StoreConfig config, StoreClock clock) throws IOException {
        return new TieredCache(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    private void schedule(String name, long periodMs, Runnable task) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        ex.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                Logger.error(e, "{}: task failed; will run again", name);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        threads.add(ex);
    }

    // ---------------------------------------------------------------------------------------------- reads

    /** The value of {@code key} through the key's default layers. */
    public Optional<byte[]> get(String key) {
        return get(key, config.policyFor(key).layer());
    }

    /** The value of {@code key} in {@code layer}; with {@link Layer#BOTH} an L2 hit is promoted to L1. */
    public Optional<byte[]> get(String key, Layer layer) {
        return Optional.ofNullable(lookup(key, layer, true));
    }

    private byte[] lookup(String key, Layer layer, boolean count) {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        long now = clock.millis();
        if (layer.usesL1()) {
            byte[] raw = l1.get(key, now);
            if (raw != null) {
                try {
                    if (ValueCodec.isExpired(ValueCodec.expiresAt(raw, 4), now)) {
                        l1.expire(key);
                    } else {
                        byte[] v = codec.decode(raw, 4);
                        if (count) {
                            l1Hits.increment();
                        }
                        return v;
                    }
                } catch (CorruptValueException e) {
                    decodeFailures.increment();
                    Logger.debug("L1: {} does not decode ({}); dropped", key, e.getMessage());
                    l1.remove(key);
                }
            }
            if (count) {
                l1Misses.increment();
            }
        }
        if (layer.usesL2()) {
            byte[] env = readL2(key);
            if (env != null) {
                try {
                    long exp = ValueCodec.expiresAt(env, 0);
                    if (!ValueCodec.isExpired(exp, now)) {
                        byte[] v = codec.decode(env, 0);
                        if (count) {
                            l2Hits.increment();
                        }
                        if (layer == Layer.BOTH) {
                            l1.put(key, env, exp, now);
                        }
                        return v;
                    }
                } catch (CorruptValueException e) {
                    decodeFailures.increment();
                    Logger.debug("L2: {} does not decode ({}); dropped", key, e.getMessage());
                    pending.putIfAbsent(key, new Pending(null, now, now));
                }
            }
            if (count) {
                l2Misses.increment();
            }
        }
        return null;
    }

    /** The envelope in the write-behind buffer or the L2 file; null if absent, deleted, or L2 unreadable. */
    private byte[] readL2(String key) {
        Pending p = pending.get(key);
        if (p != null) {
            return p.envelope();
        }
        try {
            return l2.get(key);
        } catch (RuntimeException e) { // MapDB on a damaged file throws DBException, but also IOOBE, NASE, ...
            if (MapDbFiles.isIoFailure(e)) {
                Logger.warn(e, "L2: read of {} failed", key);
            } else {
                recoverL2(e);
            }
            return null;
        }
    }

    // --------------------------------------------------------------------------------------------- writes

    /** Stores {@code value} with the default TTL in the key's default layers and write mode. */
    public void put(String key, byte[] value) {
        put(key, value, null);
    }

    /** Stores {@code value} with {@code ttl} (null = default, ZERO = never) in the key's default layers. */
    public void put(String key, byte[] value, Duration ttl) {
        KeyspacePolicy p = config.policyFor(key);
        write(key, value, ttl, p.layer(), p.writeMode());
    }

    /** Stores {@code value} in {@code layer}, with the key's default write mode. */
    public void put(String key, byte[] value, Duration ttl, Layer layer) {
        write(key, value, ttl, layer, config.policyFor(key).writeMode());
    }

    /**
     * Stores {@code value} in L1 and L2 and commits L2 before returning (device registry changes).
     *
     * @throws StoreWriteException if the disk refused the write; L1 is then left unchanged
     */
    public void putDurable(String key, byte[] value, Duration ttl) {
        write(key, value, ttl, Layer.BOTH, WriteMode.WRITE_THROUGH);
    }

    private void write(String key, byte[] value, Duration ttl, Layer layer, WriteMode mode) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(layer, "layer");
        ensureOpen();
        long now = clock.millis();
        Duration t = ttl == null ? config.defaultTtl() : ttl;
        if (t.isNegative()) {
            throw new IllegalArgumentException("ttl must be zero or positive, but was " + ttl);
        }
        long exp = t.isZero() ? 0 : now + t.toMillis();
        byte[] env = codec.encode(value, exp);
        if (layer.usesL2()) {
            if (mode == WriteMode.WRITE_THROUGH) {
                writeThrough(key, env);
            } else {
                pending.compute(key, (k, old) -> new Pending(env, old == null ? now : old.firstDirty(), now));
            }
        }
        if (layer.usesL1()) {
            l1.put(key, env, exp, now);
        } else {
            l1.remove(key);
        }
    }

    private void writeThrough(String key, byte[] envelope) {
        Map<String, byte[]> one = new LinkedHashMap<>();
        one.put(key, envelope);
        synchronized (l2) {
            // Under the L2 monitor, so that an older buffered value cannot be written after this one.
            Pending older = pending.remove(key);
            try {
                commitWithRecovery(one);
            } catch (RuntimeException e) {
                if (older != null) {
                    pending.putIfAbsent(key, older);
                }
                throw failed("write-through of " + key, e);
            }
        }
    }

    /** Removes {@code key} from both layers (L2 through the key's write mode). Returns true if L1 held it. */
    public boolean invalidate(String key) {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        boolean had = l1.remove(key);
        KeyspacePolicy p = config.policyFor(key);
        if (p.layer().usesL2()) { // an L1-only keyspace never wrote to L2
            long now = clock.millis();
            if (p.writeMode() == WriteMode.WRITE_THROUGH) {
                Map<String, byte[]> one = new LinkedHashMap<>();
                one.put(key, null);
                synchronized (l2) {
                    pending.remove(key);
                    try {
                        commitWithRecovery(one);
                    } catch (RuntimeException e) {
                        throw failed("invalidation of " + key, e);
                    }
                }
            } else {
                pending.compute(key, (k, old) -> new Pending(null, old == null ? now : old.firstDirty(), now));
            }
        }
        return had;
    }

    // ------------------------------------------------------------------------------------------- getOrLoad

    /** {@link #getOrLoad(String, CacheLoader, Duration, Layer)} in the key's default layers. */
    public byte[] getOrLoad(String key, CacheLoader loader, Duration ttl) {
        return getOrLoad(key, loader, ttl, config.policyFor(key).layer());
    }

    /**
     * The cached value of {@code key}, or the loader's, which is then cached with {@code ttl}. Callers that ask for
     * the same missing key at the same time share one load (single flight): one runs the loader in its own thread,
     * the others wait for its result or its exception. Nothing is cached if the loader returns null or throws.
     *
     * @return the value, or null if the loader returned null
     * @throws CacheLoadException wrapping a checked exception of the loader (runtime exceptions pass as they are)
     */
    public byte[] getOrLoad(String key, CacheLoader loader, Duration ttl, Layer layer) {
        Objects.requireNonNull(loader, "loader");
        byte[] v = lookup(key, layer, true);
        if (v != null) {
            return v;
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> theirs = inflight.putIfAbsent(key, mine);
        if (theirs != null) {
            sharedLoads.increment();
            try {
                return theirs.join();
            } catch (CompletionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new CacheLoadException("loading " + key + " failed", c);
            }
        }
        try {
            // A load may have completed between our miss and our claim: look again before loading.
            v = lookup(key, layer, false);
            if (v == null) {
                long t0 = System.nanoTime();
                try {
                    v = loader.load(key);
                } finally {
                    long dt = System.nanoTime() - t0;
                    loads.increment();
                    loadNanosTotal.addAndGet(dt);
                    loadNanosMax.accumulateAndGet(dt, Math::max);
                }
                if (v != null) {
                    try {
                        write(key, v, ttl, layer, config.policyFor(key).writeMode());
                    } catch (StoreWriteException e) {
                        // Counted and logged by write(); the callers still get the value they asked for.
                        Logger.debug("getOrLoad: {} loaded but not stored durably", key);
                    }
                }
            }
            mine.complete(v);
            return v;
        } catch (RuntimeException | Error e) {
            loadFailures.increment();
            mine.completeExceptionally(e);
            throw e;
        } catch (Exception e) {
            loadFailures.increment();
            mine.completeExceptionally(e);
            throw new CacheLoadException("loading " + key + " failed", e);
        } finally {
            inflight.remove(key, mine);
        }
    }

    // ------------------------------------------------------------------------------------- background steps

    /**
     * Writes every buffered key that is due: quiet for the debounce, or dirty for the maximum deferral. One batch,
     * one commit. The writer thread calls this; tests call it directly. Returns the number of keys written.
     */
    public int flushDue() {
        long now = clock.millis();
        long debounce = config.writeBehindDebounce().toMillis();
        long maxDefer = config.writeBehindMaxDeferral().toMillis();
        return flush(p -> now - p.lastWrite() >= debounce || now - p.firstDirty() >= maxDefer);
    }

    /** Writes every buffered key now, due or not (shutdown, tests). Returns the number of keys written. */
    public int flushAll() {
        return flush(p -> true);
    }

    private int flush(java.util.function.Predicate<Pending> due) {
        if (pending.isEmpty() || closed) {
            return 0;
        }
        synchronized (l2) {
            Map<String, byte[]> batch = new LinkedHashMap<>();
            Map<String, Pending> taken = new LinkedHashMap<>();
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                Pending p = e.getValue();
                if (due.test(p) && pending.remove(e.getKey(), p)) {
                    batch.put(e.getKey(), p.envelope());
                    taken.put(e.getKey(), p);
                }
            }
            if (batch.isEmpty()) {
                return 0;
            }
            try {
                commitWithRecovery(batch);
                return batch.size();
            } catch (RuntimeException e) {
                // Keep them for the next round unless a newer write arrived meanwhile.
                taken.forEach(pending::putIfAbsent);
                l2WriteFailures.increment();
                Logger.warn("L2: write-behind of {} keys failed ({}); {} keys buffered for a retry", batch.size(),
                        e.toString(), pending.size());
                return 0;
            }
        }
    }

    /**
     * Drops expired entries from L1 and L2 (and L2 entries that no longer decode). The cleaner thread calls this;
     * tests call it directly. Returns the number of entries removed.
     */
    public int cleanExpired() {
        if (closed) {
            return 0;
        }
        long now = clock.millis();
        int n = l1.sweepExpired(now);
        try {
            int m = l2.removeIf((k, env) -> {
                try {
                    return ValueCodec.isExpired(ValueCodec.expiresAt(env, 0), now);
                } catch (CorruptValueException e) {
                    decodeFailures.increment();
                    return true;
                }
            });
            l2Expired.add(m);
            n += m;
        } catch (RuntimeException e) {
            if (MapDbFiles.isIoFailure(e)) {
                l2WriteFailures.increment();
                Logger.warn("L2: expiry sweep failed: {}", e.toString());
            } else {
                recoverL2(e);
            }
        }
        return n;
    }

    // guarded by l2
    private void commitWithRecovery(Map<String, byte[]> batch) {
        try {
            l2.writeBatch(batch);
        } catch (RuntimeException e) {
            if (MapDbFiles.isIoFailure(e) || e instanceof IllegalStateException) {
                throw e;
            }
            recoverL2(e); // the file is broken, not the disk: start afresh and write the batch there
            l2.writeBatch(batch);
        }
    }

    /** Moves the broken L2 file aside, starts empty, and queues L1's content to be written back. */
    private void recoverL2(Throwable cause) {
        synchronized (l2) {
            try {
                l2.recover(cause);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the broken L2 file aside", e);
            }
            long now = clock.millis();
            int[] n = {0};
            l1.forEach((k, raw) -> {
                if (config.policyFor(k).layer().usesL2()) {
                    pending.putIfAbsent(k, new Pending(java.util.Arrays.copyOfRange(raw, 4, raw.length), now, now));
                    n[0]++;
                }
            });
            Logger.warn("L2: rebuilding from L1 with {} entries", n[0]);
        }
    }

    private StoreWriteException failed(String what, RuntimeException e) {
        l2WriteFailures.increment();
        String hint = MapDbFiles.isIoFailure(e) ? " (disk full or I/O error)" : "";
        Logger.warn("L2: {} failed{}: {}", what, hint, e.toString());
        return new StoreWriteException("L2 " + what + " failed" + hint + ": " + e.getMessage(), e);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }

    // ----------------------------------------------------------------------------------------------- misc

    /** A snapshot of the counters and gauges. */
    public StoreMetrics metrics() {
        return new StoreMetrics(l1Hits.sum(), l1Misses.sum(), l2Hits.sum(), l2Misses.sum(),
                l1.evictedSize(), l1.evictedBytes(), l1.evictedExpired(), l2Expired.sum(),
                l1.rejected(), l1.count(), l1.bytes(), closed ? 0 : l1.offHeapBytes(), l2.size(),
                codec.compressedValues(), codec.compressionRatio(), decodeFailures.sum(),
                loads.sum(), sharedLoads.sum(), loadFailures.sum(), loadNanosTotal.get(), loadNanosMax.get(),
                pending.size(), l2.commits(), l2.commitNanosTotal(), l2.commitNanosMax(),
                l2WriteFailures.sum(), l2.recoveries(), warmed, l1.createMillis(), l2.openMillis());
    }

    /** For tests in this package: the L2 layer (its disk-full seam). */
    MapDbL2 l2ForTests() {
        return l2;
    }

    /** The configuration this store was opened with. */
    public StoreConfig config() {
        return config;
    }

    /** Stops the background threads, writes everything buffered, and closes both layers. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (ScheduledExecutorService ex : threads) {
            ex.shutdown();
        }
        for (ScheduledExecutorService ex : threads) {
            try {
                ex.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int n = flushAll();
        if (!pending.isEmpty()) {
            Logger.warn("store: closing with {} buffered writes that could not be written", pending.size());
        }
        closed = true;
        l2.close();
        l1.close();
        Logger.info("store: closed ({} buffered writes flushed)", n);
    }
}
