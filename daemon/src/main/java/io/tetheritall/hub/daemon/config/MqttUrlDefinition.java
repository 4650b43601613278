package io.tetheritall.hub.daemon.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code MQTT_URL}: {@code mqtt://host[:port]} or {@code mqtts://host[:port]}. Credentials go in
 * {@code MQTT_USERNAME}/{@code MQTT_PASSWORD}, never in the URL, so the URL can be logged.
 */
public final class MqttUrlDefinition extends Definition<MqttEndpoint> {

    public MqttUrlDefinition(String key, String doc) {
        super(key, doc, null, false, true);
    }

    @Override
    protected MqttEndpoint parseValue(String raw) throws InvalidValueException {
        URI u;
        try {
            u = new URI(raw);
        } catch (URISyntaxException e) {
            throw invalid();
        }
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equals("mqtt") || scheme.equals("mqtts"))) {
            throw invalid();
        }
        if (u.getRawUserInfo() != null) {
            throw new InvalidValueException("must not carry credentials: use MQTT_USERNAME and MQTT_PASSWORD");
        }
        String host = u.getHost();
        boolean emptyPath = u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/");
        if (host == null || !emptyPath || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw invalid();
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean tls = scheme.equals("mqtts");
        int port = u.getPort() == -1 ? (tls ? 8883 : 1883) : u.getPort();
        if (port < 1 || port > 65535) {
            throw invalid();
        }
        return new MqttEndpoint(tls, host, port);
    }

    @Override
    public String allowed() {
        return "mqtt://host[:port] or mqtts://host[:port]";
    }
}
