package io.tetheritall.hub.store.l2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.mapdb.DBException;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;
import org.tinylog.Logger;

/**
 * A MapDB main file behind a redo journal, so that a MapDB commit is all-or-nothing across a kill -9 or a power cut.
 *
 * <h2>Why MapDB needs this</h2>
 * MapDB 3.1's {@code StoreWAL.commit()} first writes the transaction to its write-ahead log, then writes the header,
 * the index values, the long-stack pages and the records one by one straight into the main file, then syncs it and
 * deletes the log. But it never replays that log when a file is opened ({@code WriteAheadLog.replayWAL} exists and
 * {@code StoreWAL}'s constructor does not call it; the index values are not even written to the log). A process
 * killed between the first and the last of those writes leaves a torn file: a header from the new transaction over
 * index values from the old one. Our kill -9 test saw both outcomes, about one run in eight: a file that no longer
 * opened, and a B-tree leaf whose index value pointed at a freed slot still holding an older copy of the leaf (the
 * outbox came back without its last 14 committed appends).
 *
 * <h2>What it does</h2>
 * Every write to the main file between two {@link #sync()} calls lands in 4 KiB page copies held in memory (reads
 * see them). StoreWAL calls {@code sync()} once at the end of each commit (and once when it creates a file); that
 * call then:
 * <ol>
 *   <li>rewrites each dirty page's current bytes in place, which changes nothing but makes the file system allocate
 *       any block still sparse, so that a full disk fails here, before anything changed;</li>
 *   <li>writes the dirty pages, their offsets and a CRC-32C to {@code <file>.journal} and forces it;</li>
 *   <li>writes the pages into the main file and forces it;</li>
 *   <li>truncates the journal.</li>
 * </ol>
 * {@link #recover(Path)}, run before the file is opened, replays a complete journal (step 3 again, which is
 * idempotent) and discards an incomplete one (the main file was not touched yet). A crash therefore leaves either
 * the previous commit or the new one, never a mix. The price is one more {@code fsync} per commit and the journal's
 * bytes; on a Pi's SD card that is what durable costs.
 *
 * <p>Growth ({@link #ensureAvailable}) goes to the file at once: a longer file with zeros at its end is valid for
 * MapDB, whose header says where its data ends.
 *
 * <p>After a failed {@code sync()} every call throws until the file is reopened, which replays or discards the
 * journal: MapDB's in-memory state cannot be trusted after a failed commit, and the callers reopen anyway.
 */
final class JournaledVolume extends ForwardingVolume {
    /** Journal file suffix, next to the main file. */
    static final String SUFFIX = ".journal";
    private static final int PAGE = 4096;
    private static final int MAGIC = 0x54484a31; // "THJ1"
    private static final int END = 0x454e4431; // "END1"

    private final Path journal;
    private final FileChannel journalChannel;
    /** Page offset → the page as it will be after the commit; guarded by this. */
    private final TreeMap<Long, Page> dirty = new TreeMap<>();
    private volatile boolean hasDirty;
    private volatile String failure;
    private volatile boolean closed;
    /** Test seam: called between the steps of a flush, to crash (throw) at a chosen point. */
    volatile FlushHook hook = FlushHook.NONE;

    /** The bytes of one page that a commit will write: {@code [0, length)}. */
    private static final class Page {
        final byte[] bytes = new byte[PAGE];
        int length;
    }

    /** Test seam: observes (and may interrupt by throwing) a flush between its steps. */
    interface FlushHook {
        FlushHook NONE = (step, pagesApplied) -> { };

        /**
         * @param step         "reserved", "journaled" or "applied"; "applying" once per page written into the main file
         * @param pagesApplied pages written into the main file so far
         */
        void at(String step, int pagesApplied) throws IOException;
    }

    JournaledVolume(Volume base, Path mainFile) throws IOException {
        super(base);
        this.journal = journalOf(mainFile);
        this.journalChannel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    static Path journalOf(Path mainFile) {
        return mainFile.resolveSibling(mainFile.getFileName() + SUFFIX);
    }

    /**
     * Before {@code mainFile} is opened: completes the commit a crash interrupted after its journal was written, or
     * discards a journal the crash cut short (the main file was not touched yet).
     *
     * @return true if a commit was replayed into the main file
     * @throws IOException if the journal cannot be read or the main file written (the disk, not the content)
     */
    static boolean recover(Path mainFile) throws IOException {
        Path j = journalOf(mainFile);
        if (!Files.exists(j) || Files.size(j) == 0) {
            return false;
        }
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(j));
        Map<Long, byte[]> pages = parse(all);
        if (pages == null) {
            Logger.info("store: {} holds an incomplete journal (a crash while a commit was being journaled; the file "
                    + "was not touched): discarded", mainFile);
        } else {
            try (FileChannel main = FileChannel.open(mainFile, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                for (Map.Entry<Long, byte[]> p : pages.entrySet()) {
                    writeFully(main, p.getKey(), ByteBuffer.wrap(p.getValue()));
                }
                main.force(true);
            }
            Logger.info("store: {}: completed a commit that a crash interrupted ({} pages from its journal)",
                    mainFile, pages.size());
        }
        try (FileChannel jc = FileChannel.open(j, StandardOpenOption.WRITE)) {
            jc.truncate(0);
            jc.force(true);
        }
        return pages != null;
    }

    /** The journal's pages, or null if it is incomplete or damaged. */
    private static Map<Long, byte[]> parse(ByteBuffer b) {
        try {
            if (b.remaining() < 12 || b.getInt() != MAGIC) {
                return null;
            }
            int count = b.getInt();
            if (count < 0) {
                return null;
            }
            TreeMap<Long, byte[]> pages = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                long offset = b.getLong();
                int len = b.getInt();
                if (offset < 0 || len < 0 || len > PAGE) {
                    return null;
                }
                byte[] bytes = new byte[len];
                b.get(bytes);
                pages.put(offset, bytes);
            }
            int covered = b.position();
            int crc = b.getInt();
            if (b.getInt() != END) {
                return null;
            }
            CRC32C c = new CRC32C();
            c.update(b.array(), 0, covered);
            return (int) c.getValue() == crc ? pages : null;
        } catch (RuntimeException e) { // BufferUnderflow: cut short
            return null;
        }
    }

    // ---- writes: into page copies ----

    private synchronized void write(long offset, byte[] src, int srcPos, int len) {
        checkUsable();
        while (len > 0) {
            long pageOffset = offset - (offset % PAGE);
            int inPage = (int) (offset - pageOffset);
            int n = Math.min(len, PAGE - inPage);
            Page p = page(pageOffset);
            System.arraycopy(src, srcPos, p.bytes, inPage, n);
            p.length = Math.max(p.length, inPage + n);
            offset += n;
            srcPos += n;
            len -= n;
        }
    }

    // guarded by this
    private Page page(long pageOffset) {
        Page p = dirty.get(pageOffset);
        if (p == null) {
            p = new Page();
            long have = Math.min(PAGE, Math.max(0, v.length() - pageOffset));
            if (have > 0) {
                v.getData(pageOffset, p.bytes, 0, (int) have);
            }
            p.length = (int) have;
            dirty.put(pageOffset, p);
            hasDirty = true;
        }
        return p;
    }

    // ---- reads: the page copies over the file ----

    private void read(long offset, byte[] dst, int dstPos, int len) {
        checkUsable();
        if (!hasDirty) {
            v.getData(offset, dst, dstPos, len);
            return;
        }
        synchronized (this) {
            while (len > 0) {
                long pageOffset = offset - (offset % PAGE);
                int inPage = (int) (offset - pageOffset);
                int n = Math.min(len, PAGE - inPage);
                Page p = dirty.get(pageOffset);
                if (p != null) {
                    System.arraycopy(p.bytes, inPage, dst, dstPos, n);
                } else {
                    v.getData(offset, dst, dstPos, n);
                }
                offset += n;
                dstPos += n;
                len -= n;
            }
        }
    }

    // ---- the commit ----

    @Override
    public synchronized void sync() {
        checkUsable();
        if (dirty.isEmpty()) {
            v.sync();
            return;
        }
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
            dirty.clear();
            hasDirty = false;
            if (e instanceof DBException ex) {
                throw ex;
            }
            throw new DBException.VolumeIOError(e instanceof IOException io ? io : new IOException(e));
        }
        dirty.clear();
        hasDirty = false;
    }

    // guarded by this
    private void flush() throws IOException {
        // 1. Reserve: the same bytes again, so that a sparse block is allocated now and a full disk fails before any
        //    byte changed.
        byte[] old = new byte[PAGE];
        for (Map.Entry<Long, Page> e : dirty.entrySet()) {
            int len = e.getValue().length;
            long have = Math.min(len, Math.max(0, v.length() - e.getKey()));
            if (have > 0) {
                v.getData(e.getKey(), old, 0, (int) have);
                v.putData(e.getKey(), old, 0, (int) have);
            }
        }
        hook.at("reserved", 0);
        // 2. Journal, forced.
        int size = 4 + 4 + 4 + 4;
        for (Page p : dirty.values()) {
            size += 8 + 4 + p.length;
        }
        ByteBuffer j = ByteBuffer.allocate(size);
        j.putInt(MAGIC).putInt(dirty.size());
        for (Map.Entry<Long, Page> e : dirty.entrySet()) {
            j.putLong(e.getKey()).putInt(e.getValue().length).put(e.getValue().bytes, 0, e.getValue().length);
        }
        CRC32C c = new CRC32C();
        c.update(j.array(), 0, j.position());
        j.putInt((int) c.getValue()).putInt(END).flip();
        journalChannel.truncate(0);
        writeFully(journalChannel, 0, j);
        journalChannel.force(false);
        hook.at("journaled", 0);
        // 3. Apply, forced.
        int applied = 0;
        for (Map.Entry<Long, Page> e : dirty.entrySet()) {
            v.putData(e.getKey(), e.getValue().bytes, 0, e.getValue().length);
            hook.at("applying", ++applied);
        }
        v.sync();
        hook.at("applied", applied);
        // 4. Done: an empty journal. Not forced: if a power cut brings the last journal back, replaying it writes
        //    what the file already holds (every later commit would have overwritten the journal first).
        journalChannel.truncate(0);
    }

    private static void writeFully(FileChannel ch, long position, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            position += ch.write(b, position);
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new DBException.VolumeIOError(new IOException(
                    "an earlier commit to this file failed (" + failure + "); reopen it"));
        }
    }

    // ---- Volume ----

    @Override
    public void ensureAvailable(long offset) {
        checkUsable();
        v.ensureAvailable(offset);
    }

    @Override
    public synchronized void truncate(long size) {
        checkUsable();
        if (hasDirty) {
            sync();
        }
        v.truncate(size);
    }

    @Override
    public void putLong(long offset, long value) {
        byte[] b = new byte[8];
        org.mapdb.DataIO.putLong(b, 0, value);
        write(offset, b, 0, 8);
    }

    @Override
    public void putInt(long offset, int value) {
        byte[] b = new byte[4];
        org.mapdb.DataIO.putInt(b, 0, value);
        write(offset, b, 0, 4);
    }

    @Override
    public void putByte(long offset, byte value) {
        write(offset, new byte[] {value}, 0, 1);
    }

    @Override
    public void putData(long offset, byte[] src, int srcPos, int srcSize) {
        write(offset, src, srcPos, srcSize);
    }

    @Override
    public void putData(long offset, ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        write(offset, b, 0, b.length);
    }

    @Override
    public long getLong(long offset) {
        if (!hasDirty && failure == null) {
            return v.getLong(offset);
        }
        byte[] b = new byte[8];
        read(offset, b, 0, 8);
        return org.mapdb.DataIO.getLong(b, 0);
    }

    @Override
    public int getInt(long offset) {
        if (!hasDirty && failure == null) {
            return v.getInt(offset);
        }
        byte[] b = new byte[4];
        read(offset, b, 0, 4);
        return org.mapdb.DataIO.getInt(b, 0);
    }

    @Override
    public byte getByte(long offset) {
        if (!hasDirty && failure == null) {
            return v.getByte(offset);
        }
        byte[] b = new byte[1];
        read(offset, b, 0, 1);
        return b[0];
    }

    @Override
    public DataInput2 getDataInput(long offset, int size) {
        if (!hasDirty && failure == null) {
            return v.getDataInput(offset, size);
        }
        byte[] b = new byte[size];
        read(offset, b, 0, size);
        return new DataInput2.ByteArray(b);
    }

    @Override
    public void getData(long offset, byte[] bytes, int bytesPos, int size) {
        read(offset, bytes, bytesPos, size);
    }

    @Override
    public void clear(long startOffset, long endOffset) {
        long len = endOffset - startOffset;
        byte[] zeros = new byte[(int) Math.min(len, PAGE)];
        for (long o = startOffset; o < endOffset; o += zeros.length) {
            write(o, zeros, 0, (int) Math.min(zeros.length, endOffset - o));
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (hasDirty) {
            // Only a commit that failed half-way leaves pages here; MapDB rolls back by reopening.
            Logger.debug("store: closing {} with {} uncommitted pages; they are dropped", journal, dirty.size());
            dirty.clear();
            hasDirty = false;
        }
        try {
            journalChannel.close();
        } catch (IOException e) {
            Logger.debug(e, "closing {}", journal);
        }
        v.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }
}
