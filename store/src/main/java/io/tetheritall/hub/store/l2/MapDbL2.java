package io.tetheritall.hub.store.l2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.mapdb.DB;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.tinylog.Logger;

/**
 * L2: one MapDB file with transactions, holding codec envelopes by key.
 *
 * <p>All access goes through one monitor: a MapDB commit covers everything written since the previous one, so a
 * writer's put-and-commit must not interleave with another's half-done batch, and a recovery (close, move aside,
 * reopen) must not race a read. Reads are rare (L1 answers most), so the single lock costs little.
 *
 * <p>Broken files: {@link #open} reads every entry once (which is also the warm-up); any failure that is not an
 * I/O error (truncated file, {@code PointerChecksumBroken}, a header checksum, a format error) moves the file aside
 * and starts empty. A {@code DBException} met later does the same through {@link #recover}.
 */
public final class MapDbL2 implements AutoCloseable {
    private final Path file;
    private final boolean mmap;
    private final LongSupplier millis;
    private DB db; // guarded by this
    private HTreeMap<String, byte[]> map; // guarded by this
    private boolean closed; // guarded by this
    private final LongAdder commits = new LongAdder();
    private final AtomicLong commitNanosTotal = new AtomicLong();
    private final AtomicLong commitNanosMax = new AtomicLong();
    private final LongAdder recoveries = new LongAdder();
    private final long openMillis;
    /** Test seam: when set, every write fails as a full disk would, before MapDB is touched. */
    private volatile boolean simulateDiskFull;

    /** Opens {@code file}, handing every readable entry to {@code visitor}; a broken file is moved aside. */
    public MapDbL2(Path file, boolean mmap, LongSupplier millis, BiConsumer<String, byte[]> visitor) throws IOException {
        this.file = file;
        this.mmap = mmap;
        this.millis = millis;
        Files.createDirectories(file.toAbsolutePath().getParent());
        long t0 = System.nanoTime();
        synchronized (this) {
            List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
            try {
                openFile();
                for (Map.Entry<String, byte[]> e : map.getEntries()) {
                    entries.add(Map.entry(e.getKey(), e.getValue()));
                }
            } catch (Throwable t) {
                MapDbFiles.rethrowFatal(t);
                MapDbFiles.refuseIfInUse("L2", file, t);
                // Whatever the cause (truncated file, PointerChecksumBroken, header checksum, wrong format, an
                // unreadable disk), the hub must start: a cache can be rebuilt, a refusal to boot cannot.
                Logger.warn(t, "L2: {} does not open ({}); moving it aside", file, t.toString());
                entries.clear();
                MapDbFiles.closeQuietly(db);
                MapDbFiles.quarantine(file, millis.getAsLong());
                recoveries.increment();
                openFile();
            }
            for (Map.Entry<String, byte[]> e : entries) {
                visitor.accept(e.getKey(), e.getValue());
            }
        }
        this.openMillis = (System.nanoTime() - t0) / 1_000_000;
        Logger.info("L2: opened {} in {} ms", file, openMillis);
    }

    // guarded by this
    private void openFile() {
        DB d = MapDbFiles.openTx(file, mmap);
        try {
            map = d.hashMap("cache", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        } catch (RuntimeException e) {
            MapDbFiles.closeQuietly(d);
            throw e;
        }
        db = d;
    }

    public synchronized byte[] get(String key) {
        ensureOpen();
        if (!usable()) {
            return null;
        }
        return map.get(key);
    }

    /**
     * After a failed write MapDB's in-memory state cannot be trusted (a rollback after {@code ENOSPC} left an
     * {@code HTreeMap} whose {@code size()} threw), so the file is closed and reopened at its last commit. If even
     * that fails (the disk is still full), L2 is unavailable: reads miss, writes fail, and each later call tries
     * to reopen again.
     */
    // guarded by this
    private boolean usable() {
        if (db != null) {
            return true;
        }
        try {
            openFile();
            Logger.info("L2: {} reopened after a write failure", file);
            return true;
        } catch (RuntimeException e) {
            MapDbFiles.closeQuietly(db);
            db = null;
            map = null;
            return false;
        }
    }

    // guarded by this
    private void reopenAfterFailure(RuntimeException cause) {
        MapDbFiles.closeQuietly(db);
        db = null;
        map = null;
        if (!usable()) {
            Logger.warn("L2: {} cannot be reopened after {}; unavailable until it can", file, cause.toString());
        }
    }

    /**
     * Applies {@code puts} (a null value deletes) and commits once. On failure the transaction is rolled back and
     * the exception propagates: nothing of the batch is durable.
     */
    public synchronized void writeBatch(Map<String, byte[]> puts) {
        ensureOpen();
        if (!usable()) {
            throw new org.mapdb.DBException.VolumeIOError(new IOException("L2 file " + file + " is unavailable"));
        }
        if (simulateDiskFull) {
            throw new org.mapdb.DBException.VolumeIOError(new IOException("No space left on device (simulated)"));
        }
        try {
            for (Map.Entry<String, byte[]> e : puts.entrySet()) {
                if (e.getValue() == null) {
                    map.remove(e.getKey());
                } else {
                    map.put(e.getKey(), e.getValue());
                }
            }
            long t0 = System.nanoTime();
            db.commit();
            long dt = System.nanoTime() - t0;
            commits.increment();
            commitNanosTotal.addAndGet(dt);
            commitNanosMax.accumulateAndGet(dt, Math::max);
        } catch (RuntimeException e) {
            if (MapDbFiles.isIoFailure(e)) {
                reopenAfterFailure(e);
            } else {
                try {
                    db.rollback();
                } catch (RuntimeException r) {
                    e.addSuppressed(r);
                }
            }
            throw e;
        }
    }

    /** Removes the entries for which {@code expired} says so; one commit. Returns how many. */
    public synchronized int removeIf(java.util.function.BiPredicate<String, byte[]> expired) {
        ensureOpen();
        if (!usable()) {
            return 0;
        }
        List<String> doomed = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : map.getEntries()) {
            if (expired.test(e.getKey(), e.getValue())) {
                doomed.add(e.getKey());
            }
        }
        if (!doomed.isEmpty()) {
            Map<String, byte[]> m = new java.util.HashMap<>();
            for (String k : doomed) {
                m.put(k, null);
            }
            writeBatch(m);
        }
        return doomed.size();
    }

    /** Moves a file that broke at run time aside and starts empty; the caller rebuilds from L1. */
    public synchronized void recover(Throwable cause) throws IOException {
        Logger.warn(cause, "L2: {} broke at run time; moving it aside and rebuilding from L1", file);
        MapDbFiles.closeQuietly(db);
        db = null;
        map = null;
        MapDbFiles.quarantine(file, millis.getAsLong());
        recoveries.increment();
        openFile();
    }

    /** Entries in the file; -1 if L2 is unavailable or cannot tell. */
    public synchronized int size() {
        if (closed || !usable()) {
            return -1;
        }
        try {
            return map.size();
        } catch (RuntimeException e) {
            Logger.debug(e, "L2: size failed");
            return -1;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("L2 is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            MapDbFiles.closeQuietly(db);
        }
    }

    /** See {@link io.tetheritall.hub.store.StoreMetrics}. */
    public long commits() {
        return commits.sum();
    }

    /** See {@link io.tetheritall.hub.store.StoreMetrics}. */
    public long recoveries() {
        return recoveries.sum();
    }

    /** See {@link io.tetheritall.hub.store.StoreMetrics}. */
    public long commitNanosTotal() {
        return commitNanosTotal.get();
    }

    /** See {@link io.tetheritall.hub.store.StoreMetrics}. */
    public long commitNanosMax() {
        return commitNanosMax.get();
    }

    /** How long opening (and reading) the file took. */
    public long openMillis() {
        return openMillis;
    }

    /** Test seam: from now on every write fails as a full disk would, before MapDB is touched. */
    public void simulateDiskFull(boolean on) {
        simulateDiskFull = on;
    }
}
