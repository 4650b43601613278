package io.tetheritall.hub.daemon.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the hub reads, in the order {@code check-config} prints them.
 *
 * <p>Names from the origin document keep their meaning where a hub has the same thing; the
 * {@code CONNECTION_POOL_*} trio has no connection pool to size on a hub, so it is mapped onto the
 * per-radio request window instead:
 * <ul>
 *   <li>{@code CONNECTION_POOL_MAX_CONNECTIONS} → the cap on requests in flight to one radio
 *       (Z-Stack on CC26xx handles 16 AF requests at once; CC2530/CC2531 only 2, and the radio lowers
 *       the cap for them itself),</li>
 *   <li>{@code CONNECTION_POOL_TIMEOUT} → seconds a radio request may wait for its response,</li>
 *   <li>{@code CONNECTION_POOL_RETRY_ATTEMPTS} → retries after a retryable radio status
 *       (BUFFER_FULL, MAC_CHANNEL_ACCESS_FAILURE, ...).</li>
 * </ul>
 * The {@code RATE_LIMIT_*} settings apply to commands arriving from the uplinks (MQTT, CoAP, HTTP);
 * the {@code CACHE_*} settings to the L1 state cache; the {@code CIRCUIT_BREAKER_*} ones to each
 * radio's breaker.
 */
public final class HubKeys {
    private HubKeys() {
    }

    // The hub itself.
    /** Selects profile defaults; read from the environment, then the config file. */
    public static final EnumDefinition<Profile> HUB_PROFILE = new EnumDefinition<>("HUB_PROFILE",
            "Defaults profile: production (installed), development (checkout), testing (automated tests).",
            Profile.class, Profile.PRODUCTION);
    /** The config file; read from the environment only (or {@code --config}). */
    public static final PathDefinition HUB_CONFIG = new PathDefinition("HUB_CONFIG",
            "Path of the KEY=value config file (environment or --config only).",
            Path.of("/etc/tetheritall-hub/hub.conf"), false);
    public static final StringDefinition HUB_ID = new StringDefinition("HUB_ID",
            "Stable id of this hub in topics and logs; default: <state dir>/hub-id, else the host name, else generated and kept in <state dir>/hub-id.",
            null, "[A-Za-z0-9][A-Za-z0-9_-]{0,63}", "1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit",
            false);
    public static final PathDefinition HUB_STATE_DIR = new PathDefinition("HUB_STATE_DIR",
            "Directory for the device database, L2 store, outbox and hub id.", Path.of("/var/lib/tetheritall-hub"), false);
    public static final PathDefinition HUB_LOG_DIR = new PathDefinition("HUB_LOG_DIR",
            "Directory for the rolling log files (the console log goes to journald).",
            Path.of("/var/log/tetheritall-hub"), false);
    public static final EnumDefinition<LogLevel> HUB_LOG_LEVEL = new EnumDefinition<>("HUB_LOG_LEVEL",
            "Log threshold for the hub's own code (libraries stay at warn).", LogLevel.class, LogLevel.INFO);

    // Rate limiting of commands from the uplinks.
    public static final IntegerDefinition RATE_LIMIT_REQUESTS_PER_MINUTE = new IntegerDefinition(
            "RATE_LIMIT_REQUESTS_PER_MINUTE", "Commands accepted per minute per uplink client.", 120, 1, 100_000);
    public static final DoubleDefinition RATE_LIMIT_PER_SECOND = new DoubleDefinition("RATE_LIMIT_PER_SECOND",
            "Sustained commands per second per uplink client (token refill rate).", 2.0, 0.01, 1000.0);
    public static final IntegerDefinition RATE_LIMIT_BURST_SIZE = new IntegerDefinition("RATE_LIMIT_BURST_SIZE",
            "Token bucket size: commands accepted at once above the sustained rate.", 10, 1, 10_000);

    // L1 cache.
    public static final IntegerDefinition CACHE_MAX_SIZE = new IntegerDefinition("CACHE_MAX_SIZE",
            "Maximum entries in the L1 state cache.", 10_000, 16, 10_000_000);
    public static final IntegerDefinition CACHE_DEFAULT_TTL = new IntegerDefinition("CACHE_DEFAULT_TTL",
            "Seconds an L1 entry lives unless refreshed; 0 = no expiry.", 3600, 0, 31_536_000);
    public static final BooleanDefinition CACHE_COMPRESSION_ENABLED = new BooleanDefinition(
            "CACHE_COMPRESSION_ENABLED", "Compress large cached values (LZ4).", true);
    public static final IntegerDefinition CACHE_COMPRESSION_THRESHOLD = new IntegerDefinition(
            "CACHE_COMPRESSION_THRESHOLD", "Values of at least this many bytes are compressed.", 1024, 64, 1 << 20);
    public static final EnumDefinition<EvictionPolicy> CACHE_EVICTION_POLICY = new EnumDefinition<>(
            "CACHE_EVICTION_POLICY", "What the L1 cache drops first when full.", EvictionPolicy.class, EvictionPolicy.LRU);

    // Per-radio circuit breaker.
    public static final IntegerDefinition CIRCUIT_BREAKER_FAILURE_THRESHOLD = new IntegerDefinition(
            "CIRCUIT_BREAKER_FAILURE_THRESHOLD", "Consecutive radio failures that open the breaker.", 5, 1, 1000);
    public static final IntegerDefinition CIRCUIT_BREAKER_RECOVERY_TIMEOUT = new IntegerDefinition(
            "CIRCUIT_BREAKER_RECOVERY_TIMEOUT", "Seconds an open breaker waits before trying half-open.", 60, 1, 86_400);
    public static final IntegerDefinition CIRCUIT_BREAKER_HALF_OPEN_MAX_CALLS = new IntegerDefinition(
            "CIRCUIT_BREAKER_HALF_OPEN_MAX_CALLS", "Trial calls allowed while half-open.", 3, 1, 100);

    // Radio request window (the origin's connection pool, see the class comment).
    public static final IntegerDefinition CONNECTION_POOL_MAX_CONNECTIONS = new IntegerDefinition(
            "CONNECTION_POOL_MAX_CONNECTIONS", "Radio in-flight window: requests outstanding to one radio at once.",
            16, 1, 64);
    public static final IntegerDefinition CONNECTION_POOL_TIMEOUT = new IntegerDefinition("CONNECTION_POOL_TIMEOUT",
            "Radio request timeout in seconds.", 10, 1, 120);
    public static final IntegerDefinition CONNECTION_POOL_RETRY_ATTEMPTS = new IntegerDefinition(
            "CONNECTION_POOL_RETRY_ATTEMPTS", "Retries after a retryable radio status (BUFFER_FULL, ...).", 3, 0, 10);

    // Zigbee coordinator.
    public static final RadioPortDefinition ZIGBEE_PORT = new RadioPortDefinition("ZIGBEE_PORT",
            "Coordinator: /dev/ttyUSB0, /dev/serial/by-id/..., or tcp://host:port; unset = no Zigbee radio.");
    public static final IntegerDefinition ZIGBEE_BAUD = IntegerDefinition.oneOf("ZIGBEE_BAUD",
            "Serial speed (Z-Stack: 115200).", 115_200, 9600, 19_200, 38_400, 57_600, 115_200, 230_400, 460_800, 921_600);
    public static final BooleanDefinition ZIGBEE_RTSCTS = new BooleanDefinition("ZIGBEE_RTSCTS",
            "RTS/CTS hardware flow control.", false);
    public static final IntegerDefinition ZIGBEE_CHANNEL = new IntegerDefinition("ZIGBEE_CHANNEL",
            "2.4 GHz channel for a new network; unset = keep the coordinator's (11 when forming).", null, 11, 26);
    public static final HexDefinition ZIGBEE_PAN_ID = new HexDefinition("ZIGBEE_PAN_ID",
            "16-bit PAN id for a new network, e.g. 0x1A62; unset = random.", 2, false,
            v -> v.asLong() != 0xFFFF, "not 0xFFFF");
    public static final HexDefinition ZIGBEE_EXT_PAN_ID = new HexDefinition("ZIGBEE_EXT_PAN_ID",
            "64-bit extended PAN id for a new network; unset = random.", 8, false,
            v -> v.asLong() != 0 && v.asLong() != -1L, "not all 00 or all FF");
    public static final HexDefinition ZIGBEE_NETWORK_KEY = new HexDefinition("ZIGBEE_NETWORK_KEY",
            "128-bit network key for a new network (secret); unset = random, kept in the state dir.", 16, true);

    // GPIO (BCM numbering).
    public static final IntegerDefinition GPIO_RESET_PIN = new IntegerDefinition("GPIO_RESET_PIN",
            "BCM pin wired to the coordinator's reset line; unset = no hardware reset.", null, 0, 53);
    public static final IntegerDefinition GPIO_LED_PIN = new IntegerDefinition("GPIO_LED_PIN",
            "BCM pin of a status LED; unset = none.", null, 0, 53);
    public static final IntegerDefinition GPIO_BUTTON_PIN = new IntegerDefinition("GPIO_BUTTON_PIN",
            "BCM pin of the pairing button; unset = none.", null, 0, 53);

    // MQTT uplink.
    public static final MqttUrlDefinition MQTT_URL = new MqttUrlDefinition("MQTT_URL",
            "Broker, mqtt://host:port or mqtts://host:port; unset = no MQTT uplink.");
    public static final StringDefinition MQTT_USERNAME = new StringDefinition("MQTT_USERNAME",
            "Broker user name.", null, "[^\\s]{1,256}", "1-256 characters without spaces", false);
    public static final StringDefinition MQTT_PASSWORD = new StringDefinition("MQTT_PASSWORD",
            "Broker password (secret).", null, ".{1,1024}", "1-1024 characters", true);
    public static final StringDefinition MQTT_BASE_TOPIC = new StringDefinition("MQTT_BASE_TOPIC",
            "Topic prefix; default tetheritall/<hub id>.", null, "[^/+#\\s\\u0000]+(/[^/+#\\s\\u0000]+)*",
            "topic levels separated by / without + # spaces or empty levels", false);
    public static final PathDefinition MQTT_CA_FILE = new PathDefinition("MQTT_CA_FILE",
            "PEM CA bundle for mqtts:// (default: the JVM trust store).", null, true);
    public static final PathDefinition MQTT_CLIENT_CERT = new PathDefinition("MQTT_CLIENT_CERT",
            "PEM client certificate for mqtts:// (with MQTT_CLIENT_KEY).", null, true);
    public static final PathDefinition MQTT_CLIENT_KEY = new PathDefinition("MQTT_CLIENT_KEY",
            "PEM PKCS#8 client key for mqtts:// (with MQTT_CLIENT_CERT).", null, true);
    public static final IntegerDefinition MQTT_KEEPALIVE = new IntegerDefinition("MQTT_KEEPALIVE",
            "Keep-alive seconds; 0 disables.", 60, 0, 65_535);
    public static final BooleanDefinition MQTT_RETAIN_STATE = new BooleanDefinition("MQTT_RETAIN_STATE",
            "Publish device state retained.", true);
    public static final IntegerDefinition MQTT_PUBLISH_RATE = new IntegerDefinition("MQTT_PUBLISH_RATE",
            "Maximum publishes per second to the broker (excess is queued in the outbox).", 100, 1, 10_000);
    public static final BooleanDefinition HOMEASSISTANT_DISCOVERY = new BooleanDefinition("HOMEASSISTANT_DISCOVERY",
            "Publish Home Assistant MQTT discovery messages.", false);
    public static final StringDefinition HOMEASSISTANT_DISCOVERY_PREFIX = new StringDefinition(
            "HOMEASSISTANT_DISCOVERY_PREFIX", "Home Assistant discovery topic prefix.", "homeassistant",
            "[^/+#\\s\\u0000]+", "one topic level without / + # or spaces", false);

    // CoAP uplink and HTTP.
    public static final BindDefinition COAP_BIND = new BindDefinition("COAP_BIND",
            "CoAP (UDP) listener; off disables.", new BindAddress("127.0.0.1", 5683));
    public static final BindDefinition COAPS_BIND = new BindDefinition("COAPS_BIND",
            "CoAP over DTLS (PSK) listener; off disables; needs COAP_PSK_FILE.", null);
    public static final PathDefinition COAP_PSK_FILE = new PathDefinition("COAP_PSK_FILE",
            "File of identity=hex-key lines for CoAPS clients.", null, true);
    public static final BindDefinition HTTP_BIND = new BindDefinition("HTTP_BIND",
            "Health and metrics HTTP listener; off disables.", new BindAddress("127.0.0.1", 8080));

    // Outbox and recovery.
    public static final IntegerDefinition OUTBOX_MAX_MESSAGES = new IntegerDefinition("OUTBOX_MAX_MESSAGES",
            "Messages kept for the uplinks while they are down; the oldest state updates are dropped first.",
            10_000, 10, 1_000_000);
    public static final SizeDefinition OUTBOX_MAX_BYTES = new SizeDefinition("OUTBOX_MAX_BYTES",
            "Bytes the outbox may use on disk.", 8L << 20, 64L << 10, 1L << 30);
    public static final IntegerDefinition RECOVERY_EXIT_AFTER = new IntegerDefinition("RECOVERY_EXIT_AFTER",
            "Failed radio recovery rounds after which the hub exits with code 3 so systemd restarts it; 0 = never.",
            5, 0, 1000);

    // Simulate mode (run --simulate): the simulated coordinator's device population.
    public static final IntegerDefinition SIMULATE_DEVICES = new IntegerDefinition("SIMULATE_DEVICES",
            "run --simulate: how many simulated Zigbee devices the simulated coordinator holds.", 8, 0, 500);
    public static final IntegerDefinition SIMULATE_SEED = new IntegerDefinition("SIMULATE_SEED",
            "run --simulate: seed of the simulated devices' addresses and behaviour (same seed, same network).",
            1, 0, Integer.MAX_VALUE);

    /** Every definition, in dump order. */
    public static final List<Definition<?>> ALL = List.of(
            HUB_PROFILE, HUB_CONFIG, HUB_ID, HUB_STATE_DIR, HUB_LOG_DIR, HUB_LOG_LEVEL,
            RATE_LIMIT_REQUESTS_PER_MINUTE, RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST_SIZE,
            CACHE_MAX_SIZE, CACHE_DEFAULT_TTL, CACHE_COMPRESSION_ENABLED, CACHE_COMPRESSION_THRESHOLD,
            CACHE_EVICTION_POLICY,
            CIRCUIT_BREAKER_FAILURE_THRESHOLD, CIRCUIT_BREAKER_RECOVERY_TIMEOUT, CIRCUIT_BREAKER_HALF_OPEN_MAX_CALLS,
            CONNECTION_POOL_MAX_CONNECTIONS, CONNECTION_POOL_TIMEOUT, CONNECTION_POOL_RETRY_ATTEMPTS,
            ZIGBEE_PORT, ZIGBEE_BAUD, ZIGBEE_RTSCTS, ZIGBEE_CHANNEL, ZIGBEE_PAN_ID, ZIGBEE_EXT_PAN_ID,
            ZIGBEE_NETWORK_KEY,
            GPIO_RESET_PIN, GPIO_LED_PIN, GPIO_BUTTON_PIN,
            MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD, MQTT_BASE_TOPIC, MQTT_CA_FILE, MQTT_CLIENT_CERT, MQTT_CLIENT_KEY,
            MQTT_KEEPALIVE, MQTT_RETAIN_STATE, MQTT_PUBLISH_RATE, HOMEASSISTANT_DISCOVERY,
            HOMEASSISTANT_DISCOVERY_PREFIX,
            COAP_BIND, COAPS_BIND, COAP_PSK_FILE, HTTP_BIND,
            OUTBOX_MAX_MESSAGES, OUTBOX_MAX_BYTES, RECOVERY_EXIT_AFTER, SIMULATE_DEVICES, SIMULATE_SEED);

    private static final Map<String, Definition<?>> BY_KEY;

    static {
        Map<String, Definition<?>> m = new LinkedHashMap<>();
        for (Definition<?> d : ALL) {
            if (m.put(d.key(), d) != null) {
                throw new ExceptionInInitializerError("duplicate key " + d.key());
            }
        }
        BY_KEY = m;
    }

    /** The definition with this exact key. */
    public static Optional<Definition<?>> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** Raw texts a profile sets, validated like any other source. */
    public static Map<Definition<?>, String> profileDefaults(Profile profile) {
        Map<Definition<?>, String> m = new LinkedHashMap<>();
        switch (profile) {
            case PRODUCTION:
                break;
            case DEVELOPMENT:
                m.put(HUB_STATE_DIR, "./state");
                m.put(HUB_LOG_DIR, "./state/log");
                m.put(HUB_LOG_LEVEL, "debug");
                break;
            case TESTING:
                m.put(HUB_STATE_DIR, "target/hub-state");
                m.put(HUB_LOG_DIR, "target/hub-state/log");
                m.put(HUB_LOG_LEVEL, "debug");
                m.put(HTTP_BIND, "127.0.0.1:0");
                m.put(COAP_BIND, "127.0.0.1:0");
                m.put(CIRCUIT_BREAKER_RECOVERY_TIMEOUT, "1");
                m.put(CONNECTION_POOL_TIMEOUT, "2");
                m.put(RECOVERY_EXIT_AFTER, "1");
                m.put(OUTBOX_MAX_MESSAGES, "100");
                break;
            default:
                throw new AssertionError(profile);
        }
        return m;
    }
}
