package io.tetheritall.hub.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubConfigLoaderTest {
    private Path dir;
    private Path missingDefault;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(Path.of("target/tmp"));
        dir = Files.createTempDirectory(Path.of("target/tmp"), "config");
        missingDefault = dir.resolve("no-such.conf");
    }

    private HubConfigLoader loader(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        // Keep tests off /var/lib: the hub id file is looked up in the state dir.
        e.putIfAbsent("HUB_STATE_DIR", dir.resolve("state").toString());
        return new HubConfigLoader().env(e).defaultConfigFile(missingDefault).hostname(() -> "pi-kitchen");
    }

    private Path file(String... lines) throws IOException {
        Path f = Files.createTempFile(dir, "hub", ".conf");
        Files.write(f, List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    private static ConfigException fails(HubConfigLoader l) {
        return assertThrows(ConfigException.class, l::load);
    }

    @Test
    void builtInDefaultsMatchTheOriginDocument() throws Exception {
        HubConfig c = loader(Map.of()).load();
        assertEquals(Profile.PRODUCTION, c.profile());
        assertEquals(120, c.rateLimitRequestsPerMinute());
        assertEquals(2.0, c.rateLimitPerSecond());
        assertEquals(10, c.rateLimitBurstSize());
        assertEquals(10_000, c.cacheMaxSize());
        assertEquals(3600, c.cacheDefaultTtlSeconds());
        assertTrue(c.cacheCompressionEnabled());
        assertEquals(1024, c.cacheCompressionThreshold());
        assertEquals(EvictionPolicy.LRU, c.cacheEvictionPolicy());
        assertEquals(5, c.circuitBreakerFailureThreshold());
        assertEquals(60, c.circuitBreakerRecoveryTimeoutSeconds());
        assertEquals(3, c.circuitBreakerHalfOpenMaxCalls());
        assertEquals(115_200, c.zigbeeBaud());
        assertFalse(c.zigbeeRtsCts());
        assertTrue(c.zigbeePort().isEmpty(), "no radio unless ZIGBEE_PORT is set");
        assertEquals(new BindAddress("127.0.0.1", 5683), c.coapBind().orElseThrow());
        assertEquals(new BindAddress("127.0.0.1", 8080), c.httpBind().orElseThrow());
        assertTrue(c.coapsBind().isEmpty());
        assertEquals("homeassistant", c.homeAssistantDiscoveryPrefix());
        assertEquals(ConfigSource.DEFAULT, c.source(HubKeys.CACHE_MAX_SIZE));
        assertTrue(c.configFile().isEmpty());
    }

    @Test
    void hubIdFromHostNameAndBaseTopicFromHubId() throws Exception {
        HubConfig c = loader(Map.of()).hostname(() -> "Pi-Kitchen.lan").load();
        assertEquals("pi-kitchen", c.hubId());
        assertEquals(ConfigSource.DERIVED, c.source(HubKeys.HUB_ID));
        assertEquals("tetheritall/pi-kitchen", c.mqttBaseTopic());
        assertEquals(ConfigSource.DERIVED, c.source(HubKeys.MQTT_BASE_TOPIC));

        HubConfig explicit = loader(Map.of("HUB_ID", "attic", "MQTT_BASE_TOPIC", "home/hub")).load();
        assertEquals("attic", explicit.hubId());
        assertEquals("home/hub", explicit.mqttBaseTopic());
    }

    @Test
    void generatedHubIdIsKeptInTheStateDirWhenAsked() throws Exception {
        Path state = dir.resolve("state");
        HubConfig dry = loader(Map.of()).hostname(() -> "localhost").idGenerator(() -> "hub-0badf00d").load();
        assertEquals("hub-0badf00d", dry.hubId());
        assertFalse(Files.exists(state.resolve("hub-id")), "check-config must not write");

        HubConfig first = loader(Map.of()).hostname(() -> "raspberrypi").idGenerator(() -> "hub-12345678")
                .persistGeneratedId(true).load();
        assertEquals("hub-12345678", first.hubId());
        assertEquals("hub-12345678", Files.readString(state.resolve("hub-id")).strip());

        // Next start: the kept id wins over a host name and a new generated id.
        HubConfig second = loader(Map.of()).hostname(() -> "renamed").idGenerator(() -> "hub-ffffffff").load();
        assertEquals("hub-12345678", second.hubId());
    }

    @Test
    void precedenceIsEnvOverFileOverProfileOverDefault() throws Exception {
        Path f = file("# comment", "", "CACHE_MAX_SIZE=500", "HUB_LOG_DIR=/srv/log", "CACHE_DEFAULT_TTL = 120 ");
        Map<String, String> env = Map.of("HUB_PROFILE", "development", "CACHE_MAX_SIZE", "700",
                "HUB_CONFIG", f.toString());
        HubConfig c = new HubConfigLoader().env(env).defaultConfigFile(missingDefault).hostname(() -> "h").load();

        assertEquals(700, c.cacheMaxSize());                    // env beats file
        assertEquals(ConfigSource.ENV, c.source(HubKeys.CACHE_MAX_SIZE));
        assertEquals(Path.of("/srv/log"), c.logDir());           // file beats profile (development: ./state/log)
        assertEquals(ConfigSource.FILE, c.source(HubKeys.HUB_LOG_DIR));
        assertEquals("file " + f + ":4", c.origin(HubKeys.HUB_LOG_DIR));
        assertEquals(120, c.cacheDefaultTtlSeconds());
        assertEquals(Path.of("./state"), c.stateDir());          // profile beats default
        assertEquals(ConfigSource.PROFILE, c.source(HubKeys.HUB_STATE_DIR));
        assertEquals(LogLevel.DEBUG, c.logLevel());
        assertEquals(10, c.rateLimitBurstSize());                // default
        assertEquals(ConfigSource.DEFAULT, c.source(HubKeys.RATE_LIMIT_BURST_SIZE));
        assertEquals(f, c.configFile().orElseThrow());
    }

    @Test
    void explicitConfigFileBeatsHubConfigAndProfileMayComeFromTheFile() throws Exception {
        Path viaEnv = file("CACHE_MAX_SIZE=111");
        Path viaFlag = file("CACHE_MAX_SIZE=222", "HUB_PROFILE=testing");
        HubConfig c = loader(Map.of("HUB_CONFIG", viaEnv.toString())).configFile(viaFlag).load();
        assertEquals(222, c.cacheMaxSize());
        assertEquals(Profile.TESTING, c.profile());
        assertEquals(new BindAddress("127.0.0.1", 0), c.httpBind().orElseThrow());
        assertEquals(1, c.recoveryExitAfter());
    }

    @Test
    void emptyEnvValueFallsThroughAndQuotesAreStrippedInTheFile() throws Exception {
        Path f = file("MQTT_USERNAME=\"hub user\"".replace(" ", "_"), "HOMEASSISTANT_DISCOVERY_PREFIX='ha'");
        HubConfig c = loader(Map.of("MQTT_USERNAME", "  ")).configFile(f).load();
        assertEquals("hub_user", c.mqttUsername().orElseThrow());
        assertEquals(ConfigSource.FILE, c.source(HubKeys.MQTT_USERNAME));
        assertEquals("ha", c.homeAssistantDiscoveryPrefix());
    }

    @Test
    void offSwitchesOffListenersAndTheRadio() throws Exception {
        Path f = file("ZIGBEE_PORT=/dev/ttyACM0");
        HubConfig c = loader(Map.of("COAP_BIND", "off", "HTTP_BIND", "OFF", "ZIGBEE_PORT", "none")).configFile(f).load();
        assertTrue(c.coapBind().isEmpty());
        assertTrue(c.httpBind().isEmpty());
        assertTrue(c.zigbeePort().isEmpty());
        assertEquals("off", c.display(HubKeys.COAP_BIND));
    }

    @Test
    void typedValuesParse() throws Exception {
        Path psk = Files.writeString(dir.resolve("psk"), "dev1=00112233\n");
        Map<String, String> env = new HashMap<>();
        env.put("ZIGBEE_PORT", "tcp://192.168.1.20:6638");
        env.put("ZIGBEE_CHANNEL", "25");
        env.put("ZIGBEE_PAN_ID", "0x1a62");
        env.put("ZIGBEE_EXT_PAN_ID", "DD:DD:DD:DD:DD:DD:DD:DD");
        env.put("ZIGBEE_NETWORK_KEY", "01030507090B0D0F00020406080A0C0D");
        env.put("GPIO_RESET_PIN", "17");
        env.put("MQTT_URL", "mqtts://broker.local");
        env.put("COAPS_BIND", "[::1]:5684");
        env.put("COAP_PSK_FILE", psk.toString());
        env.put("OUTBOX_MAX_BYTES", "16m");
        env.put("CACHE_EVICTION_POLICY", "LFU");
        env.put("CACHE_COMPRESSION_ENABLED", "no");
        HubConfig c = loader(env).load();
        RadioPort port = c.zigbeePort().orElseThrow();
        assertTrue(port.isTcp());
        assertEquals(new BindAddress("192.168.1.20", 6638), port.tcp());
        assertEquals(OptionalInt.of(25), c.zigbeeChannel());
        assertEquals(0x1A62, c.zigbeePanId().orElseThrow().asLong());
        assertEquals(8, c.zigbeeExtPanId().orElseThrow().length());
        assertEquals(16, c.zigbeeNetworkKey().orElseThrow().bytes().length);
        assertEquals(OptionalInt.of(17), c.gpioResetPin());
        assertEquals(new MqttEndpoint(true, "broker.local", 8883), c.mqttUrl().orElseThrow());
        assertEquals(new BindAddress("::1", 5684), c.coapsBind().orElseThrow());
        assertEquals(16L << 20, c.outboxMaxBytes());
        assertEquals(EvictionPolicy.LFU, c.cacheEvictionPolicy());
        assertFalse(c.cacheCompressionEnabled());
        assertEquals(new MqttEndpoint(false, "10.0.0.2", 1883),
                loader(Map.of("MQTT_URL", "mqtt://10.0.0.2")).load().mqttUrl().orElseThrow());
        assertEquals("/dev/serial/by-id/usb-Texas_Instruments_TI_CC2531-if00",
                loader(Map.of("ZIGBEE_PORT", "/dev/serial/by-id/usb-Texas_Instruments_TI_CC2531-if00")).load()
                        .zigbeePort().orElseThrow().device());
    }

    @Test
    void badValueMessageNamesKeyValueOriginAndWhatIsAllowed() {
        ConfigException e = fails(loader(Map.of("CACHE_EVICTION_POLICY", "lfru")));
        assertEquals(List.of("CACHE_EVICTION_POLICY='lfru' (from env): must be one of lru, lfu, ttl"), e.errors());
    }

    @Test
    void badValueInTheFileNamesTheFileAndLine() throws Exception {
        Path f = file("# hub", "CACHE_MAX_SIZE=lots");
        ConfigException e = fails(loader(Map.of()).configFile(f));
        assertEquals(List.of("CACHE_MAX_SIZE='lots' (from file " + f + ":2): must be an integer in [16, 10000000]"),
                e.errors());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "RATE_LIMIT_REQUESTS_PER_MINUTE | 0        | must be an integer in [1, 100000]",
        "RATE_LIMIT_REQUESTS_PER_MINUTE | 12.5     | must be an integer in [1, 100000]",
        "RATE_LIMIT_PER_SECOND          | NaN      | must be a number in [0.01, 1000.0]",
        "RATE_LIMIT_PER_SECOND          | -1       | must be a number in [0.01, 1000.0]",
        "CACHE_COMPRESSION_ENABLED      | maybe    | must be true or false (yes/no, on/off, 1/0)",
        "CACHE_EVICTION_POLICY          | random   | must be one of lru, lfu, ttl",
        "ZIGBEE_BAUD                    | 12345    | must be one of 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600",
        "ZIGBEE_CHANNEL                 | 10       | must be an integer in [11, 26]",
        "ZIGBEE_PAN_ID                  | 0xFFFF   | must be 2 bytes of hex (4 hex digits, optional 0x prefix or colons), not 0xFFFF",
        "ZIGBEE_PAN_ID                  | 0x1A6    | must be 2 bytes of hex (4 hex digits, optional 0x prefix or colons), not 0xFFFF",
        "ZIGBEE_EXT_PAN_ID              | 00000000000000000 | must be 8 bytes of hex (16 hex digits, optional 0x prefix or colons), not all 00 or all FF",
        "ZIGBEE_PORT                    | ttyUSB0  | must be an absolute device path (/dev/ttyUSB0) or tcp://host:port, or off",
        "ZIGBEE_PORT                    | tcp://h  | must be an absolute device path (/dev/ttyUSB0) or tcp://host:port, or off",
        "GPIO_LED_PIN                   | 54       | must be an integer in [0, 53]",
        "MQTT_URL                       | http://broker:1883 | must be mqtt://host[:port] or mqtts://host[:port], or off",
        "MQTT_URL                       | mqtt://u:p@broker  | must not carry credentials: use MQTT_USERNAME and MQTT_PASSWORD",
        "MQTT_URL                       | mqtt://broker/path | must be mqtt://host[:port] or mqtts://host[:port], or off",
        "MQTT_BASE_TOPIC                | home/#   | must be topic levels separated by / without + # spaces or empty levels",
        "MQTT_BASE_TOPIC                | home//x  | must be topic levels separated by / without + # spaces or empty levels",
        "MQTT_KEEPALIVE                 | 70000    | must be an integer in [0, 65535]",
        "MQTT_CA_FILE                   | /nonexistent/ca.pem | must be a readable file (it does not exist or cannot be read)",
        "HTTP_BIND                      | 8080     | must be host:port or [ipv6]:port with port 0..65535, or off",
        "HTTP_BIND                      | 127.0.0.1:70000 | must be host:port or [ipv6]:port with port 0..65535, or off",
        "COAP_BIND                      | ::1:5683 | must be host:port or [ipv6]:port with port 0..65535, or off",
        "OUTBOX_MAX_BYTES               | 8x       | must be a byte count in [65536, 1073741824] (suffix k, m or g allowed)",
        "OUTBOX_MAX_BYTES               | 2g       | must be a byte count in [65536, 1073741824] (suffix k, m or g allowed)",
        "HUB_ID                         | -bad     | must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit",
        "HUB_PROFILE                    | staging  | must be one of production, development, testing",
        "HUB_LOG_LEVEL                  | verbose  | must be one of trace, debug, info, warn, error",
    })
    void everyKindOfBadValueIsOneLine(String key, String value, String mustBe) {
        ConfigException e = fails(loader(Map.of(key, value)));
        assertEquals(List.of(key + "='" + value + "' (from env): " + mustBe), e.errors());
    }

    @Test
    void allErrorsAreReportedAtOnce() {
        ConfigException e = fails(loader(Map.of("CACHE_MAX_SIZE", "1", "MQTT_KEEPALIVE", "x")));
        assertEquals(2, e.errors().size(), e.getMessage());
        assertTrue(e.getMessage().contains("CACHE_MAX_SIZE='1'"));
        assertTrue(e.getMessage().contains("MQTT_KEEPALIVE='x'"));
    }

    @Test
    void badProfileDefaultsAreNotPossibleButProfileValuesAreValidated() throws Exception {
        for (Profile p : Profile.values()) {
            HubConfig c = loader(Map.of("HUB_PROFILE", p.label(), "HUB_STATE_DIR", "")).load();
            assertEquals(p, c.profile());
            HubKeys.profileDefaults(p).forEach((d, raw) -> {
                if (d != HubKeys.HUB_STATE_DIR) {
                    assertEquals(ConfigSource.PROFILE, c.source(d), d.key());
                }
            });
        }
    }

    @Test
    void unknownKeysInTheFileAreWarnedWithASuggestion() throws Exception {
        Path f = file("CACHE_MAX_SIZ=10", "TOTALLY_UNRELATED=1", "CACHE_MAX_SIZE=20", "CACHE_MAX_SIZE=30");
        HubConfig c = loader(Map.of()).configFile(f).load();
        assertEquals(30, c.cacheMaxSize());
        List<String> w = c.warnings();
        assertTrue(w.contains("unknown key CACHE_MAX_SIZ in " + f + ":1 (did you mean CACHE_MAX_SIZE?); ignored"), w.toString());
        assertTrue(w.contains("unknown key TOTALLY_UNRELATED in " + f + ":2; ignored"), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("CACHE_MAX_SIZE is set twice")), w.toString());
    }

    @Test
    void unknownHubLikeEnvironmentVariablesAreWarned() throws Exception {
        HubConfig c = loader(Map.of("MQTT_PASWORD", "x", "HUB_JAVA_OPTS", "-Xmx1g", "HTTP_PROXY", "http://p",
                "PATH", "/usr/bin", "HUB_CDS", "0")).load();
        assertEquals(List.of("unknown environment variable MQTT_PASWORD (did you mean MQTT_PASSWORD?); ignored"),
                c.warnings());
    }

    @Test
    void forTestsGivesATestingConfigOrExplains() {
        HubConfig c = HubConfig.forTests(Map.of("CACHE_MAX_SIZE", "100"));
        assertEquals(Profile.TESTING, c.profile());
        assertEquals("test-hub", c.hubId());
        assertEquals(100, c.cacheMaxSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HubConfig.forTests(Map.of("CACHE_MAX_SIZE", "1")));
        assertTrue(e.getMessage().startsWith("CACHE_MAX_SIZE='1' (from env)"), e.getMessage());
    }

    @Test
    void malformedLinesAndMissingExplicitFilesAreErrors() throws Exception {
        Path f = file("CACHE_MAX_SIZE 10");
        assertEquals(List.of(f + ":1: expected KEY=value but was 'CACHE_MAX_SIZE 10'"),
                fails(loader(Map.of()).configFile(f)).errors());

        Path missing = dir.resolve("missing.conf");
        assertTrue(fails(loader(Map.of()).configFile(missing)).errors().get(0)
                .startsWith("config file " + missing + " (from --config): does not exist"));
        assertTrue(fails(loader(Map.of("HUB_CONFIG", missing.toString()))).errors().get(0)
                .startsWith("config file " + missing + " (from env HUB_CONFIG): does not exist"));
        // The default location may be missing: a hub runs on defaults and env alone.
        loader(Map.of()).load();
    }

    @Test
    void settingsThatNeedEachOtherAreChecked() throws Exception {
        assertEquals(List.of("COAPS_BIND='0.0.0.0:5684' (from env): needs COAP_PSK_FILE (CoAPS uses pre-shared keys)"),
                fails(loader(Map.of("COAPS_BIND", "0.0.0.0:5684"))).errors());
        assertEquals(List.of("GPIO_BUTTON_PIN='17' (from env): must differ from GPIO_RESET_PIN (same pin)"),
                fails(loader(Map.of("GPIO_RESET_PIN", "17", "GPIO_BUTTON_PIN", "17"))).errors());
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertEquals(List.of("MQTT_CLIENT_CERT='" + cert + "' (from env): needs MQTT_CLIENT_KEY as well"),
                fails(loader(Map.of("MQTT_CLIENT_CERT", cert.toString()))).errors());
        Path psk = Files.writeString(dir.resolve("psk"), "a=00");
        assertEquals(1, fails(loader(Map.of("COAP_BIND", "127.0.0.1:5683", "COAPS_BIND", "127.0.0.1:5683",
                "COAP_PSK_FILE", psk.toString()))).errors().size());
        HubConfig warned = loader(Map.of("HOMEASSISTANT_DISCOVERY", "true", "MQTT_CA_FILE", cert.toString(),
                "MQTT_URL", "mqtt://b")).load();
        assertTrue(warned.warnings().stream().anyMatch(w -> w.contains("use mqtts://")), warned.warnings().toString());
    }

    @Test
    void secretsAreMaskedEverywhereButTheAccessors() throws Exception {
        String key = "0102030405060708090A0B0C0D0E0F10";
        HubConfig c = loader(Map.of("MQTT_USERNAME", "hub", "MQTT_PASSWORD", "hunter2-secret",
                "ZIGBEE_NETWORK_KEY", key)).load();
        assertEquals("hunter2-secret", c.mqttPassword().orElseThrow());
        assertEquals("0x" + key, c.zigbeeNetworkKey().orElseThrow().toString());
        String all = c.toString() + "\n" + String.join("\n", c.dump());
        assertFalse(all.contains("hunter2"), all);
        assertFalse(all.contains(key), all);
        assertFalse(all.toLowerCase().contains(key.toLowerCase()), all);
        assertTrue(c.dump().contains("MQTT_PASSWORD=" + HubConfig.MASK + "  # env"));
        assertTrue(c.dump().contains("ZIGBEE_NETWORK_KEY=" + HubConfig.MASK + "  # env"));
        assertTrue(c.dump().contains("MQTT_USERNAME=hub  # env"));

        // A bad secret is not echoed either.
        ConfigException e = fails(loader(Map.of("ZIGBEE_NETWORK_KEY", "secretsecretsecret")));
        assertFalse(e.getMessage().contains("secretsecret"), e.getMessage());
        assertTrue(e.getMessage().startsWith("ZIGBEE_NETWORK_KEY=<secret, 18 characters> (from env): must be 16 bytes"),
                e.getMessage());
    }

    @Test
    void everyDefinitionHasDocAndItsDefaultIsAllowed() {
        for (Definition<?> d : HubKeys.ALL) {
            assertFalse(d.doc().isBlank(), d.key());
            assertEquals(d.key(), d.envName());
            assertTrue(HubKeys.byKey(d.key()).isPresent());
            Object def = d.defaultValue();
            if (def != null) {
                @SuppressWarnings({"unchecked", "rawtypes"})
                String text = ((Definition) d).format(def);
                try {
                    assertEquals(def, d.parse(text), d.key());
                } catch (InvalidValueException e) {
                    throw new AssertionError(d.key() + " default does not round-trip: " + e.getMessage());
                }
            }
        }
    }

    @Test
    void hostNamesBecomeHubIdsOnlyWhenUseful() {
        assertEquals("pi-kitchen", HubConfigLoader.sanitizeHostname("pi kitchen.local"));
        assertEquals(null, HubConfigLoader.sanitizeHostname("localhost"));
        assertEquals(null, HubConfigLoader.sanitizeHostname("raspberrypi"));
        assertEquals(null, HubConfigLoader.sanitizeHostname(""));
        assertEquals(null, HubConfigLoader.sanitizeHostname(null));
    }
}
