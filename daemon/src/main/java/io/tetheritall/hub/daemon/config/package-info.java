/**
 * Hub configuration: typed {@link io.tetheritall.hub.daemon.config.Definition}s (key = environment variable
 * name, doc, default, allowed values) listed in {@link io.tetheritall.hub.daemon.config.HubKeys}, read once by
 * {@link io.tetheritall.hub.daemon.config.HubConfigLoader} into an immutable
 * {@link io.tetheritall.hub.daemon.config.HubConfig}.
 *
 * <p>Precedence: environment &gt; config file ({@code --config}, {@code HUB_CONFIG}, or
 * {@code /etc/tetheritall-hub/hub.conf}) &gt; {@link io.tetheritall.hub.daemon.config.Profile} defaults &gt;
 * built-in defaults. A bad value is reported as one line naming the key, the value, its origin and what is
 * allowed; secrets are masked everywhere except the typed accessors.
 */
package io.tetheritall.hub.daemon.config;
