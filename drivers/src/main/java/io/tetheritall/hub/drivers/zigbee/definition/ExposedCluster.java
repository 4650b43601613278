package io.tetheritall.hub.drivers.zigbee.definition;

import io.tetheritall.hub.drivers.zigbee.cluster.ClusterOptions;

/**
 * A cluster whose converter gives the device capabilities.
 *
 * @param clusterId the cluster
 * @param endpoint  the endpoint it lives on
 * @param options   options for the cluster's converter
 */
public record ExposedCluster(int clusterId, int endpoint, ClusterOptions options) {
}
