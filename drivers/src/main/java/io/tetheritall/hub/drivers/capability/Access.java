package io.tetheritall.hub.drivers.capability;

/** What can be done with a capability (Zigbee2MQTT's access bits: 1 state/report, 2 set, 4 get). */
public enum Access {
    /** The device reports it by itself (or its state is published). */
    REPORT,
    /** It can be set. */
    SET,
    /** It can be read on demand. */
    READ
}
