package io.tetheritall.hub.daemon.uplink.mqtt;

import io.tetheritall.hub.daemon.core.api.CapabilityView;
import io.tetheritall.hub.daemon.core.api.DeviceView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant MQTT discovery: one retained config message per capability under
 * {@code <prefix>/<component>/<node>/<object>/config}, as HA's MQTT integration documents. The
 * component follows the capability: a settable binary is a {@code switch}, a read-only one a
 * {@code binary_sensor}, a settable number a {@code number}, a settable enum a {@code select},
 * anything else readable a {@code sensor}.
 */
final class HaDiscovery {
    /** One discovery message. */
    record Config(String topic, Map<String, Object> payload) {
    }

    private HaDiscovery() {
    }

    static List<Config> configs(String prefix, String baseTopic, DeviceView d) {
        List<Config> out = new ArrayList<>();
        String node = d.ieee().replace("0x", "");
        String stateTopic = baseTopic + "/" + d.friendlyName();
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of("tetheritall_" + d.ieee()));
        device.put("name", d.friendlyName());
        if (d.manufacturer() != null) {
            device.put("manufacturer", d.manufacturer());
        }
        if (d.model() != null) {
            device.put("model", d.model());
        }
        device.put("via_device", "tetheritall_bridge_" + baseTopic.replace('/', '_'));
        for (CapabilityView c : d.capabilities()) {
            String component = component(c);
            String object = c.name().replaceAll("[^A-Za-z0-9_-]", "_");
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", c.name());
            p.put("unique_id", node + "_" + object + "_tetheritall");
            p.put("object_id", d.friendlyName().replaceAll("[^A-Za-z0-9_]", "_") + "_" + object);
            p.put("state_topic", stateTopic);
            p.put("value_template", "{{ value_json." + c.name() + " }}");
            p.put("availability_topic", stateTopic + "/availability");
            p.put("availability_template", "{{ value_json.state }}");
            p.put("json_attributes_topic", stateTopic);
            if (c.unit() != null) {
                p.put("unit_of_measurement", c.unit());
            }
            if (c.settable()) {
                p.put("command_topic", stateTopic + "/set/" + c.name());
            }
            switch (component) {
                case "switch", "binary_sensor" -> {
                    List<String> v = c.values() == null || c.values().size() < 2 ? List.of("ON", "OFF") : c.values();
                    p.put("payload_on", v.get(0));
                    p.put("payload_off", v.get(1));
                    if (component.equals("switch")) {
                        p.put("state_on", v.get(0));
                        p.put("state_off", v.get(1));
                    }
                }
                case "number" -> {
                    if (c.min() != null) {
                        p.put("min", c.min());
                    }
                    if (c.max() != null) {
                        p.put("max", c.max());
                    }
                }
                case "select" -> p.put("options", c.values());
                default -> {
                    if ("numeric".equals(c.kind())) {
                        p.put("state_class", "measurement");
                    }
                }
            }
            p.put("device", device);
            out.add(new Config(prefix + "/" + component + "/" + node + "/" + object + "/config", p));
        }
        return out;
    }

    static String component(CapabilityView c) {
        String kind = c.kind() == null ? "" : c.kind();
        return switch (kind) {
            case "binary" -> c.settable() ? "switch" : "binary_sensor";
            case "numeric" -> c.settable() ? "number" : "sensor";
            case "enum" -> c.settable() ? "select" : "sensor";
            default -> "sensor";
        };
    }
}
