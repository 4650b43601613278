/**
 * One converter per ZCL cluster ({@link io.tetheritall.hub.drivers.zigbee.cluster.ClusterConverter}):
 * attributes and commands to capability values and back. Looked up by cluster id through
 * {@link io.tetheritall.hub.drivers.zigbee.cluster.Converters}.
 */
package io.tetheritall.hub.drivers.zigbee.cluster;
