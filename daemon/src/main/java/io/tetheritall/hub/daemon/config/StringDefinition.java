package io.tetheritall.hub.daemon.config;

import java.util.regex.Pattern;

/** Free text that must match a pattern; optionally a secret (never shown). */
public final class StringDefinition extends Definition<String> {
    private final Pattern pattern;
    private final String description;

    /**
     * @param pattern     the whole value must match it
     * @param description what the pattern means, completing "must be ..."
     */
    public StringDefinition(String key, String doc, String defaultValue, String pattern, String description,
                            boolean secret) {
        super(key, doc, defaultValue, secret, false);
        this.pattern = Pattern.compile(pattern);
        this.description = description;
        if (defaultValue != null && !this.pattern.matcher(defaultValue).matches()) {
            throw new IllegalArgumentException(key + ": default does not match " + pattern);
        }
    }

    @Override
    protected String parseValue(String raw) throws InvalidValueException {
        if (!pattern.matcher(raw).matches()) {
            throw invalid();
        }
        return raw;
    }

    @Override
    public String allowed() {
        return description;
    }
}
