package io.tetheritall.hub.daemon.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** One of the constants of an enum, written in lower case (any case is accepted). */
public final class EnumDefinition<E extends Enum<E>> extends Definition<E> {
    private final Class<E> type;

    public EnumDefinition(String key, String doc, Class<E> type, E defaultValue) {
        super(key, doc, defaultValue, false, false);
        this.type = type;
    }

    @Override
    protected E parseValue(String raw) throws InvalidValueException {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(raw)) {
                return e;
            }
        }
        throw invalid();
    }

    @Override
    public String format(E value) {
        return value == null ? "off" : value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String allowed() {
        return "one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
