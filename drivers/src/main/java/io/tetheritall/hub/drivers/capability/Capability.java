package io.tetheritall.hub.drivers.capability;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One typed thing a device exposes, in the spirit of Zigbee2MQTT's "exposes": a name (the key in
 * the device's state), a kind with its constraints, access flags and the endpoint it lives on.
 *
 * <p>{@link #validate(Object)} checks a value coming from a user and returns it normalised
 * (numbers as Double or Long as the kind prefers, enum values in their canonical case) or throws
 * {@link ValueValidationException} naming the capability and what it allows.
 */
public sealed interface Capability permits BinaryCapability, NumericCapability, EnumCapability, TextCapability,
        CompositeCapability {

    /** The state key, e.g. {@code state}, {@code brightness}, {@code color}. */
    String name();

    /** {@code binary}, {@code numeric}, {@code enum}, {@code text} or {@code composite}. */
    String kind();

    Set<Access> access();

    /** The endpoint the capability lives on. */
    int endpoint();

    /** Checks and normalises a value to set; throws {@link ValueValidationException}. */
    Object validate(Object value);

    /** A copy bound to another endpoint. */
    Capability onEndpoint(int endpoint);

    default boolean settable() {
        return access().contains(Access.SET);
    }

    default boolean readable() {
        return access().contains(Access.READ);
    }

    default boolean reported() {
        return access().contains(Access.REPORT);
    }

    /** Unit for numeric capabilities, null otherwise. */
    default String unit() {
        return null;
    }

    /** Allowed values for enum and binary capabilities, empty otherwise. */
    default List<String> values() {
        return List.of();
    }

    /** Access flags from a compact string: any of 'r' (report), 's' (set), 'g' (get/read). */
    static Set<Access> access(String flags) {
        Set<Access> s = EnumSet.noneOf(Access.class);
        for (char c : flags.toCharArray()) {
            switch (c) {
                case 'r' -> s.add(Access.REPORT);
                case 's' -> s.add(Access.SET);
                case 'g' -> s.add(Access.READ);
                default -> throw new IllegalArgumentException("unknown access flag '" + c + "' in " + flags);
            }
        }
        return Set.copyOf(s);
    }

    /** "a String", "a Double" etc. for error messages. */
    static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }
}
