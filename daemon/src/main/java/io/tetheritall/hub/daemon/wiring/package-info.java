/**
 * Components that {@link io.tetheritall.hub.daemon.DefaultWiring} assembles into a running hub: the
 * simulated stick of {@code --simulate}, the Zigbee radio stack with its policy and recovery, the hub
 * core, and the store. Each is a {@link io.tetheritall.hub.daemon.Component}: started in order,
 * stopped in reverse, each with its health contribution.
 */
package io.tetheritall.hub.daemon.wiring;
