package io.tetheritall.hub.daemon.config;

/**
 * The MQTT broker from {@code MQTT_URL}.
 *
 * @param tls  {@code mqtts://}
 * @param host host name or IP literal (no brackets)
 * @param port 1..65535; 1883 or 8883 when the URL gives none
 */
public record MqttEndpoint(boolean tls, String host, int port) {
    @Override
    public String toString() {
        return (tls ? "mqtts://" : "mqtt://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
