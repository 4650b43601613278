package io.tetheritall.hub.daemon.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads the {@link HubConfig} once: environment over config file over profile defaults over built-in
 * defaults. Every bad value becomes one line of a {@link ConfigException}; all of them are collected
 * before failing so that one {@code check-config} run shows every mistake.
 *
 * <p>The loader does not log (logging is configured from its result); warnings are returned in
 * {@link HubConfig#warnings()}.
 *
 * <p>Config file format: one {@code KEY=value} per line; blank lines and lines starting with
 * {@code #} or {@code !} are ignored; the value is trimmed and one pair of surrounding single or
 * double quotes is removed (so {@code /etc/default}-style lines work). An empty value (here or in
 * the environment) counts as not set.
 */
public final class HubConfigLoader {
    /** The file read when neither {@code --config} nor {@code HUB_CONFIG} names one. */
    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/tetheritall-hub/hub.conf");
    /** Name of the file in the state directory that keeps a generated hub id. */
    public static final String HUB_ID_FILE = "hub-id";

    private Map<String, String> env = Map.of();
    private Path explicitConfigFile;
    private Path defaultConfigFile = DEFAULT_CONFIG_FILE;
    private Supplier<String> hostname = HubConfigLoader::systemHostname;
    private Supplier<String> idGenerator = HubConfigLoader::randomId;
    private boolean persistGeneratedId;

    /** The environment to read (inject a map in tests). */
    public HubConfigLoader env(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        return this;
    }

    /** The file from {@code --config}; wins over {@code HUB_CONFIG}; must exist. {@code null} = none. */
    public HubConfigLoader configFile(Path file) {
        this.explicitConfigFile = file;
        return this;
    }

    /** The file read when none is named; it may be missing. */
    public HubConfigLoader defaultConfigFile(Path file) {
        this.defaultConfigFile = Objects.requireNonNull(file);
        return this;
    }

    /** Where the host name comes from (for the default hub id). */
    public HubConfigLoader hostname(Supplier<String> hostname) {
        this.hostname = Objects.requireNonNull(hostname);
        return this;
    }

    /** Generates a hub id when there is no usable host name. */
    public HubConfigLoader idGenerator(Supplier<String> idGenerator) {
        this.idGenerator = Objects.requireNonNull(idGenerator);
        return this;
    }

    /**
     * Whether a generated hub id is written to {@code <state dir>/hub-id} so that it survives restarts.
     * {@code run} turns it on; {@code check-config} leaves the file system alone.
     */
    public HubConfigLoader persistGeneratedId(boolean persist) {
        this.persistGeneratedId = persist;
        return this;
    }

    /** A value from the file, with the line it came from. */
    private record FileValue(String raw, int line) {
    }

    /**
     * Reads and validates everything.
     *
     * @throws ConfigException with one line per bad value, file problem or inconsistency
     */
    public HubConfig load() throws ConfigException {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        // 1. Which file.
        Path file;
        boolean explicit;
        String envFile = nonEmpty(env.get(HubKeys.HUB_CONFIG.envName()));
        if (explicitConfigFile != null) {
            file = explicitConfigFile;
            explicit = true;
        } else if (envFile != null) {
            file = Path.of(envFile);
            explicit = true;
        } else {
            file = defaultConfigFile;
            explicit = false;
        }
        Map<String, FileValue> fileValues = new LinkedHashMap<>();
        Path fileRead = null;
        if (Files.isRegularFile(file)) {
            try {
                readFile(file, fileValues, errors, warnings);
                fileRead = file;
            } catch (IOException e) {
                errors.add("config file " + file + ": cannot be read: " + e.getMessage());
            }
        } else if (explicit) {
            errors.add("config file " + file + " (from " + (explicitConfigFile != null ? "--config" : "env HUB_CONFIG")
                    + "): does not exist or is not a regular file");
        }
        for (String key : fileValues.keySet()) {
            if (HubKeys.byKey(key).isEmpty()) {
                warnings.add("unknown key " + key + " in " + file + ":" + fileValues.get(key).line()
                        + suggestion(key) + "; ignored");
            }
        }
        warnUnknownEnv(warnings);
        if (fileValues.containsKey(HubKeys.HUB_CONFIG.key())) {
            warnings.add("HUB_CONFIG in " + file + " has no effect: name the file with --config or the HUB_CONFIG"
                    + " environment variable");
        }

        // 2. Which profile (environment, then file).
        Map<Definition<?>, HubConfig.Entry> entries = new LinkedHashMap<>();
        resolve(HubKeys.HUB_PROFILE, Map.of(), null, file, fileValues, entries, errors);
        Profile profile = (Profile) entries.get(HubKeys.HUB_PROFILE).value();
        if (profile == null) {
            profile = Profile.PRODUCTION;
        }
        Map<Definition<?>, String> profileDefaults = HubKeys.profileDefaults(profile);

        // 3. Everything else.
        ConfigSource fileSource = explicitConfigFile != null ? ConfigSource.COMMAND_LINE
                : envFile != null ? ConfigSource.ENV : ConfigSource.DEFAULT;
        entries.put(HubKeys.HUB_CONFIG, new HubConfig.Entry(fileRead, fileSource,
                fileRead == null ? "no config file read" : explicitConfigFile != null ? "--config" : fileSource.label()));
        for (Definition<?> d : HubKeys.ALL) {
            if (d != HubKeys.HUB_PROFILE && d != HubKeys.HUB_CONFIG) {
                resolve(d, profileDefaults, profile, file, fileValues, entries, errors);
            }
        }

        // 4. Derived defaults.
        deriveHubId(entries, warnings);
        String hubId = (String) entries.get(HubKeys.HUB_ID).value();
        if (entries.get(HubKeys.MQTT_BASE_TOPIC).value() == null && hubId != null) {
            entries.put(HubKeys.MQTT_BASE_TOPIC, new HubConfig.Entry("tetheritall/" + hubId, ConfigSource.DERIVED,
                    "derived from HUB_ID"));
        }

        // 5. Settings that only make sense together.
        crossCheck(entries, errors, warnings);

        if (!errors.isEmpty()) {
            throw new ConfigException(errors, warnings);
        }
        return new HubConfig(entries, profile, fileRead, warnings);
    }

    /** Prefixes of the hub's settings: an unknown variable with one of them is probably a typo. */
    private static final List<String> HUB_PREFIXES = List.of("HUB_", "RATE_LIMIT_", "CACHE_", "CIRCUIT_BREAKER_",
            "CONNECTION_POOL_", "ZIGBEE_", "GPIO_", "MQTT_", "HOMEASSISTANT_", "COAP_", "COAPS_", "OUTBOX_",
            "RECOVERY_");
    /** Read by the launcher script, not by the hub. */
    static final Set<String> LAUNCHER_VARIABLES = Set.of("HUB_JAVA_OPTS", "HUB_LAYOUT", "HUB_LIB_DIR",
            "HUB_LAUNCHER_DRY_RUN", "HUB_TMP_NOEXEC", "HUB_CDS");

    private void warnUnknownEnv(List<String> warnings) {
        new TreeSet<>(env.keySet()).forEach(name -> {
            if (HubKeys.byKey(name).isEmpty() && !LAUNCHER_VARIABLES.contains(name)
                    && HUB_PREFIXES.stream().anyMatch(name::startsWith)) {
                warnings.add("unknown environment variable " + name + suggestion(name) + "; ignored");
            }
        });
    }

    private void readFile(Path file, Map<String, FileValue> out, List<String> errors, List<String> warnings)
            throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int no = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (eq < 0 || !key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                errors.add(file + ":" + no + ": expected KEY=value but was '" + abbreviate(line) + "'");
                continue;
            }
            String value = unquote(line.substring(eq + 1).strip());
            FileValue previous = out.put(key, new FileValue(value, no));
            if (previous != null) {
                warnings.add(key + " is set twice in " + file + " (lines " + previous.line() + " and " + no
                        + "); the last one wins");
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void resolve(Definition<?> d, Map<Definition<?>, String> profileDefaults, Profile profile, Path file,
                         Map<String, FileValue> fileValues, Map<Definition<?>, HubConfig.Entry> entries,
                         List<String> errors) {
        String raw;
        ConfigSource source;
        String origin;
        String envValue = nonEmpty(env.get(d.envName()));
        FileValue fv = fileValues.get(d.key());
        if (envValue != null) {
            raw = envValue;
            source = ConfigSource.ENV;
            origin = "env";
        } else if (fv != null && nonEmpty(fv.raw()) != null) {
            raw = fv.raw();
            source = ConfigSource.FILE;
            origin = "file " + file + ":" + fv.line();
        } else if (profileDefaults.containsKey(d)) {
            raw = profileDefaults.get(d);
            source = ConfigSource.PROFILE;
            origin = "profile " + profile.label();
        } else {
            entries.put(d, new HubConfig.Entry(d.defaultValue(), ConfigSource.DEFAULT, "default"));
            return;
        }
        try {
            entries.put(d, new HubConfig.Entry(d.parse(raw), source, origin));
        } catch (InvalidValueException e) {
            errors.add(describe(d, raw) + " (from " + origin + "): " + e.getMessage());
            // Keep the default so later checks do not trip over a missing entry.
            entries.put(d, new HubConfig.Entry(d.defaultValue(), ConfigSource.DEFAULT, "default"));
        }
    }

    /** {@code KEY='value'}, or a masked form for secrets so that a typo in a key never reaches a log. */
    static String describe(Definition<?> d, String raw) {
        if (d.secret()) {
            return d.key() + "=<secret, " + raw.length() + " characters>";
        }
        return d.key() + "='" + abbreviate(raw) + "'";
    }

    private void deriveHubId(Map<Definition<?>, HubConfig.Entry> entries, List<String> warnings) {
        if (entries.get(HubKeys.HUB_ID).value() != null) {
            return;
        }
        Path stateDir = (Path) entries.get(HubKeys.HUB_STATE_DIR).value();
        Path idFile = stateDir.resolve(HUB_ID_FILE);
        if (Files.isRegularFile(idFile)) {
            try {
                String kept = Files.readString(idFile, StandardCharsets.UTF_8).strip();
                entries.put(HubKeys.HUB_ID, new HubConfig.Entry(HubKeys.HUB_ID.parse(kept), ConfigSource.DERIVED,
                        "derived from " + idFile));
                return;
            } catch (IOException | InvalidValueException e) {
                warnings.add(idFile + " holds no usable hub id (" + e.getMessage() + "); ignoring it");
            }
        }
        String host = sanitizeHostname(hostname.get());
        if (host != null) {
            entries.put(HubKeys.HUB_ID, new HubConfig.Entry(host, ConfigSource.DERIVED, "derived from the host name"));
            return;
        }
        String generated = idGenerator.get();
        String origin = "generated";
        if (persistGeneratedId) {
            try {
                Files.createDirectories(stateDir);
                Files.writeString(idFile, generated + "\n", StandardCharsets.UTF_8);
                origin = "generated, kept in " + idFile;
            } catch (IOException e) {
                warnings.add("generated hub id " + generated + " could not be kept in " + idFile + ": " + e
                        + "; it will change at the next start");
            }
        }
        entries.put(HubKeys.HUB_ID, new HubConfig.Entry(generated, ConfigSource.DERIVED, origin));
    }

    /** A host name made into a hub id, or {@code null} if it is not worth using. */
    static String sanitizeHostname(String host) {
        if (host == null) {
            return null;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        int dot = h.indexOf('.');
        if (dot > 0) {
            h = h.substring(0, dot);
        }
        h = h.replaceAll("[^a-z0-9_-]", "-").replaceAll("^[-_]+", "");
        if (h.length() > 64) {
            h = h.substring(0, 64);
        }
        if (h.isEmpty() || h.equals("localhost") || h.equals("raspberrypi")) {
            // "raspberrypi" is the image default: two fresh Pis on one broker would collide.
            return null;
        }
        return h;
    }

    private static void crossCheck(Map<Definition<?>, HubConfig.Entry> e, List<String> errors, List<String> warnings) {
        if (e.get(HubKeys.COAPS_BIND).value() != null && e.get(HubKeys.COAP_PSK_FILE).value() == null) {
            errors.add("COAPS_BIND='" + e.get(HubKeys.COAPS_BIND).value() + "' (from " + e.get(HubKeys.COAPS_BIND).origin()
                    + "): needs COAP_PSK_FILE (CoAPS uses pre-shared keys)");
        }
        boolean cert = e.get(HubKeys.MQTT_CLIENT_CERT).value() != null;
        boolean key = e.get(HubKeys.MQTT_CLIENT_KEY).value() != null;
        if (cert != key) {
            Definition<?> set = cert ? HubKeys.MQTT_CLIENT_CERT : HubKeys.MQTT_CLIENT_KEY;
            errors.add(set.key() + "='" + e.get(set).value() + "' (from " + e.get(set).origin() + "): needs "
                    + (cert ? "MQTT_CLIENT_KEY" : "MQTT_CLIENT_CERT") + " as well");
        }
        MqttEndpoint mqtt = (MqttEndpoint) e.get(HubKeys.MQTT_URL).value();
        if (mqtt != null && !mqtt.tls() && (cert || e.get(HubKeys.MQTT_CA_FILE).value() != null)) {
            warnings.add("MQTT_CA_FILE/MQTT_CLIENT_CERT have no effect with MQTT_URL='" + mqtt + "': use mqtts://");
        }
        if (mqtt == null && e.get(HubKeys.HOMEASSISTANT_DISCOVERY).value() == Boolean.TRUE) {
            warnings.add("HOMEASSISTANT_DISCOVERY=true has no effect without MQTT_URL");
        }
        if (e.get(HubKeys.MQTT_PASSWORD).value() != null && e.get(HubKeys.MQTT_USERNAME).value() == null) {
            warnings.add("MQTT_PASSWORD is set but MQTT_USERNAME is not; the password is not sent");
        }
        Map<Integer, Definition<?>> pins = new LinkedHashMap<>();
        for (IntegerDefinition d : List.of(HubKeys.GPIO_RESET_PIN, HubKeys.GPIO_LED_PIN, HubKeys.GPIO_BUTTON_PIN)) {
            Integer pin = (Integer) e.get(d).value();
            if (pin != null) {
                Definition<?> other = pins.putIfAbsent(pin, d);
                if (other != null) {
                    errors.add(d.key() + "='" + pin + "' (from " + e.get(d).origin() + "): must differ from "
                            + other.key() + " (same pin)");
                }
            }
        }
        BindAddress coap = (BindAddress) e.get(HubKeys.COAP_BIND).value();
        BindAddress coaps = (BindAddress) e.get(HubKeys.COAPS_BIND).value();
        if (coap != null && coaps != null && coap.port() != 0 && coap.port() == coaps.port()
                && coap.host().equals(coaps.host())) {
            errors.add("COAPS_BIND='" + coaps + "' (from " + e.get(HubKeys.COAPS_BIND).origin()
                    + "): must differ from COAP_BIND (both are UDP)");
        }
    }

    /** " (did you mean X?)" for a key within edit distance 2 of a known one. */
    static String suggestion(String unknown) {
        String best = null;
        int bestDistance = 3;
        String upper = unknown.toUpperCase(Locale.ROOT);
        for (Definition<?> d : HubKeys.ALL) {
            int dist = distance(upper, d.key());
            if (dist < bestDistance) {
                bestDistance = dist;
                best = d.key();
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String nonEmpty(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The kernel's host name, without DNS (a Pi may have no network at boot). */
    static String systemHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return System.getenv("HOSTNAME");
        }
    }

    static String randomId() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return "hub-" + HexFormat.of().formatHex(b);
    }

    /** Keys the loader knows, for tests and {@code help}. */
    public static Set<String> knownKeys() {
        Set<String> s = new TreeSet<>();
        HubKeys.ALL.forEach(d -> s.add(d.key()));
        return s;
    }
}
