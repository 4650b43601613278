package io.tetheritall.hub.radios.api;

/**
 * An APS data frame received from the network (AF_INCOMING_MSG on ZNP).
 *
 * @param srcNwk      sender's network address
 * @param srcEndpoint sender's endpoint
 * @param dstEndpoint our endpoint it was addressed to
 * @param clusterId   cluster of the payload
 * @param groupId     group it was sent to, 0 if none
 * @param broadcast   whether it was a broadcast
 * @param lqi         link quality 0..255
 * @param payload     the APS payload (a ZCL frame for HA clusters); owned by the receiver
 */
public record IncomingMessage(int srcNwk, int srcEndpoint, int dstEndpoint, int clusterId, int groupId,
                              boolean broadcast, int lqi, byte[] payload) {
}
