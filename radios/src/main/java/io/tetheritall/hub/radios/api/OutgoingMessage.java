package io.tetheritall.hub.radios.api;

import java.util.Objects;

/**
 * An APS data frame to send: addressing plus an opaque payload (a ZCL frame, usually).
 *
 * @param mode        unicast, group or broadcast
 * @param address     network address, group id or broadcast address (0..0xFFFF)
 * @param dstEndpoint destination endpoint (ignored for groups)
 * @param srcEndpoint our endpoint, normally 1
 * @param profileId   0x0104 for Home Automation
 * @param clusterId   cluster the payload belongs to
 * @param payload     the APS payload; not copied, callers must not change it afterwards
 * @param apsAck      ask for an APS acknowledgement (unicast only)
 */
public record OutgoingMessage(AddressMode mode, int address, int dstEndpoint, int srcEndpoint, int profileId,
                              int clusterId, byte[] payload, boolean apsAck) {
    public static final int PROFILE_HA = 0x0104;
    public static final int BROADCAST_ALL = 0xFFFF;
    public static final int BROADCAST_RX_ON = 0xFFFD;
    public static final int BROADCAST_ROUTERS = 0xFFFC;

    public OutgoingMessage {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(payload, "payload");
        checkU16("address", address);
        checkU16("clusterId", clusterId);
        checkU16("profileId", profileId);
        if (dstEndpoint < 0 || dstEndpoint > 0xFF || srcEndpoint < 0 || srcEndpoint > 0xFF) {
            throw new IllegalArgumentException("endpoints must be 0..255, but were " + dstEndpoint + "/" + srcEndpoint);
        }
    }

    /** A Home Automation unicast from endpoint 1, with APS ack. */
    public static OutgoingMessage unicast(int nwk, int endpoint, int clusterId, byte[] payload) {
        return new OutgoingMessage(AddressMode.NWK, nwk, endpoint, 1, PROFILE_HA, clusterId, payload, true);
    }

    /** A Home Automation group send from endpoint 1. */
    public static OutgoingMessage group(int groupId, int clusterId, byte[] payload) {
        return new OutgoingMessage(AddressMode.GROUP, groupId, 0xFF, 1, PROFILE_HA, clusterId, payload, false);
    }

    private static void checkU16(String name, int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be 0..0xFFFF, but was " + v);
        }
    }
}
