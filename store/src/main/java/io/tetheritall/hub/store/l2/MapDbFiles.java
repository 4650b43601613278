package io.tetheritall.hub.store.l2;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.StoreWAL;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.MappedFileVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;
import org.tinylog.Logger;

/** Opening MapDB files the one safe way, and moving broken ones aside. */
public final class MapDbFiles {
    private MapDbFiles() {
    }

    /**
     * Opens (or creates) {@code file} with transactions on, its main file behind a {@link JournaledVolume}.
     *
     * <p>This builds what {@code DBMaker.fileDB(file).transactionEnable().fileChannelEnable().make()} builds, with
     * the same parameters (concurrency scale 8, header checksum on), except that the main file's volume is ours:
     * MapDB 3.1's transactions alone do not survive a crash inside a commit (see {@link JournaledVolume}). Before
     * the file is opened, a journal left by such a crash is replayed or discarded.
     */
    public static DB openTx(Path file, boolean mmap) {
        return openTx(file, mmap, JournaledVolume.FlushHook.NONE);
    }

    /**
     * Throws if {@code t} says another process (or another store in this JVM) has {@code file} open. Such a file
     * is not broken and must not be moved aside: it is refused, and the caller fails to open.
     *
     * @param what the store's name for the message ("L2", "outbox")
     */
    public static void refuseIfInUse(String what, Path file, Throwable t) throws IOException {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DBException.FileLocked || c instanceof OverlappingFileLockException) {
                throw new IOException(what + ": " + file + " is in use by another process (another hub on the same "
                        + "state directory?); not touching it", t);
            }
        }
    }

    /** Fails with {@link DBException.FileLocked} if someone holds {@code file}'s lock; the journal is theirs then. */
    private static void checkNotInUse(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new DBException.FileLocked(file, new IOException("locked by another process"));
            }
            l.release();
        } catch (OverlappingFileLockException e) {
            throw new DBException.FileLocked(file, e);
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        }
    }

    /** {@link #openTx(Path, boolean)} with a hook into each commit's steps (tests crash a commit half-way). */
    static DB openTx(Path file, boolean mmap, JournaledVolume.FlushHook hook) {
        checkNotInUse(file); // before the journal: a live store's journal is not a crashed one
        try {
            JournaledVolume.recover(file);
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        }
        VolumeFactory plain = mmap && !"32".equals(System.getProperty("sun.arch.data.model")) // as DBMaker: no large maps on 32-bit
                 ? MappedFileVol.FACTORY
                : FileChannelVol.FACTORY;
        VolumeFactory journaled = new JournaledFactory(plain, file.toString(), hook);
        boolean exists = journaled.exists(file.toString());
        StoreWAL store = StoreWAL.make(file.toString(), journaled, 0L, true, CONC_SHIFT, 0L, 0L, false, false, false,
                true, false);
        try {
            return new DB(store, exists, true, MapDbFiles.class.getClassLoader(), 0);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The redo journal next to {@code file} (see {@link JournaledVolume}); empty except inside a commit. */
    public static Path journalOf(Path file) {
        return JournaledVolume.journalOf(file);
    }

    /** DBMaker's default concurrency scale (8 segments), as a shift. */
    private static final int CONC_SHIFT = 3;

    /** The main file through {@link JournaledVolume}; MapDB's own log files ({@code <file>.wal.N}) unforced. */
    private static final class JournaledFactory extends VolumeFactory {
        private final VolumeFactory plain;
        private final String mainFile;
        private final JournaledVolume.FlushHook hook;

        JournaledFactory(VolumeFactory plain, String mainFile, JournaledVolume.FlushHook hook) {
            this.plain = plain;
            this.mainFile = mainFile;
            this.hook = hook;
        }

        @Override
        public Volume makeVolume(String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize,
                boolean fixedSize) {
            Volume v = plain.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize);
            if (readOnly) {
                return v;
            }
            if (!mainFile.equals(file)) {
                return new MapDbLogVolume(v);
            }
            try {
                JournaledVolume j = new JournaledVolume(v, Path.of(file));
                j.hook = hook;
                return j;
            } catch (IOException e) {
                v.close();
                throw new DBException.VolumeIOError(e);
            }
        }

        @Override
        public boolean exists(String file) {
            return plain.exists(file);
        }

        @Override
        public boolean handlesReadonly() {
            return plain.handlesReadonly();
        }
    }

    /**
     * True if {@code t} says the disk refused a write or read (full, I/O error) rather than that the file's
     * content is broken. Those must not cause the file to be thrown away.
     */
    public static boolean isIoFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DBException.VolumeIOError || c instanceof IOException
                    || c instanceof DBException.VolumeMaxSizeExceeded) {
                return true;
            }
        }
        return false;
    }

    /** Rethrows what no recovery should swallow. */
    public static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError e) {
            throw e;
        }
    }

    /**
     * Moves {@code file} and its companions ({@code <name>.wal.N}, ...) aside as
     * {@code <name>.corrupt-<millis>[...]}, so that a fresh file can be created and the broken one is still there
     * to look at. Returns the moved paths.
     */
    public static List<Path> quarantine(Path file, long nowMillis) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        List<Path> moved = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name + "*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.contains(".corrupt-")) {
                    continue;
                }
                Path target = dir.resolve(name + ".corrupt-" + nowMillis + n.substring(name.length()));
                Files.move(p, target, StandardCopyOption.REPLACE_EXISTING);
                moved.add(target);
            }
        }
        Logger.warn("{}: moved a broken store file aside as {}; starting with an empty one", file, moved);
        return moved;
    }

    public static void closeQuietly(DB db) {
        if (db == null) {
            return;
        }
        try {
            db.close();
        } catch (Throwable t) {
            rethrowFatal(t);
            Logger.debug(t, "closing a broken MapDB file");
        }
    }
}
