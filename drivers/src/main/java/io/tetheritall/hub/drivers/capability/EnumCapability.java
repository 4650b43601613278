package io.tetheritall.hub.drivers.capability;

import java.util.List;
import java.util.Set;

/** One of a fixed list of strings (matched case-insensitively, returned in canonical case). */
public record EnumCapability(String name, Set<Access> access, int endpoint, List<String> values)
        implements Capability {
    public EnumCapability {
        access = Set.copyOf(access);
        values = List.copyOf(values);
    }

    public static EnumCapability of(String name, String flags, int endpoint, String... values) {
        return new EnumCapability(name, Capability.access(flags), endpoint, List.of(values));
    }

    @Override
    public String kind() {
        return "enum";
    }

    @Override
    public Object validate(Object value) {
        if (value instanceof String s) {
            for (String v : values) {
                if (v.equalsIgnoreCase(s)) {
                    return v;
                }
            }
        }
        throw new ValueValidationException(name, Capability.describe(value) + " is not one of " + values);
    }

    @Override
    public Capability onEndpoint(int ep) {
        return new EnumCapability(name, access, ep, values);
    }
}
