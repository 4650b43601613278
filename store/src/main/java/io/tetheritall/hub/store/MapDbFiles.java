package io.tetheritall.hub.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.tinylog.Logger;

/** Opening MapDB files the one safe way, and moving broken ones aside. */
final class MapDbFiles {
    private MapDbFiles() {
    }

    /**
     * Opens (or creates) {@code file} with transactions on: per the dependency notes, without transactions a kill
     * -9 breaks the header checksum within 2-3 kills; with transactions and FileChannel access it never did.
     */
    static DB openTx(Path file, boolean mmap) {
        DBMaker.Maker m = DBMaker.fileDB(file.toFile()).transactionEnable();
        m = mmap ? m.fileMmapEnableIfSupported() : m.fileChannelEnable();
        return m.make();
    }

    /**
     * True if {@code t} says the disk refused a write or read (full, I/O error) rather than that the file's
     * content is broken. Those must not cause the file to be thrown away.
     */
    static boolean isIoFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DBException.VolumeIOError || c instanceof IOException
                    || c instanceof DBException.VolumeMaxSizeExceeded) {
                return true;
            }
        }
        return false;
    }

    /** Rethrows what no recovery should swallow. */
    static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError e) {
            throw e;
        }
    }

    /**
     * Moves {@code file} and its companions ({@code <name>.wal.N}, ...) aside as
     * {@code <name>.corrupt-<millis>[...]}, so that a fresh file can be created and the broken one is still there
     * to look at. Returns the moved paths.
     */
    static List<Path> quarantine(Path file, long nowMillis) throws IOException {
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

    static void closeQuietly(DB db) {
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
