package io.tetheritall.hub.drivers.capability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A two-valued capability. Settable on/off capabilities use Zigbee2MQTT's strings ("ON"/"OFF",
 * plus "TOGGLE" where {@code toggle} is true); read-only sensors (occupancy, contact) use
 * booleans ({@code valueOn} = Boolean.TRUE).
 *
 * @param valueOn  the "on" value: "ON" or Boolean.TRUE
 * @param valueOff the "off" value: "OFF" or Boolean.FALSE
 * @param toggle   whether "TOGGLE" is accepted when setting
 */
public record BinaryCapability(String name, Set<Access> access, int endpoint, Object valueOn, Object valueOff,
                               boolean toggle) implements Capability {
    public BinaryCapability {
        access = Set.copyOf(access);
    }

    /** An ON/OFF switch with TOGGLE. */
    public static BinaryCapability onOff(String name, String flags, int endpoint) {
        return new BinaryCapability(name, Capability.access(flags), endpoint, "ON", "OFF", true);
    }

    /** A boolean sensor value. */
    public static BinaryCapability bool(String name, String flags, int endpoint) {
        return new BinaryCapability(name, Capability.access(flags), endpoint, Boolean.TRUE, Boolean.FALSE, false);
    }

    @Override
    public String kind() {
        return "binary";
    }

    @Override
    public List<String> values() {
        List<String> v = new ArrayList<>(List.of(String.valueOf(valueOn), String.valueOf(valueOff)));
        if (toggle) {
            v.add("TOGGLE");
        }
        return v;
    }

    @Override
    public Object validate(Object value) {
        if (valueOn instanceof String) {
            if (value instanceof Boolean b) {
                return b ? valueOn : valueOff;
            }
            if (value instanceof String s) {
                String u = s.toUpperCase(Locale.ROOT);
                if (u.equals(valueOn) || u.equals(valueOff) || (toggle && u.equals("TOGGLE"))) {
                    return u;
                }
            }
            throw new ValueValidationException(name, Capability.describe(value) + " is not one of " + values());
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new ValueValidationException(name, Capability.describe(value) + " is not a boolean (true/false)");
    }

    @Override
    public Capability onEndpoint(int ep) {
        return new BinaryCapability(name, access, ep, valueOn, valueOff, toggle);
    }
}
