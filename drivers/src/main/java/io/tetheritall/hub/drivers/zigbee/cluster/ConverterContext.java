package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.zigbee.zcl.ZclValue;

import java.util.Map;

/**
 * What a converter may know about the device while it converts: the endpoint, the definition's
 * options for the cluster, the last known attribute values (e.g. divisors, the IAS zone type) and
 * the current state; and where to report an attribute it had to drop.
 */
public interface ConverterContext {
    int endpoint();

    ClusterOptions options();

    /** The last value seen for an attribute of this device (any endpoint, first match), or null. */
    ZclValue attribute(int clusterId, int attributeId);

    /** The device's current state (read-only view). */
    Map<String, Object> state();

    /** Records that an attribute was dropped (wrong type, out of range) with a reason token for metrics. */
    void drop(String reason, String message);

    /** A context with no knowledge; drops are ignored. For tests and group commands. */
    static ConverterContext simple(int endpoint, ClusterOptions options, Map<String, Object> state) {
        return new ConverterContext() {
            public int endpoint() {
                return endpoint;
            }

            public ClusterOptions options() {
                return options;
            }

            public ZclValue attribute(int clusterId, int attributeId) {
                return null;
            }

            public Map<String, Object> state() {
                return state;
            }

            public void drop(String reason, String message) {
            }
        };
    }
}
