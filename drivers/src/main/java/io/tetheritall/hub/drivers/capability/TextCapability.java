package io.tetheritall.hub.drivers.capability;

import java.util.Set;

/** Free text (e.g. a firmware build id), at most {@code maxLength} characters. */
public record TextCapability(String name, Set<Access> access, int endpoint, int maxLength) implements Capability {
    public TextCapability {
        access = Set.copyOf(access);
    }

    @Override
    public String kind() {
        return "text";
    }

    @Override
    public Object validate(Object value) {
        if (!(value instanceof String s)) {
            throw new ValueValidationException(name, Capability.describe(value) + " is not text");
        }
        if (s.length() > maxLength) {
            throw new ValueValidationException(name, "text longer than " + maxLength + " characters");
        }
        return s;
    }

    @Override
    public Capability onEndpoint(int ep) {
        return new TextCapability(name, access, ep, maxLength);
    }
}
