package io.tetheritall.hub.daemon.uplink.mqtt;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The uplink's view of an MQTT client, so one uplink speaks MQTT 5 or 3.1.1 alike. Implementations
 * wrap hivemq-mqtt-client's async API; reconnects are the client's own (capped exponential backoff
 * with jitter).
 */
interface MqttTransport {

    /**
     * An incoming publish. {@code responseTopic}/{@code correlation} only with MQTT 5, else null;
     * {@code retained}: delivered from the broker's retained store at subscribe time.
     */
    record Inbound(String topic, byte[] payload, String responseTopic, byte[] correlation, String clientHint,
                   boolean retained) {
    }

    /** Called from the client's threads; must not block. */
    interface Listener {
        void connected();

        /**
         * @param cause         why
         * @param wrongProtocol the broker refused this protocol version before the first connection
         *                      succeeded (an MQTT 3.1.1-only broker answering an MQTT 5 CONNECT)
         */
        void disconnected(Throwable cause, boolean wrongProtocol);

        void message(Inbound message);
    }

    /** Connects in the background; reconnects by itself until {@link #stop()}. */
    void start();

    /** Completes when the broker accepted the message (QoS 1) or it was written (QoS 0). */
    CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain, byte[] correlation);

    /** Subscribes; kept across reconnects by the client. */
    CompletableFuture<Void> subscribe(List<String> filters);

    /** Disconnects cleanly (no last will) and stops reconnecting. */
    CompletableFuture<Void> stop();

    /** "5" or "3.1.1". */
    String protocol();
}
