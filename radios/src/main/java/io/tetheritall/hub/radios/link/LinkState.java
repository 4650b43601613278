package io.tetheritall.hub.radios.link;

/** What a byte link reports upward. Reconnecting is the supervisor's job, not the protocol's. */
public enum LinkState {
    /** The port or socket is open and bytes flow. */
    UP,
    /** The device disappeared, the socket closed or a read failed; the link may come back. */
    DOWN,
    /** Closed on purpose by {@link ByteLink#close()}; it will not come back. */
    CLOSED
}
