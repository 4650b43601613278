package io.tetheritall.hub.radios.api;

/** How an outgoing APS frame is addressed. Group and broadcast sends spend the broadcast budget. */
public enum AddressMode {
    /** Unicast to a 16-bit network address. */
    NWK,
    /** Multicast to a 16-bit group id. */
    GROUP,
    /** Broadcast to 0xFFFF (all), 0xFFFD (rx-on-when-idle) or 0xFFFC (routers). */
    BROADCAST;

    /** Whether this mode uses a slot in the network's broadcast transaction table. */
    public boolean isBroadcastLike() {
        return this != NWK;
    }
}
