package io.tetheritall.hub.daemon.config;

import java.util.Locale;

/**
 * A set of defaults for where the hub runs, selected with {@code HUB_PROFILE}. Profile defaults sit
 * between the config file and the built-in defaults; {@link HubKeys#profileDefaults(Profile)} lists
 * them.
 */
public enum Profile {
    /** Installed from the .deb and run by systemd: FHS paths, loopback-only listeners. */
    PRODUCTION,
    /** Run from a checkout: state and logs under {@code ./state}, debug logging. */
    DEVELOPMENT,
    /** Automated tests: state under {@code target/}, ephemeral ports, short timeouts. */
    TESTING;

    /** The lower-case name used in {@code HUB_PROFILE}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
