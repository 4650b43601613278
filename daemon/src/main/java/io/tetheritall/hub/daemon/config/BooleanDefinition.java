package io.tetheritall.hub.daemon.config;

import java.util.Locale;

/** A flag: {@code true/false}, {@code yes/no}, {@code on/off} or {@code 1/0}, any case. */
public final class BooleanDefinition extends Definition<Boolean> {

    public BooleanDefinition(String key, String doc, Boolean defaultValue) {
        super(key, doc, defaultValue, false, false);
    }

    @Override
    protected Boolean parseValue(String raw) throws InvalidValueException {
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return Boolean.TRUE;
            case "false": case "no": case "off": case "0":
                return Boolean.FALSE;
            default:
                throw invalid();
        }
    }

    @Override
    public String allowed() {
        return "true or false (yes/no, on/off, 1/0)";
    }
}
