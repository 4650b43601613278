package io.tetheritall.hub.radios.link.pty;

import org.tinylog.Logger;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pair of connected pseudo-terminals made by socat, for exercising the real serial code path
 * (jssc, termios, hang-up detection) in tests, simulators and the bench. Lives in main code
 * because the modules share no test-jar.
 *
 * <p>Runs {@code socat -d -d pty,rawer,link=<dir>/a pty,rawer,link=<dir>/b}; {@code a} is
 * the host end, {@code b} the device end. {@code rawer}
 * is socat's cfmakeraw: besides what {@code raw,echo=0} does it also clears IEXTEN and the echo
 * control flags, so every byte value (0x03, 0x0D, 0x11/0x13 XON/XOFF, 0x7F, 0xFE...) passes
 * unchanged even to a reader that does not set termios itself. Baud is meaningless on a pty.
 * socat survives either end being closed and reopened.
 *
 * <p>{@link #unplug()} kills socat: both ptys hang up (reads and writes on them fail with EIO), as
 * when a USB stick is pulled, and the symlinks go away. {@link #replug()} starts socat again with
 * the same link paths (the pty numbers behind them differ).
 *
 * <p>Caveat: pushing bulk data in both directions at once through socat can deadlock socat itself;
 * keep test traffic request/response-shaped or paced.
 */
public final class SocatPty implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 5_000;
    /** socat processes still running, killed if the JVM exits first (a crashed test must not leak them). */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroy), "socat-pty-reaper"));
    }

    private final Path dir;
    private final Path host;
    private final Path device;
    private final Path log;
    private Process process;
    private boolean closed;

    private SocatPty(Path dir) {
        this.dir = dir;
        this.host = dir.resolve("a");
        this.device = dir.resolve("b");
        this.log = dir.resolve("socat.log");
    }

    /** Whether a {@code socat} executable is on the PATH. */
    public static boolean available() {
        String pathEnv = System.getenv("PATH");
        if (pathEnv == null) {
            return false;
        }
        for (String d : pathEnv.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "socat"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts socat with its link paths in a fresh directory under {@code java.io.tmpdir} (created
     * if missing, as surefire's {@code target/tmp} may be).
     */
    public static SocatPty start() throws IOException {
        Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        return start(Files.createTempDirectory(tmp, "pty"));
    }

    /**
     * Starts socat with its two link paths in {@code dir} (created if missing) and waits until
     * both exist.
     *
     * @throws IOException if socat is missing, exits, or does not create the links within 5 s
     */
    public static SocatPty start(Path dir) throws IOException {
        Files.createDirectories(dir);
        SocatPty pty = new SocatPty(dir);
        pty.launch();
        return pty;
    }

    /** The end the hub opens (as it would open /dev/ttyUSB0). */
    public Path hostPath() {
        return host;
    }

    /** The end a simulated radio opens. */
    public Path devicePath() {
        return device;
    }

    public Path directory() {
        return dir;
    }

    /** Whether socat is running (plugged in). */
    public synchronized boolean isPlugged() {
        return process != null && process.isAlive();
    }

    /** The socat process id, or -1 when unplugged. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** Kills socat: both ends hang up and the link paths disappear. Idempotent. */
    public synchronized void unplug() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        LIVE.remove(p);
        p.destroy(); // SIGTERM: socat unlinks its symlinks on the way out
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        // After a SIGKILL socat leaves dangling symlinks; a replug must find the paths free.
        deleteQuietly(host);
        deleteQuietly(device);
    }

    /** Starts socat again with the same link paths; new pty numbers behind them. */
    public synchronized void replug() throws IOException {
        if (closed) {
            throw new IOException("socat pty in " + dir + " is closed");
        }
        if (process != null && process.isAlive()) {
            return;
        }
        launch();
    }

    private synchronized void launch() throws IOException {
        deleteQuietly(host);
        deleteQuietly(device);
        List<String> cmd = List.of("socat", "-d", "-d",
                "pty,rawer,link=" + host,
                "pty,rawer,link=" + device);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IOException("cannot start socat (is it installed?): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!(Files.exists(host) && Files.exists(device))) {
            if (!p.isAlive()) {
                throw new IOException("socat exited with " + p.exitValue() + " before creating " + host
                        + " and " + device + "; see " + log);
            }
            if (System.nanoTime() - deadline > 0) {
                p.destroyForcibly();
                throw new IOException("socat did not create " + host + " and " + device + " within "
                        + START_TIMEOUT_MS + " ms; see " + log);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while starting socat", e);
            }
        }
        process = p;
        LIVE.add(p);
        Logger.debug("socat {} up: {} <-> {}", p.pid(), host, device);
    }

    /** Unplugs for good. */
    @Override
    public synchronized void close() {
        closed = true;
        unplug();
    }

    private static void deleteQuietly(Path p) {
        try {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "SocatPty[" + host + " <-> " + device + (isPlugged() ? "" : ", unplugged") + "]";
    }
}
