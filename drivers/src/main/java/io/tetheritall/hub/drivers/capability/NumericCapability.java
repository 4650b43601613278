package io.tetheritall.hub.drivers.capability;

import java.util.Set;

/**
 * A number with an optional unit and range.
 *
 * @param unit    e.g. "°C", "%", "W", "mired"; null if none
 * @param min     lowest allowed value, null for unbounded
 * @param max     highest allowed value, null for unbounded
 * @param integer whether only whole numbers are allowed (e.g. brightness)
 */
public record NumericCapability(String name, Set<Access> access, int endpoint, String unit, Double min, Double max,
                                boolean integer) implements Capability {
    public NumericCapability {
        access = Set.copyOf(access);
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException(name + ": min " + min + " > max " + max);
        }
    }

    public static NumericCapability of(String name, String flags, int endpoint, String unit, Double min, Double max,
                                       boolean integer) {
        return new NumericCapability(name, Capability.access(flags), endpoint, unit, min, max, integer);
    }

    @Override
    public String kind() {
        return "numeric";
    }

    /** The allowed range as text, e.g. {@code 0..254}. */
    public String range() {
        return fmt(min) + ".." + fmt(max);
    }

    private String fmt(Double d) {
        if (d == null) {
            return "";
        }
        return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }

    /** Returns a Long for integer capabilities, a Double otherwise. */
    @Override
    public Object validate(Object value) {
        double d;
        if (value instanceof Number n) {
            d = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new ValueValidationException(name, "\"" + s + "\" is not a number" + rangeSuffix());
            }
        } else {
            throw new ValueValidationException(name, Capability.describe(value) + " is not a number" + rangeSuffix());
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ValueValidationException(name, d + " is not a finite number" + rangeSuffix());
        }
        if ((min != null && d < min) || (max != null && d > max)) {
            throw new ValueValidationException(name, fmt(d) + " is out of range " + range());
        }
        if (integer) {
            if (d != Math.rint(d)) {
                throw new ValueValidationException(name, d + " is not a whole number" + rangeSuffix());
            }
            return (long) d;
        }
        return d;
    }

    private String rangeSuffix() {
        return min == null && max == null ? "" : " (allowed " + range() + ")";
    }

    @Override
    public Capability onEndpoint(int ep) {
        return new NumericCapability(name, access, ep, unit, min, max, integer);
    }
}
