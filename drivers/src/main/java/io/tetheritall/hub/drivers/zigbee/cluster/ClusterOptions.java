package io.tetheritall.hub.drivers.zigbee.cluster;

import java.util.Map;

/**
 * Per-cluster options a device definition gives a converter, e.g. {@code colorModes=xy,hs,ct},
 * {@code ctMin=250}, {@code zoneType=contact}. Immutable.
 */
public record ClusterOptions(Map<String, Object> values) {
    public static final ClusterOptions NONE = new ClusterOptions(Map.of());

    public ClusterOptions {
        values = Map.copyOf(values);
    }

    public static ClusterOptions of(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new ClusterOptions(m);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key, String dflt) {
        Object v = values.get(key);
        return v == null ? dflt : v.toString();
    }

    public int integer(String key, int dflt) {
        Object v = values.get(key);
        return v instanceof Number n ? n.intValue() : dflt;
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }
}
