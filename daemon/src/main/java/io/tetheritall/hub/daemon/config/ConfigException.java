package io.tetheritall.hub.daemon.config;

import java.util.List;

/**
 * The configuration cannot be used. Each entry of {@link #errors()} is one complete line naming the
 * key, the value (masked for secrets), where it came from and what is allowed, e.g.
 * {@code CACHE_EVICTION_POLICY='lfru' (from env): must be one of lru, lfu, ttl}.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> errors;
    private final List<String> warnings;

    public ConfigException(List<String> errors, List<String> warnings) {
        super(String.join("\n", errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    /** One line per problem, in key order. */
    public List<String> errors() {
        return errors;
    }

    /** Warnings found on the way (unknown keys), so they can be printed with the errors. */
    public List<String> warnings() {
        return warnings;
    }
}
