package io.tetheritall.hub.daemon.config;

/** {@code ZIGBEE_PORT}: an absolute device path or {@code tcp://host:port}; unset or off means no radio. */
public final class RadioPortDefinition extends Definition<RadioPort> {

    public RadioPortDefinition(String key, String doc) {
        super(key, doc, null, false, true);
    }

    @Override
    protected RadioPort parseValue(String raw) throws InvalidValueException {
        if (raw.startsWith("tcp://")) {
            BindAddress a = BindDefinition.parseHostPort(raw.substring(6)).orElseThrow(this::invalid);
            if (a.port() == 0) {
                throw invalid();
            }
            return new RadioPort(null, a);
        }
        // A device path: absolute, no spaces or shell-ish characters (it ends up in log lines).
        if (!raw.matches("/[A-Za-z0-9._/+:@-]+")) {
            throw invalid();
        }
        return new RadioPort(raw, null);
    }

    @Override
    public String allowed() {
        return "an absolute device path (/dev/ttyUSB0) or tcp://host:port";
    }
}
