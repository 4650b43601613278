package io.tetheritall.hub.daemon.config;

import java.util.Locale;

/**
 * A byte count with inclusive bounds, written as a plain number or with a binary suffix
 * {@code k}, {@code m} or {@code g} (KiB, MiB, GiB), e.g. {@code 8m}.
 */
public final class SizeDefinition extends Definition<Long> {
    private final long min;
    private final long max;

    public SizeDefinition(String key, String doc, Long defaultValue, long min, long max) {
        super(key, doc, defaultValue, false, false);
        this.min = min;
        this.max = max;
        if (defaultValue != null && (defaultValue < min || defaultValue > max)) {
            throw new IllegalArgumentException(key + ": default outside bounds");
        }
    }

    @Override
    protected Long parseValue(String raw) throws InvalidValueException {
        String s = raw.toLowerCase(Locale.ROOT).replace("_", "");
        long unit = 1;
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            char u = s.charAt(s.length() - 1);
            unit = u == 'k' ? 1L << 10 : u == 'm' ? 1L << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        long v;
        try {
            v = Math.multiplyExact(Long.parseLong(s), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid();
        }
        if (v < min || v > max) {
            throw invalid();
        }
        return v;
    }

    @Override
    public String allowed() {
        return "a byte count in [" + min + ", " + max + "] (suffix k, m or g allowed)";
    }
}
