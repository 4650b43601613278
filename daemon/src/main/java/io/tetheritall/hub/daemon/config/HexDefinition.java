package io.tetheritall.hub.daemon.config;

import java.util.HexFormat;
import java.util.function.Predicate;

/**
 * A fixed number of bytes written in hex: {@code 0x1A62}, {@code 1a62} or colon-separated
 * {@code DD:DD:DD:DD:DD:DD:DD:DD}. An extra predicate rejects reserved values (e.g. PAN id 0xFFFF).
 */
public final class HexDefinition extends Definition<HexBytes> {
    private final int length;
    private final Predicate<HexBytes> extra;
    private final String extraText;

    public HexDefinition(String key, String doc, int length, boolean secret) {
        this(key, doc, length, secret, v -> true, null);
    }

    /** @param extraText what {@code extra} requires, appended to the allowed text */
    public HexDefinition(String key, String doc, int length, boolean secret, Predicate<HexBytes> extra,
                         String extraText) {
        super(key, doc, null, secret, false);
        this.length = length;
        this.extra = extra;
        this.extraText = extraText;
    }

    @Override
    protected HexBytes parseValue(String raw) throws InvalidValueException {
        String s = raw.startsWith("0x") || raw.startsWith("0X") ? raw.substring(2) : raw;
        s = s.replace(":", "");
        if (s.length() != length * 2 || !s.matches("[0-9A-Fa-f]+")) {
            throw invalid();
        }
        HexBytes v = new HexBytes(HexFormat.of().parseHex(s));
        if (!extra.test(v)) {
            throw invalid();
        }
        return v;
    }

    @Override
    public String allowed() {
        String base = length + " bytes of hex (" + (length * 2) + " hex digits, optional 0x prefix or colons)";
        return extraText == null ? base : base + ", " + extraText;
    }
}
