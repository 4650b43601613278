package io.tetheritall.hub.drivers.zigbee.definition;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.cluster.ClusterConverter;

/**
 * A capability together with the cluster and converter that implement it on a device.
 *
 * @param capability the capability (validation, access flags, endpoint)
 * @param cluster    the exposed cluster (endpoint and options)
 * @param converter  the converter for that cluster
 */
public record BoundCapability(Capability capability, ExposedCluster cluster, ClusterConverter converter) {
    public String name() {
        return capability.name();
    }
}
