package io.tetheritall.hub.daemon.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The hub's effective configuration, read once at start-up by {@link HubConfigLoader} and immutable
 * afterwards: environment variables over the config file over {@link Profile} defaults over built-in
 * defaults. Components take the values they need in their constructors; nothing re-reads it.
 *
 * <p>Secrets ({@link Definition#secret()}) are masked in {@link #toString()} and {@link #dump()}; only
 * the typed accessors return them. Thread-safe.
 */
public final class HubConfig {
    /** What {@link #dump()} and {@link #toString()} print instead of a secret. */
    public static final String MASK = "******";

    /** One effective value. {@code value} is {@code null} when the optional setting is absent. */
    record Entry(Object value, ConfigSource source, String origin) {
    }

    private final Map<Definition<?>, Entry> entries;
    private final Profile profile;
    private final Path configFile;
    private final List<String> warnings;

    HubConfig(Map<Definition<?>, Entry> entries, Profile profile, Path configFile, List<String> warnings) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.profile = profile;
        this.configFile = configFile;
        this.warnings = List.copyOf(warnings);
        for (Definition<?> d : HubKeys.ALL) {
            if (!this.entries.containsKey(d)) {
                throw new IllegalArgumentException("no entry for " + d.key());
            }
        }
    }

    /** Loads with the process environment and the default file location; see {@link HubConfigLoader}. */
    public static HubConfig load(Map<String, String> env, Path explicitConfigFile) throws ConfigException {
        return new HubConfigLoader().env(env).configFile(explicitConfigFile).load();
    }

    /**
     * A configuration for other components' tests: the {@code testing} profile (ephemeral ports, state
     * under {@code target/}), hub id {@code test-hub}, no config file, {@code settings} as the
     * environment (e.g. {@code Map.of("CACHE_MAX_SIZE", "100")}).
     *
     * @throws IllegalArgumentException with the loader's error lines if a setting is invalid
     */
    public static HubConfig forTests(Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(HubKeys.HUB_PROFILE.key(), Profile.TESTING.label());
        env.put(HubKeys.HUB_ID.key(), "test-hub");
        env.putAll(settings);
        try {
            return new HubConfigLoader().env(env).defaultConfigFile(Path.of("target", "no-such-hub.conf")).load();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The effective value, or {@code null} when an optional setting is absent. */
    @SuppressWarnings("unchecked")
    public <T> T get(Definition<T> d) {
        return (T) entry(d).value();
    }

    /** The effective value, if present. */
    public <T> Optional<T> find(Definition<T> d) {
        return Optional.ofNullable(get(d));
    }

    /** Where the effective value came from. */
    public ConfigSource source(Definition<?> d) {
        return entry(d).source();
    }

    /** Where exactly, e.g. {@code env}, {@code file /etc/tetheritall-hub/hub.conf:12}, {@code profile testing}. */
    public String origin(Definition<?> d) {
        return entry(d).origin();
    }

    private Entry entry(Definition<?> d) {
        Entry e = entries.get(Objects.requireNonNull(d, "definition"));
        if (e == null) {
            throw new IllegalArgumentException("not a hub setting: " + d.key());
        }
        return e;
    }

    /** The value as text, masked for secrets; {@code (unset)} when absent. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String display(Definition<?> d) {
        Object v = entry(d).value();
        if (v == null) {
            return d.offAllowed() && d.defaultValue() != null ? "off" : "(unset)";
        }
        return d.secret() ? MASK : ((Definition) d).format(v);
    }

    /** One {@code KEY=value  # origin} line per setting, secrets masked, for {@code check-config}. */
    public List<String> dump() {
        List<String> lines = new ArrayList<>();
        for (Definition<?> d : HubKeys.ALL) {
            lines.add(d.key() + "=" + display(d) + "  # " + origin(d));
        }
        return lines;
    }

    /** The profile whose defaults were applied. */
    public Profile profile() {
        return profile;
    }

    /** The config file that was read, if one was. */
    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    /** Non-fatal findings (unknown keys in the file, settings that have no effect). */
    public List<String> warnings() {
        return warnings;
    }

    // Typed accessors, one per setting.

    public String hubId() { return get(HubKeys.HUB_ID); }
    public Path stateDir() { return get(HubKeys.HUB_STATE_DIR); }
    public Path logDir() { return get(HubKeys.HUB_LOG_DIR); }
    public LogLevel logLevel() { return get(HubKeys.HUB_LOG_LEVEL); }

    public int simulateDevices() { return get(HubKeys.SIMULATE_DEVICES); }

    public int simulateSeed() { return get(HubKeys.SIMULATE_SEED); }

    public int rateLimitRequestsPerMinute() { return get(HubKeys.RATE_LIMIT_REQUESTS_PER_MINUTE); }
    public double rateLimitPerSecond() { return get(HubKeys.RATE_LIMIT_PER_SECOND); }
    public int rateLimitBurstSize() { return get(HubKeys.RATE_LIMIT_BURST_SIZE); }

    public int cacheMaxSize() { return get(HubKeys.CACHE_MAX_SIZE); }
    /** Seconds; 0 = no expiry. */
    public int cacheDefaultTtlSeconds() { return get(HubKeys.CACHE_DEFAULT_TTL); }
    public boolean cacheCompressionEnabled() { return get(HubKeys.CACHE_COMPRESSION_ENABLED); }
    public int cacheCompressionThreshold() { return get(HubKeys.CACHE_COMPRESSION_THRESHOLD); }
    public EvictionPolicy cacheEvictionPolicy() { return get(HubKeys.CACHE_EVICTION_POLICY); }

    public int circuitBreakerFailureThreshold() { return get(HubKeys.CIRCUIT_BREAKER_FAILURE_THRESHOLD); }
    public int circuitBreakerRecoveryTimeoutSeconds() { return get(HubKeys.CIRCUIT_BREAKER_RECOVERY_TIMEOUT); }
    public int circuitBreakerHalfOpenMaxCalls() { return get(HubKeys.CIRCUIT_BREAKER_HALF_OPEN_MAX_CALLS); }

    /** {@code CONNECTION_POOL_MAX_CONNECTIONS}: requests in flight to one radio at once. */
    public int radioInFlightWindow() { return get(HubKeys.CONNECTION_POOL_MAX_CONNECTIONS); }
    /** {@code CONNECTION_POOL_TIMEOUT}: seconds a radio request may wait for its response. */
    public int radioRequestTimeoutSeconds() { return get(HubKeys.CONNECTION_POOL_TIMEOUT); }
    /** {@code CONNECTION_POOL_RETRY_ATTEMPTS}: retries after a retryable radio status. */
    public int radioRetryAttempts() { return get(HubKeys.CONNECTION_POOL_RETRY_ATTEMPTS); }

    public Optional<RadioPort> zigbeePort() { return find(HubKeys.ZIGBEE_PORT); }
    public int zigbeeBaud() { return get(HubKeys.ZIGBEE_BAUD); }
    public boolean zigbeeRtsCts() { return get(HubKeys.ZIGBEE_RTSCTS); }
    public OptionalInt zigbeeChannel() { return optInt(HubKeys.ZIGBEE_CHANNEL); }
    public Optional<HexBytes> zigbeePanId() { return find(HubKeys.ZIGBEE_PAN_ID); }
    public Optional<HexBytes> zigbeeExtPanId() { return find(HubKeys.ZIGBEE_EXT_PAN_ID); }
    /** Secret. */
    public Optional<HexBytes> zigbeeNetworkKey() { return find(HubKeys.ZIGBEE_NETWORK_KEY); }

    public OptionalInt gpioResetPin() { return optInt(HubKeys.GPIO_RESET_PIN); }
    public OptionalInt gpioLedPin() { return optInt(HubKeys.GPIO_LED_PIN); }
    public OptionalInt gpioButtonPin() { return optInt(HubKeys.GPIO_BUTTON_PIN); }

    public Optional<MqttEndpoint> mqttUrl() { return find(HubKeys.MQTT_URL); }
    public Optional<String> mqttUsername() { return find(HubKeys.MQTT_USERNAME); }
    /** Secret. */
    public Optional<String> mqttPassword() { return find(HubKeys.MQTT_PASSWORD); }
    public String mqttBaseTopic() { return get(HubKeys.MQTT_BASE_TOPIC); }
    public Optional<Path> mqttCaFile() { return find(HubKeys.MQTT_CA_FILE); }
    public Optional<Path> mqttClientCert() { return find(HubKeys.MQTT_CLIENT_CERT); }
    public Optional<Path> mqttClientKey() { return find(HubKeys.MQTT_CLIENT_KEY); }
    public int mqttKeepAliveSeconds() { return get(HubKeys.MQTT_KEEPALIVE); }
    public boolean mqttRetainState() { return get(HubKeys.MQTT_RETAIN_STATE); }
    /** Publishes per second. */
    public int mqttPublishRate() { return get(HubKeys.MQTT_PUBLISH_RATE); }
    public boolean homeAssistantDiscovery() { return get(HubKeys.HOMEASSISTANT_DISCOVERY); }
    public String homeAssistantDiscoveryPrefix() { return get(HubKeys.HOMEASSISTANT_DISCOVERY_PREFIX); }

    /** Empty when {@code COAP_BIND=off}. */
    public Optional<BindAddress> coapBind() { return find(HubKeys.COAP_BIND); }
    public Optional<BindAddress> coapsBind() { return find(HubKeys.COAPS_BIND); }
    public Optional<Path> coapPskFile() { return find(HubKeys.COAP_PSK_FILE); }
    /** Empty when {@code HTTP_BIND=off}. */
    public Optional<BindAddress> httpBind() { return find(HubKeys.HTTP_BIND); }

    public int outboxMaxMessages() { return get(HubKeys.OUTBOX_MAX_MESSAGES); }
    public long outboxMaxBytes() { return get(HubKeys.OUTBOX_MAX_BYTES); }
    /** Failed radio recovery rounds before exit code 3; 0 = never exit. */
    public int recoveryExitAfter() { return get(HubKeys.RECOVERY_EXIT_AFTER); }

    private OptionalInt optInt(IntegerDefinition d) {
        Integer v = get(d);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** Every setting as {@code KEY=value}, secrets masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HubConfig{profile=").append(profile.label());
        for (Definition<?> d : HubKeys.ALL) {
            sb.append(", ").append(d.key()).append('=').append(display(d));
        }
        return sb.append('}').toString();
    }
}
