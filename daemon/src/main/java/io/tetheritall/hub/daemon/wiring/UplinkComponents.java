package io.tetheritall.hub.daemon.wiring;

import io.tetheritall.hub.daemon.Component;
import io.tetheritall.hub.daemon.config.BindAddress;
import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.config.MqttEndpoint;
import io.tetheritall.hub.daemon.core.api.HubApi;
import io.tetheritall.hub.daemon.health.HealthContributor;
import io.tetheritall.hub.daemon.uplink.ClientLimiter;
import io.tetheritall.hub.daemon.uplink.coap.CoapSettings;
import io.tetheritall.hub.daemon.uplink.coap.CoapUplink;
import io.tetheritall.hub.daemon.uplink.mqtt.MqttSettings;
import io.tetheritall.hub.daemon.uplink.mqtt.MqttUplink;
import io.tetheritall.hub.radios.time.HubClock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The MQTT and CoAP uplinks as runtime components, configured from {@link HubConfig}. */
public final class UplinkComponents {
    private UplinkComponents() {
    }

    /** The per-client limits of the origin document, for commands from either uplink. */
    static ClientLimiter.Limits clientLimits(HubConfig c) {
        return new ClientLimiter.Limits(c.rateLimitRequestsPerMinute(), c.rateLimitPerSecond(), c.rateLimitBurstSize());
    }

    /** MQTT settings from the configuration; the TLS client certificate is turned into a keystore. */
    public static MqttSettings mqttSettings(HubConfig c, MqttEndpoint url) throws IOException {
        MqttSettings.Builder b = MqttSettings.builder(c.hubId()).host(url.host()).port(url.port()).tls(url.tls())
                .baseTopic(c.mqttBaseTopic()).keepAlive(Duration.ofSeconds(c.mqttKeepAliveSeconds()))
                .retainState(c.mqttRetainState()).homeAssistant(c.homeAssistantDiscovery())
                .haDiscoveryPrefix(c.homeAssistantDiscoveryPrefix())
                .publishRate(c.mqttPublishRate(), Math.max(1, c.mqttPublishRate()));
        c.mqttUsername().ifPresent(b::username);
        c.mqttPassword().ifPresent(b::password);
        c.mqttCaFile().ifPresent(b::tlsCaFile);
        if (c.mqttClientCert().isPresent() && c.mqttClientKey().isPresent()) {
            Path ks = c.stateDir().resolve("mqtt-client.p12");
            String pw = PemKeystore.write(c.mqttClientCert().get(), c.mqttClientKey().get(), ks);
            b.tlsClientKeystore(ks, pw);
        }
        return b.build();
    }

    /**
     * CoAP settings: plain CoAP on {@code COAP_BIND} (loopback by default), CoAPS with pre-shared keys on
     * {@code COAPS_BIND}. {@code COAP_PSK_FILE} has one client per line:
     * {@code identity hex-key [read=dev1,dev2|*] [write=dev1|*]} (default: read and write everything).
     */
    public static CoapSettings coapSettings(HubConfig c) throws IOException {
        CoapSettings s = CoapSettings.defaults().withLimits(clientLimits(c));
        Optional<BindAddress> plain = c.coapBind();
        if (plain.isPresent()) {
            s = s.withPlain(true, plain.get().host(), plain.get().port());
        }
        if (c.coapsBind().isPresent()) {
            Map<String, byte[]> psk = new LinkedHashMap<>();
            Map<String, CoapSettings.Acl> acl = new LinkedHashMap<>();
            readPskFile(c.coapPskFile().orElseThrow(() -> new IOException("COAPS_BIND needs COAP_PSK_FILE")), psk, acl);
            BindAddress a = c.coapsBind().get();
            s = s.withDtls(a.host(), a.port(), psk, acl);
            if (plain.isEmpty()) {
                s = s.withPlain(false, "127.0.0.1", 0);
            }
        }
        return s;
    }

    static void readPskFile(Path file, Map<String, byte[]> psk, Map<String, CoapSettings.Acl> acl) throws IOException {
        int n = 0;
        for (String raw : Files.readAllLines(file)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 2) {
                throw new IOException(file + ":" + n + ": expected 'identity hex-key [read=..] [write=..]'");
            }
            byte[] key;
            try {
                key = HexFormat.of().parseHex(f[1]);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + n + ": the key of '" + f[0] + "' is not hex");
            }
            Set<String> read = Set.of("*");
            Set<String> write = Set.of("*");
            for (int i = 2; i < f.length; i++) {
                if (f[i].startsWith("read=")) {
                    read = Set.of(f[i].substring(5).split(","));
                } else if (f[i].startsWith("write=")) {
                    write = Set.of(f[i].substring(6).split(","));
                } else {
                    throw new IOException(file + ":" + n + ": unknown field '" + f[i] + "'");
                }
            }
            psk.put(f[0], key);
            acl.put(f[0], new CoapSettings.Acl(read, write));
        }
    }

    /** MQTT: commands and telemetry, store-and-forward through the durable outbox. */
    public static final class Mqtt implements Component {
        private final HubConfig config;
        private final Supplier<HubApi> hub;
        private final Supplier<StoreComponent> store;
        private MqttUplink uplink;

        public Mqtt(HubConfig config, Supplier<HubApi> hub, Supplier<StoreComponent> store) {
            this.config = config;
            this.hub = hub;
            this.store = store;
        }

        @Override
        public String name() {
            return "mqtt";
        }

        @Override
        public void start() throws Exception {
            MqttSettings s = mqttSettings(config, config.mqttUrl().orElseThrow());
            uplink = new MqttUplink(s, hub.get(), new StoreOutbox(store.get().outbox()), HubClock.system());
            uplink.start(); // connects in the background and keeps reconnecting
        }

        @Override
        public void stop() {
            if (uplink != null) {
                uplink.close();
            }
        }

        @Override
        public Optional<HealthContributor> health() {
            return Optional.of(HealthContributor.of("mqtt", () -> {
                MqttUplink.Metrics m = uplink.metrics();
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("connected", m.connected());
                h.put("protocol", m.protocol());
                h.put("published", m.published());
                h.put("queued", m.queued());
                h.put("rate_limited", m.rateLimited());
                return Map.of("mqtt", h);
            }));
        }
    }

    /** CoAP: local control, plain on loopback by default and CoAPS with PSKs. */
    public static final class Coap implements Component {
        private final HubConfig config;
        private final Supplier<HubApi> hub;
        private CoapUplink uplink;

        public Coap(HubConfig config, Supplier<HubApi> hub) {
            this.config = config;
            this.hub = hub;
        }

        @Override
        public String name() {
            return "coap";
        }

        @Override
        public void start() throws Exception {
            uplink = new CoapUplink(coapSettings(config), hub.get(), HubClock.system());
            uplink.start();
        }

        @Override
        public void stop() {
            if (uplink != null) {
                uplink.close();
            }
        }

        @Override
        public Optional<HealthContributor> health() {
            return Optional.of(HealthContributor.of("coap", () -> Map.of("coap", String.valueOf(uplink.metrics()))));
        }
    }
}
