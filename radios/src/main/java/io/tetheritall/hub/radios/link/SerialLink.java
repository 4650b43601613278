package io.tetheritall.hub.radios.link;

import io.tetheritall.hub.radios.time.HubClock;
import jssc.SerialPort;
import jssc.SerialPortException;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A serial port (USB dongle, UART, or a pseudo-terminal in tests) through jssc, 8N1, with
 * optional RTS/CTS flow control.
 *
 * <h2>How it reads</h2>
 * One named reader thread ({@code link-<path>-N}) per open link. It never calls jssc's blocking
 * {@code readBytes(n)}: that native call loops in {@code select()/read()} until {@code n} bytes
 * came, cannot be interrupted, and on a device that disappeared it keeps spinning until the port
 * is closed under it. Instead it asks how many bytes are waiting ({@code FIONREAD}) and reads
 * exactly that many, at most {@value #MAX_READ} at a time: a tty never reports more than 4095
 * waiting bytes, so {@code readBytes(4096)} would never complete (see dependencies.md). When
 * nothing is waiting it parks {@link #ACTIVE_POLL_NANOS} while traffic is recent (a write counts:
 * a reply is expected), {@link #IDLE_POLL_NANOS} on a quiet line and {@link #QUIET_POLL_NANOS} once
 * it has been quiet for {@link #QUIET_AFTER_NANOS}; a write unparks it. At 115200 baud one byte takes
 * 87 µs and the kernel's 4 KiB tty buffer holds about 350 ms of traffic, so nothing is lost between
 * polls; an unsolicited frame after a quiet spell (a button press) waits at most 20 ms to be read.
 * Polling costs one {@code FIONREAD} per interval: on a quiet line 50 per second.
 *
 * <h2>How it notices the device is gone</h2>
 * When a USB dongle is pulled, or the socat behind a pty is killed, the kernel hangs the tty up:
 * {@code FIONREAD} and {@code write} then fail with EIO, which jssc reports as a
 * {@link SerialPortException}. The reader also checks once a second that the device path still
 * exists. Any of these makes the link report {@link LinkState#DOWN} with the reason and close the
 * port (freeing it for the next open). The same instance can be opened again later.
 *
 * <h2>Pseudo-terminals</h2>
 * On a pty jssc's {@code setParams()} returns {@code false} although the line settings were
 * applied: the native code applies termios first, then fails on the modem-line ioctl a pty does
 * not have. That is logged at debug and not treated as a failure. jssc unpacks its native library
 * into {@code java.io.tmpdir}; on a noexec tmp pass {@code -Djssc.boot.library.path}.
 *
 * <p>Writes are serialized and blocking; with RTS/CTS on, a write waits while the radio holds
 * CTS low.
 */
public final class SerialLink extends ReaderThreadLink<SerialPort> {
    /** A tty never reports more than 4095 bytes waiting; never ask jssc for more. */
    static final int MAX_READ = 4095;
    /** Poll interval while bytes flowed (or were written) within {@link #ACTIVE_WINDOW_NANOS}. */
    static final long ACTIVE_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    /** Poll interval on a quiet line. */
    static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final long ACTIVE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Poll interval once the line has been quiet for {@link #QUIET_AFTER_NANOS}. */
    static final long QUIET_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long QUIET_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long PATH_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String path;
    private final int baud;
    private final boolean rtsCts;
    private final HubClock clock;

    private final Object writeLock = new Object();
    private volatile long lastActivity;

    /**
     * A link to {@code path} (e.g. {@code /dev/ttyUSB0}, {@code /dev/serial/by-id/...}, a pty
     * symlink). Nothing is opened until {@link #open(Listener)}.
     *
     * @param baud   line speed, e.g. 115200 (ZNP default, MT spec p.17)
     * @param rtsCts hardware flow control (herdsman's default is off)
     * @throws IllegalArgumentException if {@code path} is blank or {@code baud <= 0}
     */
    public SerialLink(String path, int baud, boolean rtsCts) {
        this(path, baud, rtsCts, HubClock.system());
    }

    /** As {@link #SerialLink(String, int, boolean)}, with the clock that paces the reader's polling. */
    public SerialLink(String path, int baud, boolean rtsCts, HubClock clock) {
        super(checked(path, baud), "link-" + path.replaceAll("^/+", "").replace('/', '-'));
        this.path = path;
        this.baud = baud;
        this.rtsCts = rtsCts;
        this.clock = clock;
    }

    private static String checked(String path, int baud) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("serial port path must not be blank, but was '" + path + "'");
        }
        if (baud <= 0) {
            throw new IllegalArgumentException("baud must be positive, but was " + baud);
        }
        return path;
    }

    /** The configured line speed. */
    public int baud() {
        return baud;
    }

    /** Whether RTS/CTS hardware flow control is requested. */
    public boolean rtsCts() {
        return rtsCts;
    }

    @Override
    void beforeConnect(Thread previousReader) {
        joinReader(previousReader); // the previous reader is on its way out after DOWN; don't race it
    }

    @Override
    SerialPort connect() throws IOException {
        SerialPort p;
        try {
            p = new SerialPort(path); // loads jssc's native library on first use
            p.openPort();
        } catch (SerialPortException e) {
            throw new IOException(path + ": cannot open: " + e.getExceptionType(), e);
        } catch (LinkageError e) {
            throw new IOException(path + ": jssc native library failed to load (noexec java.io.tmpdir? set "
                    + "-Djssc.boot.library.path): " + e.getMessage(), e);
        }
        try {
            configure(p);
        } catch (SerialPortException | RuntimeException e) {
            closeQuietly(p);
            throw new IOException(path + ": cannot configure: " + e.getMessage(), e);
        }
        return p;
    }

    @Override
    String opened(SerialPort p) {
        this.lastActivity = clock.nanos();
        Logger.info("{} open at {} baud, 8N1, flow control {}", path, baud, rtsCts ? "RTS/CTS" : "none");
        return "opened";
    }

    private void configure(SerialPort p) throws SerialPortException {
        // RTS and DTR asserted, as every serial library does on open: dongles whose auto-bootloader
        // circuit hangs off these lines (e.g. CC2652P sticks) then stay in the application.
        boolean paramsOk = p.setParams(baud, SerialPort.DATABITS_8, SerialPort.STOPBITS_1, SerialPort.PARITY_NONE,
                true, true);
        if (!paramsOk) {
            // termios was applied before the modem-line ioctl that fails on a pty (dependencies.md)
            if (isPseudoTerminal()) {
                Logger.debug("{} setParams returned false on a pty; the line settings apply anyway", path);
            } else {
                Logger.warn("{} setParams returned false: the modem lines could not be set; continuing", path);
            }
        }
        int flow = rtsCts ? SerialPort.FLOWCONTROL_RTSCTS_IN | SerialPort.FLOWCONTROL_RTSCTS_OUT
                : SerialPort.FLOWCONTROL_NONE;
        if (!p.setFlowControlMode(flow)) {
            Logger.debug("{} setFlowControlMode({}) returned false", path, flow);
        }
        // Bytes that waited in the driver before we opened belong to nobody: start clean.
        p.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR);
    }

    private boolean isPseudoTerminal() {
        try {
            return Path.of(path).toRealPath().toString().startsWith("/dev/pts/");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** How long the reader parks when nothing is waiting, {@code sinceActivity} after the last byte read or written. */
    static long pollNanos(long sinceActivity) {
        if (sinceActivity < ACTIVE_WINDOW_NANOS) {
            return ACTIVE_POLL_NANOS;
        }
        return sinceActivity < QUIET_AFTER_NANOS ? IDLE_POLL_NANOS : QUIET_POLL_NANOS;
    }

    @Override
    void readLoop(SerialPort p, Listener l) {
        long nextPathCheck = clock.nanos() + PATH_CHECK_NANOS;
        String reason = null;
        try {
            while (connection() == p) {
                int avail = p.getInputBufferBytesCount();
                if (avail < 0) {
                    reason = "cannot query input buffer (" + avail + ")";
                    break;
                }
                long now = clock.nanos();
                if (avail > 0) {
                    byte[] bytes = p.readBytes(Math.min(avail, MAX_READ));
                    lastActivity = now;
                    deliver(l, bytes, bytes.length);
                    continue;
                }
                if (now - nextPathCheck >= 0) {
                    nextPathCheck = now + PATH_CHECK_NANOS;
                    if (!Files.exists(Path.of(path))) {
                        reason = "device path vanished";
                        break;
                    }
                }
                LockSupport.parkNanos(this, pollNanos(now - lastActivity));
            }
        } catch (SerialPortException e) {
            reason = "read failed: " + e.getExceptionType();
        } catch (RuntimeException e) {
            // jssc throws IllegalArgumentException("EBADF") when the port was closed under a read
            reason = "read failed: " + e;
        }
        if (reason != null) {
            goDown(p, reason);
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        SerialPort p = connection();
        if (p == null) {
            throw new IOException(path + " is down");
        }
        String reason;
        synchronized (writeLock) {
            try {
                if (p.writeBytes(data)) {
                    lastActivity = clock.nanos();
                    wakeReader(); // a reply is coming: poll fast
                    return;
                }
                reason = "short write of " + data.length + " bytes";
            } catch (SerialPortException e) {
                reason = "write failed: " + e.getExceptionType();
            } catch (RuntimeException e) {
                reason = "write failed: " + e;
            }
        }
        goDown(p, reason);
        throw new IOException(path + ": " + reason);
    }

    @Override
    void shutDown(SerialPort p, Thread r) {
        joinReader(r); // the reader leaves its loop once the port is no longer current; it never blocks in native code
        release(p);
    }

    @Override
    void disconnect(SerialPort p) {
        closeQuietly(p);
    }

    private void closeQuietly(SerialPort p) {
        try {
            // Not under writeLock: a writer stuck behind CTS must not keep the port from closing.
            p.closePort();
        } catch (SerialPortException | RuntimeException e) {
            Logger.debug("{} close: {}", path, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "SerialLink[" + path + ", " + baud + (rtsCts ? ", rtscts" : "") + (isUp() ? ", up" : ", down") + "]";
    }
}
