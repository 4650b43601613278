package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.zigbee.zcl.ZclReader;

import java.util.Map;
import java.util.Objects;

/**
 * A ZCL command a converter wants sent, before the hub gives it a TSN and an address.
 *
 * @param clusterId       the cluster
 * @param clusterSpecific a cluster-specific command (else global)
 * @param commandId       the command id
 * @param payload         the encoded command payload
 * @param expectedState   the state the device will be in once it confirms (applied on the default
 *                        response, or optimistically when the device cannot confirm)
 * @param coalesceKey     the scheduler's coalescing key: a newer request with the same key to the
 *                        same device replaces this one while queued (e.g. {@code brightness})
 */
public record ZclRequest(int clusterId, boolean clusterSpecific, int commandId, byte[] payload,
                         Map<String, Object> expectedState, String coalesceKey) {
    public ZclRequest {
        Objects.requireNonNull(payload, "payload");
        expectedState = expectedState == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(expectedState));
    }

    @Override
    public String toString() {
        return String.format("ZclRequest[cluster=0x%04x %s cmd=0x%02x payload=%s expect=%s]", clusterId,
                clusterSpecific ? "specific" : "global", commandId, ZclReader.hex(payload), expectedState);
    }
}
