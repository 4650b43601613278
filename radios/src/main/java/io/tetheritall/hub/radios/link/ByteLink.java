package io.tetheritall.hub.radios.link;

import java.io.IOException;

/**
 * A full-duplex byte pipe to a radio: a serial port (jssc), a TCP socket (ser2net, network
 * coordinators) or an in-memory pair (tests, in-process simulators).
 *
 * <p>A link knows bytes only: no framing, no commands. Received bytes are pushed to the
 * {@link Listener} on the link's own named reader thread, in order; the listener must not block.
 * Writes are thread-safe and write the whole array or throw.
 */
public interface ByteLink extends AutoCloseable {

    /** Receives bytes and state changes; called on the link's reader thread. */
    interface Listener {
        /** {@code len} bytes from {@code buf[off]}; the array may be reused after the call returns. */
        void onBytes(byte[] buf, int off, int len);

        /** The link went {@link LinkState#UP}, {@link LinkState#DOWN} or {@link LinkState#CLOSED}. */
        default void onState(LinkState state, String reason) {
        }
    }

    /** A short name for logs and metrics, e.g. {@code /dev/ttyUSB0} or {@code tcp://10.0.0.5:6638}. */
    String name();

    /**
     * Opens the link and starts delivering bytes to {@code listener}.
     *
     * @throws IOException if the device or socket cannot be opened now
     * @throws IllegalStateException if already open
     */
    void open(Listener listener) throws IOException;

    /**
     * Writes all of {@code data}.
     *
     * @throws IOException if the link is down or the write failed (the link then reports DOWN)
     */
    void write(byte[] data) throws IOException;

    /** Whether bytes can flow now. */
    boolean isUp();

    /** Closes the link for good; idempotent. */
    @Override
    void close();
}
