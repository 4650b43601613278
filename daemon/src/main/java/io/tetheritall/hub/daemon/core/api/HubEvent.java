package io.tetheritall.hub.daemon.core.api;

import java.util.Map;

/**
 * Something that happened in the hub, for the uplinks to publish.
 *
 * @param type   see {@link Type}
 * @param device friendly name of the device concerned, null for hub-wide events
 * @param ieee   IEEE address of the device concerned, null for hub-wide events
 * @param data   event-specific, JSON-ready: the new state for STATE, {@code {"available":bool}} for
 *               AVAILABILITY, {@code {"status":..,"reason":..}} for interview events
 */
public record HubEvent(Type type, String device, String ieee, Map<String, Object> data) {
    public enum Type {
        /** A device's state changed; data is the full current state. */
        STATE,
        /** A device became available or unavailable. */
        AVAILABILITY,
        DEVICE_JOINED,
        DEVICE_ANNOUNCE,
        DEVICE_LEAVE,
        INTERVIEW_STARTED,
        INTERVIEW_SUCCESSFUL,
        INTERVIEW_FAILED,
        DEVICE_RENAMED,
        DEVICE_REMOVED,
        /** The device list or group list changed (for retained bridge/devices, bridge/groups). */
        DEVICES_CHANGED,
        GROUPS_CHANGED,
        /** Permit join opened or closed; data {@code {"value":bool,"time":seconds}}. */
        PERMIT_JOIN,
        /** A radio went up or down; data {@code {"radio":id,"state":..,"reason":..}}. */
        RADIO_STATE
    }
}
