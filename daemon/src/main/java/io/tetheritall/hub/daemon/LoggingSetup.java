package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.config.HubConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tinylog.configuration.Configuration;
import org.tinylog.provider.ProviderRegistry;

/**
 * Adjusts the shipped {@code tinylog.properties} from the {@link HubConfig} before the first log
 * line (tinylog freezes its configuration at first use):
 * <ul>
 *   <li>the rolling file writer ({@code writer2}) goes to {@code HUB_LOG_DIR}; if that directory cannot
 *       be created the file writer is switched off and the console (journald) still works;</li>
 *   <li>the hub's own packages log at {@code HUB_LOG_LEVEL};</li>
 *   <li>under systemd ({@code JOURNAL_STREAM} set) the console format drops the timestamp and thread,
 *       since journald stamps every line itself, unless {@code -Dtinylog.writer1.format} was given.</li>
 * </ul>
 */
public final class LoggingSetup {
    /** Console format when journald adds the timestamp. */
    static final String JOURNAL_FORMAT = "{level|min-size=5} [{thread}] {class-name}: {message}";
    private static final AtomicBoolean SHUT_DOWN = new AtomicBoolean();
    /**
     * Pseudo-key of {@link #overrides}: remove the rolling file writer. tinylog creates a writer even at
     * level {@code off}, and a writer whose directory is missing prints errors, so it is taken out of
     * the configuration instead.
     */
    static final String DROP_FILE_WRITER = "-writer2";

    private LoggingSetup() {
    }

    /** The tinylog property overrides for {@code config}; pure, for tests. */
    static Map<String, String> overrides(HubConfig config, Map<String, String> env, boolean logDirUsable) {
        Map<String, String> m = new LinkedHashMap<>();
        Path dir = config.logDir().toAbsolutePath();
        if (logDirUsable) {
            m.put("writer2.file", dir.resolve("hub-{date:yyyy-MM-dd}-{count}.log").toString());
            m.put("writer2.latest", dir.resolve("hub.log").toString());
        } else {
            m.put(DROP_FILE_WRITER, "true");
        }
        m.put("level@io.tetheritall", config.logLevel().name().toLowerCase(Locale.ROOT));
        if (env.containsKey("JOURNAL_STREAM") && System.getProperty("tinylog.writer1.format") == null) {
            m.put("writer1.format", JOURNAL_FORMAT);
        }
        return m;
    }

    /** Applies {@link #overrides} unless tinylog is already in use (then it only warns on stderr). */
    static void apply(HubConfig config, Map<String, String> env) {
        boolean usable;
        try {
            Files.createDirectories(config.logDir());
            usable = Files.isWritable(config.logDir());
        } catch (IOException | SecurityException e) {
            usable = false;
        }
        if (!usable) {
            System.err.println("warning: log directory " + config.logDir() + " is not writable; logging to the"
                    + " console only");
        }
        set(overrides(config, env, usable));
    }

    /** Console only (for {@code simulate-radio}): no log directory is needed. */
    static void applyConsoleOnly(Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DROP_FILE_WRITER, "true");
        if (env.containsKey("JOURNAL_STREAM") && System.getProperty("tinylog.writer1.format") == null) {
            m.put("writer1.format", JOURNAL_FORMAT);
        }
        set(m);
    }

    private static void set(Map<String, String> m) {
        if (Configuration.isFrozen()) {
            System.err.println("warning: logging was already in use; HUB_LOG_DIR/HUB_LOG_LEVEL not applied");
            return;
        }
        if (m.containsKey(DROP_FILE_WRITER)) {
            // Rebuild the whole configuration without writer2 (Configuration has no remove()):
            // the shipped file, then -Dtinylog.* system properties, as tinylog itself would.
            Map<String, String> all = new LinkedHashMap<>();
            java.util.Properties shipped = new java.util.Properties();
            try (java.io.InputStream in = LoggingSetup.class.getResourceAsStream("/tinylog.properties")) {
                if (in != null) {
                    shipped.load(in);
                }
            } catch (IOException e) {
                System.err.println("warning: cannot read tinylog.properties: " + e);
            }
            shipped.stringPropertyNames().forEach(k -> all.put(k, shipped.getProperty(k)));
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("tinylog."))
                    .forEach(k -> all.put(k.substring("tinylog.".length()), System.getProperty(k)));
            all.keySet().removeIf(k -> k.equals("writer2") || k.startsWith("writer2."));
            m.forEach((k, v) -> {
                if (!k.equals(DROP_FILE_WRITER)) {
                    all.put(k, v);
                }
            });
            Configuration.replace(all);
        } else {
            m.forEach(Configuration::set);
        }
    }

    /** Drains and stops tinylog's writing thread; idempotent (called from the shutdown hook and main). */
    static void shutdown() {
        if (SHUT_DOWN.compareAndSet(false, true)) {
            try {
                ProviderRegistry.getLoggingProvider().shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
