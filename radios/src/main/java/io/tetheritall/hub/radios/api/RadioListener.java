package io.tetheritall.hub.radios.api;

/**
 * Hears what happens on a radio's network. Called on the radio's event thread: implementations
 * must return quickly and must not block on the radio.
 */
public interface RadioListener {
    /** A device joined (ZNP: ZDO_TC_DEV_IND); {@code parentNwk} is the router it joined through. */
    default void deviceJoined(int nwk, long ieee, int parentNwk) {
    }

    /** A device announced itself (ZDO_END_DEVICE_ANNCE_IND), e.g. after a rejoin or a new address. */
    default void deviceAnnounced(int nwk, long ieee, int capabilities) {
    }

    /** A device left (ZDO_LEAVE_IND). */
    default void deviceLeft(int nwk, long ieee, boolean rejoin) {
    }

    /** An APS frame arrived. */
    default void messageReceived(IncomingMessage message) {
    }

    /** The radio went up, down or stopped. */
    default void stateChanged(RadioState state, String reason) {
    }
}
