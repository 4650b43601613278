package io.tetheritall.hub.daemon.config;

/** Where an effective value came from, highest precedence first. */
public enum ConfigSource {
    /** A command-line option ({@code --config}). */
    COMMAND_LINE("command line"),
    /** A process environment variable (systemd {@code EnvironmentFile}, shell). */
    ENV("env"),
    /** The {@code KEY=value} config file ({@code hub.conf}). */
    FILE("file"),
    /** The defaults of the selected {@link Profile}. */
    PROFILE("profile"),
    /** Derived from other values at load time (hub id, MQTT base topic). */
    DERIVED("derived"),
    /** The definition's built-in default. */
    DEFAULT("default");

    private final String label;

    ConfigSource(String label) {
        this.label = label;
    }

    /** Lower-case label used in messages and dumps. */
    public String label() {
        return label;
    }
}
