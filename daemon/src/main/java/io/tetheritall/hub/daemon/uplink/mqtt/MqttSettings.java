package io.tetheritall.hub.daemon.uplink.mqtt;

import io.tetheritall.hub.daemon.uplink.ClientLimiter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of the MQTT uplink; the daemon maps its configuration onto these. Build with
 * {@link #builder(String)}; derive a variant with {@link #toBuilder()}.
 *
 * @param host                  broker host
 * @param port                  broker port (1883, or 8883 with TLS)
 * @param clientId              MQTT client identifier
 * @param baseTopic             topic prefix, default {@code tetheritall/<hub id>} so a fleet shares a broker
 * @param protocol              AUTO (MQTT 5, falling back to 3.1.1), V5 or V3
 * @param username              null for none
 * @param password              null for none
 * @param tls                   connect with TLS
 * @param tlsCaFile             PEM file of CA certificates to trust; null: the JVM's default trust store
 * @param tlsClientKeystore     PKCS#12 file with the client certificate and key; null: none
 * @param tlsClientKeystorePassword password of that file
 * @param keepAlive             MQTT keepalive
 * @param reconnectInitialDelay first reconnect delay; doubles up to the maximum, with jitter
 * @param reconnectMaxDelay     cap of the reconnect delay
 * @param retainState           publish device state retained
 * @param qos                   QoS of state, event and response publishes (0 or 1)
 * @param homeAssistant         publish Home Assistant discovery
 * @param haDiscoveryPrefix     default {@code homeassistant}
 * @param haStatusTopic         default {@code homeassistant/status}
 * @param maxPayloadBytes       incoming payloads above this are refused with an error response
 * @param publishRatePerSecond  optional publish rate limit protecting a thin uplink; 0 = none
 * @param publishBurst          burst of that limit
 * @param clientLimits          per-client limits for commands and requests
 * @param commandTimeout        a command not confirmed in this time is answered with TIMEOUT
 * @param requireTransaction    refuse bridge requests without a {@code transaction} id
 * @param drainBatch            outbox entries published per batch when draining
 */
public record MqttSettings(String host, int port, String clientId, String baseTopic, Protocol protocol,
                           String username, String password, boolean tls, Path tlsCaFile,
                           Path tlsClientKeystore, String tlsClientKeystorePassword, Duration keepAlive,
                           Duration reconnectInitialDelay, Duration reconnectMaxDelay, boolean retainState,
                           int qos, boolean homeAssistant, String haDiscoveryPrefix, String haStatusTopic,
                           int maxPayloadBytes, double publishRatePerSecond, int publishBurst,
                           ClientLimiter.Limits clientLimits, Duration commandTimeout,
                           boolean requireTransaction, int drainBatch) {

    /** Which MQTT version to speak. */
    public enum Protocol { AUTO, V5, V3 }

    public MqttSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(baseTopic, "baseTopic");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(clientLimits, "clientLimits");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, but was " + port);
        }
        if (baseTopic.isEmpty() || baseTopic.endsWith("/") || baseTopic.contains("+") || baseTopic.contains("#")) {
            throw new IllegalArgumentException("baseTopic must be non-empty, without wildcards or a trailing '/', but was '" + baseTopic + "'");
        }
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("qos must be 0 or 1, but was " + qos);
        }
        if (maxPayloadBytes < 64) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 64, but was " + maxPayloadBytes);
        }
        if (drainBatch < 1) {
            throw new IllegalArgumentException("drainBatch must be >= 1, but was " + drainBatch);
        }
    }

    /** Defaults for hub {@code hubId}: localhost:1883, base topic {@code tetheritall/<hubId>}. */
    public static Builder builder(String hubId) {
        Builder b = new Builder();
        b.clientId = "tetheritall-" + hubId;
        b.baseTopic = "tetheritall/" + hubId;
        return b;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host; b.port = port; b.clientId = clientId; b.baseTopic = baseTopic; b.protocol = protocol;
        b.username = username; b.password = password; b.tls = tls; b.tlsCaFile = tlsCaFile;
        b.tlsClientKeystore = tlsClientKeystore; b.tlsClientKeystorePassword = tlsClientKeystorePassword;
        b.keepAlive = keepAlive; b.reconnectInitialDelay = reconnectInitialDelay; b.reconnectMaxDelay = reconnectMaxDelay;
        b.retainState = retainState; b.qos = qos; b.homeAssistant = homeAssistant; b.haDiscoveryPrefix = haDiscoveryPrefix;
        b.haStatusTopic = haStatusTopic; b.maxPayloadBytes = maxPayloadBytes; b.publishRatePerSecond = publishRatePerSecond;
        b.publishBurst = publishBurst; b.clientLimits = clientLimits; b.commandTimeout = commandTimeout;
        b.requireTransaction = requireTransaction; b.drainBatch = drainBatch;
        return b;
    }

    /** Mutable builder with the defaults documented on each field. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 1883;
        private String clientId;
        private String baseTopic;
        private Protocol protocol = Protocol.AUTO;
        private String username;
        private String password;
        private boolean tls;
        private Path tlsCaFile;
        private Path tlsClientKeystore;
        private String tlsClientKeystorePassword;
        private Duration keepAlive = Duration.ofSeconds(60);
        private Duration reconnectInitialDelay = Duration.ofSeconds(1);
        private Duration reconnectMaxDelay = Duration.ofSeconds(120);
        private boolean retainState = true;
        private int qos = 1;
        private boolean homeAssistant = false;
        private String haDiscoveryPrefix = "homeassistant";
        private String haStatusTopic = "homeassistant/status";
        private int maxPayloadBytes = 64 * 1024;
        private double publishRatePerSecond = 0;
        private int publishBurst = 100;
        private ClientLimiter.Limits clientLimits = new ClientLimiter.Limits(0, 50, 100);
        private Duration commandTimeout = Duration.ofSeconds(10);
        private boolean requireTransaction = false;
        private int drainBatch = 64;

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder baseTopic(String v) { baseTopic = v; return this; }
        public Builder protocol(Protocol v) { protocol = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder tls(boolean v) { tls = v; return this; }
        public Builder tlsCaFile(Path v) { tlsCaFile = v; return this; }
        public Builder tlsClientKeystore(Path v, String password) { tlsClientKeystore = v; tlsClientKeystorePassword = password; return this; }
        public Builder keepAlive(Duration v) { keepAlive = v; return this; }
        public Builder reconnect(Duration initial, Duration max) { reconnectInitialDelay = initial; reconnectMaxDelay = max; return this; }
        public Builder retainState(boolean v) { retainState = v; return this; }
        public Builder qos(int v) { qos = v; return this; }
        public Builder homeAssistant(boolean v) { homeAssistant = v; return this; }
        public Builder haDiscoveryPrefix(String v) { haDiscoveryPrefix = v; return this; }
        public Builder haStatusTopic(String v) { haStatusTopic = v; return this; }
        public Builder maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }
        public Builder publishRate(double perSecond, int burst) { publishRatePerSecond = perSecond; publishBurst = burst; return this; }
        public Builder clientLimits(ClientLimiter.Limits v) { clientLimits = v; return this; }
        public Builder commandTimeout(Duration v) { commandTimeout = v; return this; }
        public Builder requireTransaction(boolean v) { requireTransaction = v; return this; }
        public Builder drainBatch(int v) { drainBatch = v; return this; }

        public MqttSettings build() {
            return new MqttSettings(host, port, clientId, baseTopic, protocol, username, password, tls, tlsCaFile,
                    tlsClientKeystore, tlsClientKeystorePassword, keepAlive, reconnectInitialDelay, reconnectMaxDelay,
                    retainState, qos, homeAssistant, haDiscoveryPrefix, haStatusTopic, maxPayloadBytes,
                    publishRatePerSecond, publishBurst, clientLimits, commandTimeout, requireTransaction, drainBatch);
        }
    }
}
