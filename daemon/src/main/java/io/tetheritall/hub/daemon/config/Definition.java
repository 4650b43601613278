package io.tetheritall.hub.daemon.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One typed configuration setting: its key, the environment variable that sets it, a doc string,
 * a default and the values it allows (modelled on Californium's {@code IntegerDefinition(name, doc,
 * default, min)}).
 *
 * <p>The key used in {@code hub.conf} is the same as the environment variable name, so a line can be
 * moved between {@code /etc/default/tetheritall-hub} and {@code hub.conf} unchanged. A {@code null}
 * default means the setting is optional and absent unless a source sets it.
 *
 * <p>Definitions are immutable and thread-safe; {@link #parse(String)} never returns a value that
 * {@link #allowed()} would reject.
 *
 * @param <T> the parsed value type (immutable)
 */
public abstract class Definition<T> {
    private final String key;
    private final String envName;
    private final String doc;
    private final T defaultValue;
    private final boolean secret;
    private final boolean offAllowed;

    protected Definition(String key, String doc, T defaultValue, boolean secret, boolean offAllowed) {
        this.key = Objects.requireNonNull(key, "key");
        if (!key.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("keys are upper-case env-style names, but was " + key);
        }
        this.envName = key;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.offAllowed = offAllowed;
    }

    /** The key in {@code hub.conf} and in dumps, e.g. {@code CACHE_MAX_SIZE}. */
    public final String key() {
        return key;
    }

    /** The environment variable that sets it (the same text as {@link #key()}). */
    public final String envName() {
        return envName;
    }

    /** One sentence for {@code check-config} and the commented default files. */
    public final String doc() {
        return doc;
    }

    /** The built-in default, or {@code null} when the setting is optional. */
    public final T defaultValue() {
        return defaultValue;
    }

    /** Whether the value must never appear in logs, dumps or error messages. */
    public final boolean secret() {
        return secret;
    }

    /**
     * Whether {@code off} (or {@code none}) is accepted and means "absent": it lets a higher-precedence
     * source switch off something a lower one turned on, e.g. {@code COAP_BIND=off}.
     */
    public final boolean offAllowed() {
        return offAllowed;
    }

    /**
     * Parses a raw, already trimmed, non-empty text.
     *
     * @return the value, or {@code null} for {@code off}/{@code none} when {@link #offAllowed()}
     * @throws InvalidValueException with the "must be ..." text when the value is not allowed
     */
    public final T parse(String raw) throws InvalidValueException {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (offAllowed && (lower.equals("off") || lower.equals("none"))) {
            return null;
        }
        return parseValue(raw);
    }

    /** Parses a non-empty value that is not {@code off}. */
    protected abstract T parseValue(String raw) throws InvalidValueException;

    /** What is allowed, completing "must be ...", e.g. {@code "an integer in [1, 1000]"}. */
    public abstract String allowed();

    /** The text form of a value, parseable by {@link #parse(String)}; {@code off} for absent. */
    public String format(T value) {
        return value == null ? "off" : String.valueOf(value);
    }

    /** {@link #allowed()} completed with the {@code off} escape when it applies. */
    public final String allowedWithOff() {
        return offAllowed ? allowed() + ", or off" : allowed();
    }

    /** Convenience for subclasses: a failure that repeats {@link #allowedWithOff()}. */
    protected final InvalidValueException invalid() {
        return new InvalidValueException("must be " + allowedWithOff());
    }

    @Override
    public String toString() {
        return key;
    }
}
