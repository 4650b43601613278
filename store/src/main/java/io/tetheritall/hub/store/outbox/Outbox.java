package io.tetheritall.hub.store.outbox;

import io.tetheritall.hub.store.StoreClock;
import io.tetheritall.hub.store.StoreConfig;
import io.tetheritall.hub.store.StoreWriteException;
import io.tetheritall.hub.store.l2.MapDbFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mapdb.Atomic;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.Serializer;
import org.tinylog.Logger;

/**
 * A persistent FIFO of the messages the hub owes its uplink while the broker is unreachable (MapDB, one file,
 * transactions on, every change committed before the call returns).
 *
 * <h2>Delivery rule: at least once, in order, no holes</h2>
 * <ul>
 *   <li>{@link #append} returns only once the message is committed; a message whose append returned survives a
 *       restart and a kill -9.</li>
 *   <li>{@link #readBatch} does not remove anything: messages read but not {@link #acknowledge acknowledged} before
 *       a crash (or a broker drop) are read again. This is the one way a message can be delivered twice, so the
 *       receiver deduplicates by {@link OutboxEntry#seq()} if it cares.</li>
 *   <li>{@link #acknowledge} commits before returning; an acknowledged message never comes back.</li>
 *   <li>Messages are read in append order. Sequence numbers are never reused (the counter is persisted). Between
 *       two queued messages, a missing number means one of the counted, logged removals below, never a loss.</li>
 * </ul>
 *
 * <h2>Supersede</h2>
 * {@code append(kind, supersedeKey, payload)} with a non-null key removes the queued message with the same key
 * (counted as superseded) in the same transaction and appends the new one at the tail: a device's state queued
 * twenty times during an outage is sent once, newest value, in the position of its latest change.
 *
 * <h2>When full</h2>
 * Bounded by {@link StoreConfig#outboxMaxCount()} and {@link StoreConfig#outboxMaxBytes()}. To make room it drops
 * the <em>oldest telemetry</em> first; only when no telemetry is queued does it drop the oldest event or response.
 * Every drop is counted ({@link OutboxMetrics#droppedTelemetry()}, {@link OutboxMetrics#droppedOther()}) and logged
 * (WARN at the 1st, 10th, 100th, ... drop; DEBUG otherwise). Nothing is dropped silently.
 *
 * <p>A broken file is moved aside at open ({@code outbox.db.corrupt-<millis>}) and the outbox starts empty, with a
 * WARN. Thread-safe (one monitor; the outbox is not on any hot path).
 */
public final class Outbox implements AutoCloseable {
    /** File name inside the state folder. */
    public static final String FILE = "outbox.db";
    private static final byte RECORD_VERSION = 1;

    private record Meta(MessageKind kind, String supersedeKey, int bytes) {
    }

    private final Path file;
    private final StoreConfig config;
    private final StoreClock clock;
    private DB db;
    private BTreeMap<Long, byte[]> queue;
    private Atomic.Long nextSeq;
    private final TreeMap<Long, Meta> index = new TreeMap<>();
    private final TreeSet<Long> telemetry = new TreeSet<>();
    private final Map<String, Long> bySupersede = new HashMap<>();
    private long bytes;
    private boolean closed;
    private long appended;
    private long acknowledged;
    private long superseded;
    private long droppedTelemetry;
    private long droppedOther;
    private long undecodable;
    private long writeFailures;
    private long recoveries;
    private long lastIssued;

    private Outbox(StoreConfig config, StoreClock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.file = config.stateDir().resolve(FILE);
        Files.createDirectories(config.stateDir());
        synchronized (this) {
            try {
                openFile();
                rebuildIndex();
            } catch (Throwable t) {
                MapDbFiles.rethrowFatal(t);
                MapDbFiles.refuseIfInUse("outbox", file, t);
                Logger.warn(t, "outbox: {} does not open ({}); queued messages in it are lost", file, t.toString());
                MapDbFiles.closeQuietly(db);
                clearIndex();
                MapDbFiles.quarantine(file, clock.millis());
                recoveries++;
                openFile();
                restartSequenceAfterLoss();
            }
        }
        Logger.info("outbox: {} messages queued ({} bytes), next seq {}", index.size(), bytes, nextSeq.get());
    }

    /** Opens (or creates) the outbox under {@link StoreConfig#stateDir()}. */
    public static Outbox open(StoreConfig config, StoreClock clock) throws IOException {
        return new Outbox(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    private void openFile() {
        DB d = MapDbFiles.openTx(file, false);
        try {
            queue = d.treeMap("queue", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
            nextSeq = d.atomicLong("nextSeq").createOrOpen();
        } catch (RuntimeException e) {
            MapDbFiles.closeQuietly(d);
            throw e;
        }
        db = d;
    }

    private void rebuildIndex() {
        List<Long> garbage = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : queue.entrySet()) {
            OutboxEntry entry = decode(e.getKey(), e.getValue());
            if (entry == null) {
                garbage.add(e.getKey());
            } else {
                addToIndex(entry.seq(), new Meta(entry.kind(), entry.supersedeKey(), e.getValue().length));
            }
        }
        if (!garbage.isEmpty()) {
            undecodable += garbage.size();
            Logger.warn("outbox: dropping {} records that do not decode: {}", garbage.size(), garbage);
            garbage.forEach(queue::remove);
            db.commit();
        }
        long last = index.isEmpty() ? 0 : index.lastKey();
        if (nextSeq.get() <= last) { // cannot happen with one transaction per append; belt and braces
            nextSeq.set(last + 1);
            db.commit();
        }
        if (nextSeq.get() == 0) {
            nextSeq.set(1);
            db.commit();
        }
    }

    /**
     * Appends a message and commits.
     *
     * @param kind         what it is (decides drop order when full)
     * @param supersedeKey if not null, the queued message with the same key is replaced (removed; this one goes to
     *                     the tail)
     * @param payload      the bytes to send; at most {@link StoreConfig#outboxMaxBytes()} with its key
     * @return its sequence number
     * @throws IllegalArgumentException if the message alone exceeds the byte bound
     * @throws StoreWriteException      if the disk refused the write (nothing was appended or dropped)
     */
    public synchronized long append(MessageKind kind, String supersedeKey, byte[] payload) {
        try {
            return doAppend(kind, supersedeKey, payload);
        } catch (BrokenFile b) {
            recoverBroken(b.getCause());
            return doAppend(kind, supersedeKey, payload);
        }
    }

    /** Thrown inside to say: the file, not the disk, is broken. */
    private static final class BrokenFile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BrokenFile(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    /**
     * The file broke while open (MapDB threw something that is not an I/O error): move it aside, start empty, log
     * how many queued messages were lost, count it.
     */
    private void recoverBroken(RuntimeException cause) {
        Logger.warn(cause, "outbox: {} broke while open; {} queued messages are lost; starting empty", file,
                index.size());
        MapDbFiles.closeQuietly(db);
        db = null;
        clearIndex();
        recoveries++;
        try {
            MapDbFiles.quarantine(file, clock.millis());
        } catch (IOException e) {
            throw new StoreWriteException("cannot move the broken outbox file aside", e);
        }
        openFile();
        restartSequenceAfterLoss();
    }

    /**
     * After a broken file was replaced, sequence numbers must still never repeat: continue above the last one
     * issued in this process and above {@code now x 1000}, which is larger than any number a hub can have issued
     * before (one message per microsecond since 1970).
     */
    private void restartSequenceAfterLoss() {
        nextSeq.set(Math.max(lastIssued + 1, clock.millis() * 1000));
        db.commit();
    }

    private long doAppend(MessageKind kind, String supersedeKey, byte[] payload) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        ensureOpen();
        byte[] record = encode(kind, supersedeKey, payload);
        if (record.length > config.outboxMaxBytes()) {
            throw new IllegalArgumentException("outbox message of " + record.length + " bytes exceeds outboxMaxBytes "
                    + config.outboxMaxBytes());
        }
        // Plan every removal first; touch the in-memory index only once the transaction committed.
        List<Long> removals = new ArrayList<>();
        long plannedCount = index.size();
        long plannedBytes = bytes;
        Long replaced = supersedeKey == null ? null : bySupersede.get(supersedeKey);
        if (replaced != null) {
            removals.add(replaced);
            plannedCount--;
            plannedBytes -= index.get(replaced).bytes();
        }
        Iterator<Long> oldestTelemetry = telemetry.iterator();
        Iterator<Long> oldestAny = index.keySet().iterator();
        int dropT = 0;
        int dropO = 0;
        while (plannedCount + 1 > config.outboxMaxCount() || plannedBytes + record.length > config.outboxMaxBytes()) {
            Long victim = next(oldestTelemetry, removals);
            if (victim != null) {
                dropT++;
            } else {
                victim = next(oldestAny, removals);
                dropO++;
            }
            removals.add(victim);
            plannedCount--;
            plannedBytes -= index.get(victim).bytes();
        }
        long seq = nextSeq.get();
        try {
            for (Long r : removals) {
                queue.remove(r);
            }
            queue.put(seq, record);
            nextSeq.set(seq + 1);
            db.commit();
        } catch (RuntimeException e) {
            if (!MapDbFiles.isIoFailure(e)) {
                throw new BrokenFile(e);
            }
            recoverFromWriteFailure(e);
            writeFailures++;
            String hint = MapDbFiles.isIoFailure(e) ? " (disk full or I/O error)" : "";
            Logger.warn("outbox: append failed{}: {}", hint, e.toString());
            throw new StoreWriteException("outbox append failed" + hint + ": " + e.getMessage(), e);
        }
        for (Long r : removals) {
            removeFromIndex(r);
        }
        if (replaced != null) {
            superseded++;
        }
        if (dropT > 0) {
            droppedTelemetry += dropT;
            logDrop("telemetry", droppedTelemetry, dropT);
        }
        if (dropO > 0) {
            droppedOther += dropO;
            logDrop("events/responses", droppedOther, dropO);
        }
        addToIndex(seq, new Meta(kind, supersedeKey, record.length));
        appended++;
        lastIssued = seq;
        return seq;
    }

    private static Long next(Iterator<Long> it, List<Long> already) {
        while (it.hasNext()) {
            Long s = it.next();
            if (!already.contains(s)) {
                return s;
            }
        }
        return null;
    }

    private static void logDrop(String what, long total, int now) {
        boolean milestone = false;
        for (long p = 1; p <= total; p *= 10) {
            if (total - now < p && p <= total) {
                milestone = true;
            }
        }
        if (milestone) {
            Logger.warn("outbox: full; dropped {} oldest {} ({} so far)", now, what, total);
        } else {
            Logger.debug("outbox: full; dropped {} oldest {} ({} so far)", now, what, total);
        }
    }

    /**
     * The oldest queued messages, in order, without removing them: at most {@code maxCount}, and at most
     * {@code maxBytes} of payload (but always at least one message if any is queued).
     */
    public synchronized List<OutboxEntry> readBatch(int maxCount, long maxBytes) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be at least 1, but was " + maxCount);
        }
        ensureOpen();
        List<OutboxEntry> out = new ArrayList<>();
        List<Long> garbage = new ArrayList<>();
        long total = 0;
        for (Long seq : index.keySet()) {
            if (out.size() >= maxCount) {
                break;
            }
            byte[] rec;
            try {
                rec = queue.get(seq);
            } catch (RuntimeException ex) {
                if (MapDbFiles.isIoFailure(ex)) {
                    throw new StoreWriteException("outbox read failed: " + ex.getMessage(), ex);
                }
                recoverBroken(ex);
                return List.of();
            }
            OutboxEntry e = rec == null ? null : decode(seq, rec);
            if (e == null) {
                garbage.add(seq);
                continue;
            }
            if (!out.isEmpty() && total + e.payload().length > maxBytes) {
                break;
            }
            total += e.payload().length;
            out.add(e);
        }
        if (!garbage.isEmpty()) {
            undecodable += garbage.size();
            Logger.warn("outbox: dropping {} records that do not decode: {}", garbage.size(), garbage);
            try {
                garbage.forEach(queue::remove);
                db.commit();
                garbage.forEach(this::removeFromIndex);
            } catch (RuntimeException ex) {
                rollbackQuietly(ex);
            }
        }
        return out;
    }

    /**
     * Removes every queued message with a sequence number up to {@code upToSeq} (inclusive) and commits.
     *
     * @return how many were removed
     * @throws StoreWriteException if the disk refused the write (nothing was removed; they will be read again)
     */
    public synchronized int acknowledge(long upToSeq) {
        ensureOpen();
        List<Long> done = new ArrayList<>(index.headMap(upToSeq, true).keySet());
        if (done.isEmpty()) {
            return 0;
        }
        try {
            for (Long s : done) {
                queue.remove(s);
            }
            db.commit();
        } catch (RuntimeException e) {
            if (!MapDbFiles.isIoFailure(e)) {
                recoverBroken(e);
                return done.size(); // everything is gone, including what was to be acknowledged
            }
            recoverFromWriteFailure(e);
            writeFailures++;
            throw new StoreWriteException("outbox acknowledge failed: " + e.getMessage(), e);
        }
        done.forEach(this::removeFromIndex);
        acknowledged += done.size();
        return done.size();
    }

    /** Messages waiting. */
    public synchronized int size() {
        return index.size();
    }

    public synchronized OutboxMetrics metrics() {
        return new OutboxMetrics(index.size(), bytes, appended, acknowledged, superseded, droppedTelemetry,
                droppedOther, undecodable, writeFailures, recoveries);
    }

    private void addToIndex(long seq, Meta m) {
        index.put(seq, m);
        bytes += m.bytes();
        if (m.kind() == MessageKind.TELEMETRY) {
            telemetry.add(seq);
        }
        if (m.supersedeKey() != null) {
            bySupersede.put(m.supersedeKey(), seq);
        }
    }

    private void removeFromIndex(long seq) {
        Meta m = index.remove(seq);
        if (m == null) {
            return;
        }
        bytes -= m.bytes();
        telemetry.remove(seq);
        if (m.supersedeKey() != null) {
            bySupersede.remove(m.supersedeKey(), seq);
        }
    }

    private void clearIndex() {
        index.clear();
        telemetry.clear();
        bySupersede.clear();
        bytes = 0;
    }

    /**
     * After a failed commit MapDB's in-memory state cannot be trusted: close the file and reopen it at its last
     * commit, which the in-memory index already matches (it is only updated after a commit). If reopening fails
     * too, the next call tries again ({@link #ensureOpen}).
     */
    private void recoverFromWriteFailure(RuntimeException cause) {
        if (!MapDbFiles.isIoFailure(cause)) {
            rollbackQuietly(cause);
            return;
        }
        MapDbFiles.closeQuietly(db);
        db = null;
        try {
            openFile();
        } catch (RuntimeException e) {
            MapDbFiles.closeQuietly(db);
            db = null;
            Logger.warn("outbox: {} cannot be reopened after a write failure ({}); will retry", file, e.toString());
        }
    }

    private void rollbackQuietly(RuntimeException cause) {
        try {
            db.rollback();
        } catch (RuntimeException r) {
            cause.addSuppressed(r);
        }
    }

    /** Record: version, kind, key length (u16, 0xFFFF = no key), key UTF-8, payload. */
    private static byte[] encode(MessageKind kind, String supersedeKey, byte[] payload) {
        byte[] key = supersedeKey == null ? new byte[0] : supersedeKey.getBytes(StandardCharsets.UTF_8);
        if (key.length >= 0xFFFF) {
            throw new IllegalArgumentException("supersedeKey longer than 65534 bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(4 + key.length + payload.length);
        b.put(RECORD_VERSION).put((byte) kind.ordinal()).putShort((short) (supersedeKey == null ? 0xFFFF : key.length))
                .put(key).put(payload);
        return b.array();
    }

    private static OutboxEntry decode(long seq, byte[] rec) {
        try {
            ByteBuffer b = ByteBuffer.wrap(rec);
            if (b.get() != RECORD_VERSION) {
                return null;
            }
            int k = b.get();
            if (k < 0 || k >= MessageKind.values().length) {
                return null;
            }
            int keyLen = b.getShort() & 0xFFFF;
            String key = null;
            if (keyLen != 0xFFFF) {
                byte[] kb = new byte[keyLen];
                b.get(kb);
                key = new String(kb, StandardCharsets.UTF_8);
            }
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            return new OutboxEntry(seq, MessageKind.values()[k], key, payload);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the outbox is closed");
        }
        if (db == null) {
            try {
                openFile();
            } catch (RuntimeException e) {
                MapDbFiles.closeQuietly(db);
                db = null;
                writeFailures++;
                throw new StoreWriteException("outbox file " + file + " is unavailable: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            MapDbFiles.closeQuietly(db);
        }
    }
}
