package io.tetheritall.hub.drivers.zigbee.definition;

/** Known device behaviours the hub works around. */
public enum Quirk {
    /**
     * Do not configure reporting or bind: the device reports by itself and refuses or ignores
     * configuration (Xiaomi/Aqara sleepy sensors).
     */
    NO_CONFIGURE,
    /**
     * The device never sends a default response to cluster commands: commands are sent with
     * "disable default response" and their state is kept optimistically.
     */
    NO_DEFAULT_RESPONSE
}
