package io.tetheritall.hub.daemon.config;

/** A listener address {@code host:port} or {@code [v6]:port}; {@code off} disables the listener. */
public final class BindDefinition extends Definition<BindAddress> {

    public BindDefinition(String key, String doc, BindAddress defaultValue) {
        super(key, doc, defaultValue, false, true);
    }

    @Override
    protected BindAddress parseValue(String raw) throws InvalidValueException {
        return parseHostPort(raw).orElseThrow(this::invalid);
    }

    /** Parses {@code host:port}/{@code [v6]:port} without resolving names; empty if malformed. */
    static java.util.Optional<BindAddress> parseHostPort(String raw) {
        String host;
        String port;
        if (raw.startsWith("[")) {
            int close = raw.indexOf(']');
            if (close < 2 || close + 1 >= raw.length() || raw.charAt(close + 1) != ':') {
                return java.util.Optional.empty();
            }
            host = raw.substring(1, close);
            port = raw.substring(close + 2);
            if (!host.matches("[0-9A-Fa-f:.]+")) {
                return java.util.Optional.empty();
            }
        } else {
            int colon = raw.lastIndexOf(':');
            if (colon < 1 || raw.indexOf(':') != colon) {
                return java.util.Optional.empty();
            }
            host = raw.substring(0, colon);
            port = raw.substring(colon + 1);
            if (!host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                return java.util.Optional.empty();
            }
        }
        if (!port.matches("[0-9]{1,5}")) {
            return java.util.Optional.empty();
        }
        int p = Integer.parseInt(port);
        return p > 65535 ? java.util.Optional.empty() : java.util.Optional.of(new BindAddress(host, p));
    }

    @Override
    public String allowed() {
        return "host:port or [ipv6]:port with port 0..65535";
    }
}
