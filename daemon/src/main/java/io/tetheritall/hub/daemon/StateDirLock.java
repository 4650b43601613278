package io.tetheritall.hub.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One hub per state directory: an OS file lock on {@code <state>/hub.lock}, held for the life of the process and
 * released by the kernel when it dies (so a kill -9 leaves no stale lock).
 *
 * <p>Why: a second hub on the same directory (say {@code ./run.sh} while the systemd service runs) would share
 * the serial port (a tty is not exclusive) and the store's files; MapDB would refuse the files, but only after the
 * radio was opened twice. The lock file holds the owner's pid, for the message.
 */
final class StateDirLock implements AutoCloseable {
    static final String FILE = "hub.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another live process holds the directory. */
    static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock, creating the directory if needed.
     *
     * @throws InUseException if another hub holds it (the message names the directory and that hub's pid)
     * @throws IOException    if the directory or the file cannot be written
     */
    static StateDirLock acquire(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) { // held by this very JVM
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String owner = readOwner(ch);
            ch.close();
            throw new InUseException("another Tetheritall Hub" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                    + " is running with the state directory " + stateDir + " (lock " + file + ")");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new StateDirLock(ch, lock);
    }

    private static String readOwner(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
