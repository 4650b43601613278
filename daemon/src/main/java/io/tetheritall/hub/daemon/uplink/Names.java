package io.tetheritall.hub.daemon.uplink;

/**
 * Checks on friendly names and incoming topic strings. A friendly name becomes part of MQTT topics
 * and CoAP paths, so it must not contain MQTT wildcards ({@code +}, {@code #}), NUL or other control
 * characters (MQTT 5 §1.5.4: "The character data in a UTF-8 Encoded String MUST NOT include an
 * encoding of the null character U+0000"; control characters "SHOULD NOT" be included), and must not
 * start or end with {@code /} or contain an empty level.
 */
public final class Names {
    private Names() {
    }

    /** Why {@code name} is not acceptable as a friendly name, or null if it is fine. */
    public static String invalidFriendlyName(String name) {
        if (name == null || name.isBlank()) {
            return "friendly name must not be empty";
        }
        if (name.length() > 128) {
            return "friendly name longer than 128 characters";
        }
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            return "friendly name must not start or end with '/' or contain '//'";
        }
        if (name.equals("bridge") || name.startsWith("bridge/")) {
            return "friendly name must not be 'bridge' or start with 'bridge/'";
        }
        String last = name.substring(name.lastIndexOf('/') + 1);
        if (last.equals("set") || last.equals("get") || last.equals("availability")) {
            return "friendly name must not end with a '/set', '/get' or '/availability' level";
        }
        String odd = oddCharacter(name);
        if (odd != null) {
            return "friendly name contains " + odd;
        }
        if (name.indexOf('+') >= 0 || name.indexOf('#') >= 0) {
            return "friendly name must not contain the MQTT wildcards '+' or '#'";
        }
        return null;
    }

    /**
     * Describes the first character of {@code s} that has no place in a topic (control characters,
     * unpaired surrogates, U+FFFD from a bad UTF-8 decode, non-characters), or null if none.
     */
    public static String oddCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return String.format("control character U+%04X at %d", (int) c, i);
            }
            if (c == '\uFFFD' || c == '\uFFFE' || c == '\uFFFF') {
                return String.format("invalid character U+%04X at %d", (int) c, i);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "unpaired surrogate at " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "unpaired surrogate at " + i;
            }
        }
        return null;
    }
}
