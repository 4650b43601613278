package io.tetheritall.hub.daemon.uplink.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttDecodeException;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/** The two hivemq-mqtt-client based transports (MQTT 5 and MQTT 3.1.1) and what they share. */
final class HiveTransports {
    private HiveTransports() {
    }

    static MqttTransport create(MqttSettings s, boolean v5, String willTopic, MqttTransport.Listener l) {
        return v5 ? new V5(s, willTopic, l) : new V3(s, willTopic, l);
    }

    static MqttQos qos(int q) {
        return q <= 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    }

    /** TLS from a CA PEM file and an optional PKCS#12 client key store. */
    static MqttClientSslConfig ssl(MqttSettings s) {
        try {
            var b = MqttClientSslConfig.builder();
            if (s.tlsCaFile() != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(s.tlsCaFile())) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("ca" + i++, c);
                    }
                    if (i == 0) {
                        throw new IllegalArgumentException("no certificate in " + s.tlsCaFile());
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                b = b.trustManagerFactory(tmf);
            }
            if (s.tlsClientKeystore() != null) {
                char[] pw = s.tlsClientKeystorePassword() == null ? new char[0] : s.tlsClientKeystorePassword().toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(s.tlsClientKeystore())) {
                    ks.load(in, pw);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
                b = b.keyManagerFactory(kmf);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot set up MQTT TLS: " + e.getMessage(), e);
        }
    }

    /** True if the failure means "this broker does not speak MQTT 5" rather than "broker unreachable". */
    static boolean looksLikeWrongProtocol(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof Mqtt5ConnAckException e) {
                return e.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
            }
            // A 3.1.1 broker's CONNACK (return code 1, no properties) does not decode as MQTT 5.
            if (c instanceof MqttDecodeException) {
                return true;
            }
            if (c instanceof Mqtt5DisconnectException e) {
                Mqtt5DisconnectReasonCode rc = e.getMqttMessage().getReasonCode();
                return rc == Mqtt5DisconnectReasonCode.MALFORMED_PACKET || rc == Mqtt5DisconnectReasonCode.PROTOCOL_ERROR;
            }
        }
        return false;
    }

    /**
     * Lets {@code stop()} cancel a reconnect attempt that the client has already scheduled.
     *
     * <p>Between two attempts the client is in {@code DISCONNECTED_RECONNECT}, where {@code disconnect()} throws
     * "not connected" and cannot stop the next attempt (hivemq-mqtt-client issues #582, #675). If that attempt got
     * through after {@code stop()}, the stopped client would take the session over from its successor with the same
     * client id (a restarted uplink), which then reconnects and republishes its snapshot. So each attempt is held
     * on a gate that opens when its delay is over, or at once on {@code stop()}; the gate's callback runs on the
     * client's event loop, the one place the reconnector may be told not to reconnect.
     */
    private static final class ReconnectGate {
        private volatile boolean stopped;
        private volatile CompletableFuture<Void> pending;

        /** In the disconnected listener, after the automatic reconnect has set the attempt's delay. */
        void hold(MqttClientReconnector r) {
            if (!r.isReconnect()) {
                return;
            }
            CompletableFuture<Void> g = new CompletableFuture<Void>()
                    .completeOnTimeout(null, r.getDelay(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
            pending = g;
            r.reconnectWhen(g, (v, t) -> {
                if (stopped) {
                    r.reconnect(false);
                }
            });
            if (stopped) { // stop() came between the listener's check and here
                g.complete(null);
            }
        }

        void stop() {
            stopped = true;
            CompletableFuture<Void> g = pending;
            if (g != null) {
                g.complete(null);
            }
        }
    }

    /**
     * What both transports share: the client's setup (broker, client id, reconnect backoff, listeners,
     * TLS), the reaction to a disconnect, and a stop that also stops a scheduled reconnect. Only the client
     * type, its connect/publish/subscribe, and what counts as a wrong protocol differ by version.
     */
    private abstract static class HiveTransport implements MqttTransport {
        final MqttSettings s;
        final String willTopic;
        final Listener l;
        private final ReconnectGate gate = new ReconnectGate();
        private volatile boolean stopping;

        HiveTransport(MqttSettings s, String willTopic, Listener l) {
            this.s = s;
            this.willTopic = willTopic;
            this.l = l;
        }

        /** The builder both versions start from; {@code useMqttVersion3/5()} keeps all of it. */
        final MqttClientBuilder clientBuilder() {
            var b = MqttClient.builder().identifier(s.clientId()).serverHost(s.host())
                    .serverPort(s.port())
                    .automaticReconnect()
                    .initialDelay(s.reconnectInitialDelay().toMillis(), TimeUnit.MILLISECONDS)
                    .maxDelay(s.reconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS)
                    .applyAutomaticReconnect()
                    .addConnectedListener(ctx -> {
                        if (leftBecauseStopped()) {
                            return;
                        }
                        onConnected();
                        l.connected();
                    })
                    .addDisconnectedListener(this::onDisconnected);
            if (s.tls()) {
                b = b.sslConfig(ssl(s));
            }
            return b;
        }

        /** The client's own disconnect (each version has its own client type). */
        abstract CompletableFuture<Void> disconnect();

        /** Before the listener hears of a connection. */
        void onConnected() {
        }

        /** Whether this disconnect means the broker does not speak this protocol version (then: no retry). */
        abstract boolean wrongProtocol(Throwable cause);

        private void onDisconnected(MqttClientDisconnectedContext ctx) {
            boolean wrong = wrongProtocol(ctx.getCause());
            boolean stopped = stopping;
            if (wrong || stopped) {
                ctx.getReconnector().reconnect(false);
            } else {
                gate.hold(ctx.getReconnector());
            }
            if (!stopped) {
                l.disconnected(ctx.getCause(), wrong);
            }
        }

        /**
         * stop() came while the client was between reconnect attempts, where disconnect() cannot reach it, and
         * an attempt got through afterwards: leave at once. A stopped uplink must not hold the client id, or
         * the broker would kick its successor (a restarted hub) off with a session takeover.
         */
        private boolean leftBecauseStopped() {
            if (stopping) {
                disconnect();
            }
            return stopping;
        }

        /** The CONNECT password, UTF-8, or null if none is set. */
        final byte[] password() {
            return s.password() == null ? null : s.password().getBytes(StandardCharsets.UTF_8);
        }

        /** The retained will, so that the broker marks the hub offline if it goes away. */
        static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.US_ASCII);

        @Override
        public final CompletableFuture<Void> stop() {
            stopping = true;
            gate.stop();
            return disconnect().exceptionally(t -> null);
        }
    }

    static final class V5 extends HiveTransport {
        private final Mqtt5AsyncClient client;
        private final AtomicBoolean everConnected = new AtomicBoolean();

        V5(MqttSettings s, String willTopic, Listener l) {
            super(s, willTopic, l);
            client = clientBuilder().useMqttVersion5().buildAsync();
            client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
        }

        @Override
        CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }

        @Override
        void onConnected() {
            everConnected.set(true);
        }

        @Override
        boolean wrongProtocol(Throwable cause) {
            return s.protocol() == MqttSettings.Protocol.AUTO && !everConnected.get() && looksLikeWrongProtocol(cause);
        }

        private void onPublish(Mqtt5Publish p) {
            String client = null;
            for (var up : p.getUserProperties().asList()) {
                if (up.getName().toString().equals("client_id")) {
                    client = up.getValue().toString();
                }
            }
            byte[] corr = p.getCorrelationData().map(HiveTransports::bytes).orElse(null);
            l.message(new Inbound(p.getTopic().toString(), p.getPayloadAsBytes(),
                    p.getResponseTopic().map(Object::toString).orElse(null), corr, client, p.isRetain()));
        }

        @Override
        public void start() {
            var c = client.connectWith().cleanStart(true).keepAlive((int) s.keepAlive().toSeconds());
            if (s.username() != null) {
                var a = c.simpleAuth().username(s.username());
                if (s.password() != null) {
                    a = a.password(password());
                }
                c = a.applySimpleAuth();
            }
            c.willPublish().topic(willTopic).payload(OFFLINE).qos(MqttQos.AT_LEAST_ONCE).retain(true).applyWillPublish()
                    .send();
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain, byte[] correlation) {
            try {
                var b = client.publishWith().topic(topic).payload(payload).qos(qos(qos)).retain(retain);
                if (correlation != null) {
                    b = b.correlationData(correlation);
                }
                return b.send().thenApply(HiveTransports::checkV5);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<Void> subscribe(List<String> filters) {
            List<Mqtt5Subscription> subs = new ArrayList<>();
            for (String f : filters) {
                // noLocal: do not echo our own state publishes back to us (MQTT 5 only).
                subs.add(Mqtt5Subscription.builder().topicFilter(f).qos(MqttQos.AT_LEAST_ONCE).noLocal(true).build());
            }
            return client.subscribeWith().addSubscriptions(subs).send().thenApply(x -> null);
        }

        @Override
        public String protocol() {
            return "5";
        }
    }

    static final class V3 extends HiveTransport {
        private final Mqtt3AsyncClient client;

        V3(MqttSettings s, String willTopic, Listener l) {
            super(s, willTopic, l);
            client = clientBuilder().useMqttVersion3().buildAsync();
            client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
        }

        @Override
        CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }

        /** A 3.1.1 transport is the fallback: there is no older version to fall back to. */
        @Override
        boolean wrongProtocol(Throwable cause) {
            return false;
        }

        private void onPublish(Mqtt3Publish p) {
            l.message(new Inbound(p.getTopic().toString(), p.getPayloadAsBytes(), null, null, null, p.isRetain()));
        }

        @Override
        public void start() {
            var c = client.connectWith().cleanSession(true).keepAlive((int) s.keepAlive().toSeconds());
            if (s.username() != null) {
                var a = c.simpleAuth().username(s.username());
                if (s.password() != null) {
                    a = a.password(password());
                }
                c = a.applySimpleAuth();
            }
            c.willPublish().topic(willTopic).payload(OFFLINE).qos(MqttQos.AT_LEAST_ONCE).retain(true).applyWillPublish()
                    .send();
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain, byte[] correlation) {
            try {
                return client.publishWith().topic(topic).payload(payload).qos(qos(qos)).retain(retain).send()
                        .thenApply(x -> null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<Void> subscribe(List<String> filters) {
            List<Mqtt3Subscription> subs = new ArrayList<>();
            for (String f : filters) {
                subs.add(Mqtt3Subscription.builder().topicFilter(f).qos(MqttQos.AT_LEAST_ONCE).build());
            }
            return client.subscribeWith().addSubscriptions(subs).send().thenApply(x -> null);
        }

        @Override
        public String protocol() {
            return "3.1.1";
        }
    }

    private static Void checkV5(Mqtt5PublishResult r) {
        if (r.getError().isPresent()) {
            Throwable t = r.getError().get();
            throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
        }
        if (r instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1 && q1.getPubAck().getReasonCode().isError()) {
            throw new IllegalStateException("broker refused publish: " + q1.getPubAck().getReasonCode());
        }
        return null;
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    static boolean isConnectFailure(Throwable t) {
        return t instanceof ConnectionFailedException;
    }
}
