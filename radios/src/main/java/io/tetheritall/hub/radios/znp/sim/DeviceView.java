package io.tetheritall.hub.radios.znp.sim;

import java.util.Map;
import java.util.Set;

/**
 * A snapshot of one simulated device, for tests and the fault console.
 *
 * @param attributes every attribute value by cluster, then attribute id: Long for numbers, String
 *                   for character strings
 */
public record DeviceView(long ieee, int nwk, DeviceKind kind, boolean joined, boolean silent, boolean onOff,
                         int level, int hue, int saturation, int colorX, int colorY, int colorTemp, int colorMode,
                         Set<Integer> groups, Map<Integer, Map<Integer, Object>> attributes) {

    /** One attribute, or null when the device does not have it. */
    public Object attribute(int cluster, int attr) {
        Map<Integer, Object> c = attributes.get(cluster);
        return c == null ? null : c.get(attr);
    }
}
