package io.tetheritall.hub.daemon.config;

/**
 * Where the Zigbee coordinator is: a local serial device or a TCP serial server (ser2net, network
 * coordinators such as SLZB-06).
 *
 * @param device the serial device path, or {@code null} for TCP
 * @param tcp    the TCP endpoint, or {@code null} for a serial device
 */
public record RadioPort(String device, BindAddress tcp) {

    /** Whether the coordinator is reached over TCP rather than a local tty. */
    public boolean isTcp() {
        return tcp != null;
    }

    @Override
    public String toString() {
        return isTcp() ? "tcp://" + tcp : device;
    }
}
